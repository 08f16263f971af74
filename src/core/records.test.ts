import { describe, expect, it } from 'vitest';
import { Clock } from './clock.js';
import { defineKind, ORDER_KIND } from './kinds.js';
import { Records } from './records.js';
import { parseScenario } from './scenario-schema.js';
import { ScenarioRegistry } from './scenarios.js';
import { defineSimulator, type SimulatorDefinition, type SimulatorRegistry } from './simulator.js';
import { Store } from './store/index.js';

/** An order whose payment creates a child "hold" record, as an international card payment creates its pre-authorisation. */
const HOLD = defineKind({
  name: 'hold',
  states: ['held', 'released'],
  transitions: { held: ['released'], released: [] },
  initial: 'held',
});

const ORDER_WITH_HOLD = defineKind({
  ...ORDER_KIND,
  effect({ record, to }, api) {
    if (to !== 'paid') return;
    api.create({
      provider: record.provider,
      kind: 'hold',
      merchantId: record.merchantId,
      number: record.number,
      parentId: record.id,
      amount: record.amount,
      platformNumber: (sequence) => `H${sequence}`,
    });
  },
});

const simulator: SimulatorDefinition = defineSimulator({
  id: 'p',
  title: 'p',
  mount: '/p',
  routes: () => {
    throw new Error('not served');
  },
  products: ['x'],
  kinds: [ORDER_WITH_HOLD, HOLD],
  errors: {
    system: () => new Error('system'),
    duplicate: () => new Error('duplicate'),
    internal: () => new Error('internal'),
    malformed: () => new Error('malformed'),
    badField: () => new Error('bad field'),
  },
  errorResponse: () => new Response(null, { status: 400 }),
  merchants: [],
  notifications: {
    result: {
      schedule: [0],
      encode: ({ order }) => ({ method: 'POST', url: order.notifyUrl!, body: order.state }),
      isAck: () => true,
    },
  },
  // Only payments are announced; a query's push goes through `push`.
  announce: (event) => (event.record.kind === 'order' && event.to === 'paid' ? [{ channel: 'result', url: 'http://m.example/n' }] : []),
  codes: [],
});

function engine() {
  const store = new Store({ file: ':memory:' });
  const clock = new Clock({ scale: 0, start: Date.parse('2026-03-01T02:00:00Z') });
  const registry: SimulatorRegistry = { get: (id) => (id === 'p' ? simulator : undefined), all: () => [simulator] };
  const scenarios = new ScenarioRegistry(store.db, { p: { products: ['x'], kinds: ['order'] } });
  const records = new Records(store, clock, scenarios, registry);
  const order = records.create({
    provider: 'p',
    kind: 'order',
    merchantId: 'm',
    number: 'o1',
    product: 'x',
    amount: 100,
    notifyUrl: 'http://m.example/n',
    platformNumber: (sequence) => `P${sequence}`,
  }).record;
  return { store, records, scenarios, order };
}

describe('Records', () => {
  it('lets a kind effect create a related record in the same change', () => {
    const { store, records, order } = engine();
    records.transition(order.id, 'paid', 'payer');
    const [hold] = store.records.children(order.id, 'hold');
    expect(hold).toMatchObject({ kind: 'hold', number: 'o1', state: 'held', amount: 100, platformNumber: 'H1', parentId: order.id });
    expect(store.records.events(hold!.id).map((e) => [e.from, e.to, e.cause])).toEqual([[null, 'held', 'create']]);
  });

  it('push queues a notification about the record as it is, without a state change', () => {
    const { store, records, order } = engine();
    records.transition(order.id, 'paid', 'payer');
    expect(store.outbox.list({ provider: 'p' })).toHaveLength(1);
    records.push(order.id, [{ channel: 'result', url: 'http://m.example/n' }]);
    const items = store.outbox.list({ provider: 'p' });
    expect(items).toHaveLength(2);
    const pushed = items.find((item) => (item.payload as { cause?: string }).cause === 'merchant')!;
    expect(pushed.payload).toMatchObject({ from: 'paid', to: 'paid', cause: 'merchant' });
    expect(store.records.events(order.id)).toHaveLength(2);
    // Nothing to push is a no-op; an unknown record is refused.
    records.push(order.id, []);
    expect(store.outbox.list({ provider: 'p' })).toHaveLength(2);
    expect(() => records.push(9999, [{ channel: 'result', url: 'http://m.example/n' }])).toThrow(/no such record/);
  });

  it('a refused duplicate order does not consume the scenario armed for the next order', () => {
    const { store, records, scenarios } = engine();
    scenarios.put(parseScenario({ id: 'fails', match: { amount: 1 }, steps: [{ do: 'respond', outcome: 'failed' }] }, 'test'), 0);
    scenarios.armNext('p', 'm', 'fails');
    const create = (number: string) =>
      records.create({ provider: 'p', kind: 'order', merchantId: 'm', number, product: 'x', amount: 100, platformNumber: (sequence) => `P${sequence}` });
    expect(() => create('o1')).toThrow(expect.objectContaining({ code: 'DUPLICATE_ORDER' }));
    // Still armed, in memory and in the table (a restart reads the table).
    expect(scenarios.nextFor('p', 'm')).toBe('fails');
    expect(new ScenarioRegistry(store.db, { p: { products: ['x'], kinds: ['order'] } }).nextFor('p', 'm')).toBe('fails');
    // The next order that is created takes it, once.
    expect(create('o2').record).toMatchObject({ scenarioId: 'fails', state: 'failed' });
    expect(scenarios.nextFor('p', 'm')).toBeUndefined();
    expect(create('o3').record.scenarioId).toBeNull();
  });
});
