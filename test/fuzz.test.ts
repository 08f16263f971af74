import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentType, garbage, mutate, mutation, send, stateOf, type FuzzRequest } from './fuzz/framework.js';
import { TARGETS } from './fuzz/targets.js';
import { useSandbox } from './support/harness.js';

/**
 * Property-based fuzzing of every provider interface and the admin API
 * (issue "Nothing stalls, nobody gets in" §5): whatever arrives — a valid
 * request with fields dropped or replaced by hostile values (signed correctly,
 * so it reaches the business checks), a wrong signature, or bytes that are no
 * request at all — the answer is never a 500 nor the provider's internal-error
 * code, is in the provider's own format, and a rejection changes nothing.
 * A target first prepares what its request names (an order placed and paid,
 * the SMS code sent), so that a mutated request meets a real record; the
 * magic amounts are among the hostile values, so the scripted answers (2004's
 * system error included) are fuzzed too.
 */
const { sim, merchant } = useSandbox({ resetEach: true });
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** A request with what it prepares takes up to a few tens of milliseconds (RSA in JavaScript): a larger FUZZ_RUNS gets the time it needs. */
const TIMEOUT = Math.max(20_000, RUNS * 300);

describe('provider interfaces under fuzzing', () => {
  for (const target of TARGETS) {
    it(target.name, async () => {
      const notifyUrl = `${merchant.url}/fuzz`;
      const first = (await target.prepare?.(sim, notifyUrl)) ?? {};
      const fieldNames = Object.keys(target.fields({ notifyUrl, given: first }));
      const input = fc.oneof(
        { weight: 6, arbitrary: fc.record({ arm: fc.constant('mutated' as const), changes: fc.array(mutation(fieldNames), { minLength: 1, maxLength: 3 }), sign: fc.boolean() }) },
        {
          weight: 1,
          arbitrary: fc.record({
            arm: fc.constant('garbage' as const),
            body: garbage,
            // Sometimes another method, or a content type that says something else than the bytes.
            method: fc.option(fc.constantFrom('GET' as const, 'POST' as const, 'PUT' as const, 'DELETE' as const), { freq: 3 }),
            contentType: fc.option(contentType, { freq: 2 }),
          }),
        },
      );
      await fc.assert(
        fc.asyncProperty(input, async (generated) => {
          let request: FuzzRequest;
          let routed = true;
          if (generated.arm === 'mutated') {
            const given = (await target.prepare?.(sim, notifyUrl)) ?? {};
            request = target.encode(mutate(target.fields({ notifyUrl, given }), generated.changes), { sign: generated.sign, given });
          } else {
            const valid = target.encode(target.fields({ notifyUrl, given: first }), { sign: true, given: first });
            const body = typeof generated.body === 'string' || generated.body instanceof Uint8Array ? generated.body : JSON.stringify(generated.body);
            const method = generated.method ?? valid.method;
            const headers = generated.contentType === null ? valid.headers : { ...valid.headers, 'content-type': generated.contentType };
            routed = (target.methods ?? [valid.method]).includes(method);
            request = method === 'GET' ? { method, path: `${valid.path.split('?')[0]}?${encodeURIComponent(String(body)).slice(0, 300)}` } : { method, path: valid.path.split('?')[0]!, ...(headers ? { headers } : {}), body };
          }
          const before = stateOf(sim);
          const answer = await send(sim, request);
          const verdict = routed ? target.judge(answer) : (target.unrouted ?? target.judge)(answer);
          const shown = `${answer.status} ${answer.text.slice(0, 300)}`;
          // A status of 500 or more only as the provider's scripted system error (UMPay's empty 504), never a fault.
          if (answer.status >= 500) expect(answer.status, shown).toBe(target.systemErrorStatus);
          expect(verdict, shown).not.toBe('internal');
          expect(verdict, shown).not.toBe('unreadable');
          if (verdict === 'rejected') expect(stateOf(sim), shown).toBe(before);
        }),
        { numRuns: RUNS },
      );
      expect((await sim.get('/_sim/health')).ok).toBe(true);
    }, TIMEOUT);
  }
});

describe('the admin API under fuzzing', () => {
  const routes: [string, string][] = [
    ['POST', '/_sim/merchants'],
    ['POST', '/_sim/scenarios'],
    ['PUT', '/_sim/scenarios/fuzz'],
    ['POST', '/_sim/cards'],
    ['POST', '/_sim/clock/advance'],
    ['POST', '/_sim/sign/mmsp'],
    ['POST', '/_sim/sign/aggpay?format=form'],
    ['POST', '/_sim/orders/mmsp/NOPE/pay'],
  ];
  it('answers JSON errors, never a 500, and changes nothing when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 100 })), async ([method, path], body) => {
        const before = stateOf(sim);
        const response = await fetch(sim.url + path, { method, headers: { 'content-type': 'application/json' }, body });
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        if (response.status >= 400) {
          expect(JSON.parse(text).error?.code, text).toEqual(expect.any(String));
          expect(stateOf(sim)).toBe(before);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers listings with any query parameters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/_sim/records', '/_sim/orders', '/_sim/notifications', '/_sim/requests'),
        fc.dictionary(fc.constantFrom('provider', 'kind', 'state', 'from', 'to', 'limit', 'offset', 'orderNo', 'merchantId'), fc.string({ maxLength: 30 })),
        async (path, query) => {
          const response = await fetch(`${sim.url}${path}?${new URLSearchParams(query)}`);
          expect(response.status).toBeLessThan(500);
          JSON.parse(await response.text());
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
