import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Clock } from './clock.js';
import { Dispatcher } from './dispatcher.js';
import { Notifier } from './notifier.js';
import { Payments } from './payments.js';
import { Records } from './records.js';
import { ScenarioRegistry } from './scenarios.js';
import type { SimulatorRegistry } from './simulator.js';
import { Store } from './store/index.js';

const noSimulators: SimulatorRegistry = { get: () => undefined, all: () => [] };

/** An engine on a running clock (60 virtual seconds per real second) whose real time is vitest's fake timers. */
function engine() {
  const store = new Store({ file: ':memory:' });
  const clock = new Clock({ scale: 60, start: Date.parse('2026-03-01T02:00:00Z') });
  const records = new Records(store, clock, new ScenarioRegistry(store.db, {}), noSimulators);
  const payments = new Payments(store, clock, records);
  const notifier = new Notifier(store, clock, noSimulators, { timeoutMs: 1000, platformKeys: () => null });
  const dispatcher = new Dispatcher(store, clock, records, notifier);
  records.onWork = () => dispatcher.kick();
  return { store, clock, payments, dispatcher };
}

function order(payments: Payments, clock: Clock, expiresInMs: number) {
  return payments.create({
    provider: 'p',
    merchantId: 'm',
    orderNo: `o${expiresInMs}`,
    product: 'x',
    amount: 1,
    notifyUrl: null,
    expiresAt: clock.now() + expiresInMs,
    natural: 'awaiting',
    platformOrderNo: (sequence) => `po${sequence}`,
  }).order;
}

describe('Dispatcher on a running clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('re-arms its timer when work is queued, so an event 15 virtual seconds out runs 250 real ms later', async () => {
    const { store, clock, payments, dispatcher } = engine();
    dispatcher.start(); // armed for an idle second: nothing is due yet
    const created = order(payments, clock, 15_000);
    await vi.advanceTimersByTimeAsync(240);
    expect(store.orders.get(created.id)!.state).toBe('created');
    await vi.advanceTimersByTimeAsync(20);
    expect(store.orders.get(created.id)!.state).toBe('closed');
    await dispatcher.stop();
  });

  it('advance plays due events in time order with the clock pinned at each due time', async () => {
    const { store, clock, payments, dispatcher } = engine();
    const later = order(payments, clock, 120_000);
    const sooner = order(payments, clock, 30_000);
    const started = clock.now();
    await dispatcher.advance(600_000);
    expect(store.orders.get(sooner.id)!.closedAt! - started).toBe(30_000);
    expect(store.orders.get(later.id)!.closedAt! - started).toBe(120_000);
    expect(clock.now() - started).toBeGreaterThanOrEqual(600_000);
  });
});
