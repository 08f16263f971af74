import { describe, expect, it } from 'vitest';
import { parseScenario } from './scenario-schema.js';
import { checkAgainstCatalog, compile, matches, ScenarioConflictError, ScenarioRegistry } from './scenarios.js';
import { openDatabase } from './store/database.js';

const CATALOG = {
  mmsp: { products: ['wechat.qr', 'wechat.micropay', 'alipay.qr'], kinds: ['order', 'refund', 'payout'] },
  aggpay: { products: ['wechat.qr', 'bank.online'], kinds: ['order', 'refund'] },
};

const input = { provider: 'mmsp', kind: 'order', product: 'wechat.micropay', merchantId: 'M1', amount: 2001, orderNo: 'ORD-1', code: '134567' };

describe('scenario matching', () => {
  it('matches on every field it names and ignores the rest', () => {
    expect(matches({ amount: 2001 }, input)).toBe(true);
    expect(matches({ amount: 2002 }, input)).toBe(false);
    expect(matches({ amount: { min: 2000, max: 2100 } }, input)).toBe(true);
    expect(matches({ provider: ['aggpay', 'mmsp'] }, input)).toBe(true);
    expect(matches({ product: '*.micropay' }, input)).toBe(true);
    expect(matches({ product: 'wechat.*' }, input)).toBe(true);
    expect(matches({ product: 'alipay.*' }, input)).toBe(false);
    expect(matches({ orderNo: '^ORD-' }, input)).toBe(true);
    expect(matches({ code: '^13' }, input)).toBe(true);
    expect(matches({ card: '^6222' }, input)).toBe(false);
    expect(matches({ kind: 'order' }, input)).toBe(true);
    expect(matches({ kind: ['refund', 'payout'] }, input)).toBe(false);
  });

  it('matches patterns in linear time: a catastrophic pattern for a backtracking engine answers', () => {
    // A backtracking engine needs ~2^5000 steps here and would hold the test until its timeout.
    expect(matches({ orderNo: '^(a+)+$' }, { ...input, orderNo: `${'a'.repeat(5000)}!` })).toBe(false);
  });

  it('refuses patterns that need backtracking when the scenario is loaded', () => {
    expect(() => parseScenario({ id: 'b', match: { orderNo: '(a)\\1' }, steps: [{ do: 'notify', mode: 'skip' }] }, 'b.json')).toThrow(
      /b\.json: match\.orderNo: not a valid RE2 regular expression/,
    );
  });
});

describe('scenario compilation', () => {
  it('turns steps into an answer, timed transitions and per-order state', () => {
    const plan = compile(
      parseScenario(
        {
          id: 'x',
          match: { amount: 1 },
          steps: [
            { do: 'respond', outcome: 'pending' },
            { do: 'become', state: 'paid', after: 60 },
            { do: 'become', state: 'processing', after: 10 },
            { do: 'fail-queries', times: 2 },
            { do: 'notify', mode: 'duplicate' },
            { do: 'http', on: 'query', status: 502, times: 1 },
          ],
        },
        'test',
      ),
    );
    expect(plan.createOutcome).toBe('pending');
    expect(plan.transitions).toEqual([
      { afterMs: 10_000, state: 'processing' },
      { afterMs: 60_000, state: 'paid' },
    ]);
    expect(plan.state).toEqual({ hold: true, queryErrors: 2, notify: 'duplicate', http: [{ on: 'query', status: 502, times: 1 }] });
  });
});

describe('scenario validation', () => {
  it('names the source and the field', () => {
    expect(() => parseScenario({ id: 'a', match: { amount: 1 }, steps: [{ do: 'explode' }] }, 'f.json')).toThrow(/^f\.json: steps\[0\]\.do/);
    expect(() => parseScenario({ id: 'a', match: { orderNo: '(' }, steps: [{ do: 'notify', mode: 'skip' }] }, 'f.json')).toThrow(/match\.orderNo: not a valid RE2 regular expression/);
    expect(() => parseScenario({ id: 'a b', match: { amount: 1 }, steps: [] }, 'f.json')).toThrow(/^f\.json: id/);
    expect(() => parseScenario({ id: 'a', match: { amount: 1 }, steps: [{ do: 'http', on: 'create' }] }, 'f.json')).toThrow(/needs delayMs, status or drop/);
    const http = (status: number) => parseScenario({ id: 'a', match: { amount: 1 }, steps: [{ do: 'http', on: 'create', status }] }, 'f.json');
    expect(() => http(101)).toThrow('f.json: steps[0].status: from 200 to 599: a 1xx is an interim response, not an answer');
    expect(() => http(600)).toThrow('f.json: steps[0].status: from 200 to 599');
    for (const status of [200, 204, 205, 304, 599]) expect(http(status).steps[0]).toMatchObject({ status });
    expect(() => parseScenario({ id: 'a', match: { amount: 1 }, steps: [{ do: 'notify', mode: 'skip' }], extra: 1 }, 'f.json')).toThrow(/f\.json/);
  });
});

describe('ScenarioRegistry', () => {
  const scenario = (id: string, priority?: number) =>
    parseScenario({ id, match: { amount: 1 }, steps: [{ do: 'notify', mode: 'skip' }], ...(priority === undefined ? {} : { priority }) }, id);

  it('tries API scenarios, then files, then built-ins; higher priority first within each', () => {
    const registry = new ScenarioRegistry(openDatabase(':memory:'), CATALOG);
    registry.setBuiltins([scenario('builtin-a', 100)]);
    registry.setFiles([scenario('file-low', 1), scenario('file-high', 5)]);
    expect(registry.match({ ...input, amount: 1 })?.id).toBe('file-high');
    registry.put(scenario('api'), 0);
    expect(registry.match({ ...input, amount: 1 })?.id).toBe('api');
    expect(registry.list().map((s) => s.id)).toEqual(['api', 'file-high', 'file-low', 'builtin-a']);
  });

  it('persists API scenarios and refuses to change others', () => {
    const db = openDatabase(':memory:');
    const registry = new ScenarioRegistry(db, CATALOG);
    registry.setBuiltins([scenario('builtin')]);
    registry.put(scenario('mine'), 0);
    expect(new ScenarioRegistry(db, CATALOG).get('mine')?.source).toBe('api');
    expect(() => registry.put(scenario('builtin'), 0)).toThrow(ScenarioConflictError);
    expect(() => registry.delete('builtin')).toThrow(ScenarioConflictError);
    expect(registry.delete('mine')).toBe(true);
    expect(registry.delete('mine')).toBe(false);
  });
});

describe('scenarios against the catalog of providers and products', () => {
  const scenario = (match: Record<string, unknown>) => parseScenario({ id: 's', match, steps: [{ do: 'notify', mode: 'skip' }] }, 's');

  it('accepts matchers that can match', () => {
    for (const match of [{ amount: 1 }, { provider: 'mmsp', product: 'wechat.*' }, { product: 'bank.online' }, { provider: ['mmsp', 'aggpay'], product: '*.qr' }]) {
      expect(() => checkAgainstCatalog(scenario(match), CATALOG, 'f.json')).not.toThrow();
    }
  });

  it('refuses an unknown provider, and a product no chosen provider has, naming the source and field', () => {
    expect(() => checkAgainstCatalog(scenario({ provider: 'mmps' }), CATALOG, 'f.json')).toThrow('f.json: match.provider: unknown provider mmps (known: mmsp, aggpay)');
    expect(() => checkAgainstCatalog(scenario({ provider: 'mmsp', product: 'wechat.qrr' }), CATALOG, 'f.json')).toThrow('f.json: match.product: wechat.qrr matches no product of mmsp');
    expect(() => checkAgainstCatalog(scenario({ provider: 'mmsp', product: 'bank.online' }), CATALOG, 'f.json')).toThrow(/bank\.online matches no product of mmsp/);
  });

  it('refuses a kind the chosen providers do not script', () => {
    expect(() => checkAgainstCatalog(scenario({ provider: 'aggpay', kind: 'payout' }), CATALOG, 'f.json')).toThrow(
      'f.json: match.kind: payout is no scripted kind of aggpay (known: order, refund)',
    );
    expect(() => checkAgainstCatalog(scenario({ kind: 'payout' }), CATALOG, 'f.json')).not.toThrow();
  });

  it('is applied by the registry to API scenarios', () => {
    const registry = new ScenarioRegistry(openDatabase(':memory:'), CATALOG);
    expect(() => registry.put(scenario({ provider: 'nope' }), 0)).toThrow(/request body: match\.provider/);
  });
});
