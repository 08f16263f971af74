import { describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { envelope, prepayBody, replySignatureValid } from './support/mmsp.js';

/**
 * Group commit (core/store/index.ts): an answer leaves only once the change it
 * reports is committed. These force the commit of the batch holding a new order
 * to fail and check the merchant is told so in the provider's own form (never a
 * success for a change that was rolled back), and the journal shows that answer.
 */
const { sim, merchant } = useSandbox({ resetEach: true });

/** Makes the commit of the batch that holds the order numbered `orderNo` fail once, as a full disk would. */
function failCommitOf(orderNo: string): { failed: () => boolean } {
  const db = sim.sandbox.store.db;
  const exec = db.exec.bind(db);
  let failed = false;
  db.exec = (sql: string) => {
    if (!failed && sql === 'COMMIT' && db.prepare('SELECT 1 FROM records WHERE number = ?').get(orderNo)) {
      failed = true;
      db.exec = exec;
      throw Object.assign(new Error('database or disk is full (injected)'), { code: 'SQLITE_FULL' });
    }
    return exec(sql);
  };
  return { failed: () => failed };
}

/** Runs `work` with console.error collected (the sandbox logs the failed commit; the harness fails on unexpected logs). */
async function logged<T>(work: () => Promise<T>): Promise<{ result: T; errors: string[] }> {
  const original = console.error;
  const errors: string[] = [];
  console.error = (...args: unknown[]) => errors.push(args.map(String).join(' '));
  try {
    return { result: await work(), errors };
  } finally {
    console.error = original;
  }
}

async function prepay(body: Record<string, unknown>) {
  const response = await fetch(`${sim.url}/mmsp/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope(2306, body)),
  });
  return { status: response.status, text: await response.text() };
}

describe('a failed commit', () => {
  it('is answered with the provider internal error, not success, and the journal records that answer', async () => {
    const body = prepayBody(`${merchant.url}/n`);
    const injected = failCommitOf(body.MERORDERID);
    const { result, errors } = await logged(() => prepay(body));
    expect(injected.failed()).toBe(true);
    expect(errors.join('\n')).toContain('[sandbox] commit failed');
    expect(result.status).toBe(200);
    const reply = JSON.parse(result.text);
    // MMSP's envelope-level error: the code in ErrorMsg, an empty Body (src/simulators/mmsp/codes.ts, INTERNAL).
    expect(reply).toMatchObject({ ErrorMsg: expect.stringMatching(/^\[-9998\]/), Body: '' });
    expect((await sim.get(`/_sim/orders?orderNo=${body.MERORDERID}`)).length ?? 0).toBe(0);
    const [entry] = await sim.get(`/_sim/requests?provider=mmsp&orderNo=${body.MERORDERID}`);
    expect(entry.responseBody).toBe(result.text);
    expect(entry.note).toContain('the change could not be stored');
  });

  it('is seen when it happens while the handler awaits (a scenario delay): the rolled-back order is not reported created', async () => {
    const scenario = { id: 'slow-create', match: { provider: 'mmsp', amount: 5556 }, steps: [{ do: 'http', on: 'create', delayMs: 100 }] };
    expect((await sim.request('POST', '/_sim/scenarios', scenario)).status).toBe(201);
    try {
      const body = prepayBody(`${merchant.url}/n`, { AMT: '5556' });
      const injected = failCommitOf(body.MERORDERID);
      const { result, errors } = await logged(() => prepay(body));
      expect(injected.failed()).toBe(true);
      expect(errors.join('\n')).toContain('[sandbox] commit failed');
      const reply = JSON.parse(result.text);
      expect(reply).toMatchObject({ ErrorMsg: expect.stringMatching(/^\[-9998\]/), Body: '' });
      // The order really is gone: a query finds nothing, and a retry with the same number is a new order.
      expect((await sim.get(`/_sim/orders?orderNo=${body.MERORDERID}`)).length ?? 0).toBe(0);
      const [entry] = await sim.get(`/_sim/requests?provider=mmsp&orderNo=${body.MERORDERID}`);
      expect(entry.responseBody).toBe(result.text);
      const retry = JSON.parse((await prepay(body)).text);
      expect(retry.ErrorMsg).not.toMatch(/^\[/);
      expect(replySignatureValid(retry)).toBe(true);
    } finally {
      await sim.request('DELETE', '/_sim/scenarios/slow-create');
    }
  });

  it('of an admin change is answered with the admin API INTERNAL error', async () => {
    const db = sim.sandbox.store.db;
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === 'COMMIT') {
        db.exec = exec;
        throw new Error('disk I/O error (injected)');
      }
      return exec(sql);
    };
    const { result, errors } = await logged(() => sim.request('POST', '/_sim/reset'));
    db.exec = exec;
    expect(errors.join('\n')).toContain('[sandbox] commit failed');
    expect(result).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL' } } });
    expect(result.body.error.message).toContain('disk I/O error (injected)');
  });
});
