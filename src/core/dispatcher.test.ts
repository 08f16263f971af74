import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Clock } from './clock.js';
import { Dispatcher } from './dispatcher.js';
import { Notifier } from './notifier.js';
import { Payments } from './payments.js';
import { Records } from './records.js';
import { ScenarioRegistry } from './scenarios.js';
import type { SimulatorDefinition, SimulatorRegistry } from './simulator.js';
import { Store } from './store/index.js';
import { outboxItem } from '../../test/support/outbox.js';

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

describe('Dispatcher jobs', () => {
  it('takes a timed change out of the jobs table once it ran', async () => {
    const { store, clock, payments, dispatcher } = engine();
    order(payments, clock, 30_000);
    const jobs = () => store.db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number };
    expect(jobs().n).toBe(1);
    await dispatcher.advance(60_000);
    expect(jobs().n).toBe(0);
  });
});

/**
 * Deliveries to a merchant on a local port: the notification's name is the body, its reply comes from `answer` (which
 * may hold it, or act on the sandbox as a merchant's handler would before answering).
 */
describe('Dispatcher deliveries', () => {
  let server: Server;
  let url: string;
  /** A second merchant endpoint: another port, answered as the first. */
  let other: Server;
  let otherUrl: string;
  let answer: (name: string) => string | Promise<string> = () => 'OK';
  /** Called as each message is encoded, just before it is sent. */
  let encoding: () => void = () => {};
  const received: string[] = [];

  const merchantServer = () =>
    createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(body);
        void Promise.resolve(answer(body)).then((reply) => res.end(reply));
      });
    });
  const listen = async (listening: Server) => {
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/notify`;
  };

  beforeAll(async () => {
    server = merchantServer();
    url = await listen(server);
    other = merchantServer();
    otherUrl = await listen(other);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    answer = () => 'OK';
    encoding = () => {};
  });

  function deliveries(schedule: number[], { groupCommit = false, perEndpoint = 4 } = {}) {
    const simulator = {
      id: 'p',
      notifications: {
        push: {
          schedule,
          encode: (payload: { data: { url: string; name: string } }) => {
            encoding();
            return { method: 'POST', url: payload.data.url, body: payload.data.name };
          },
          isAck: ({ body }: { body: string }) => body === 'OK',
        },
      },
    } as unknown as SimulatorDefinition;
    const simulators: SimulatorRegistry = { get: (id) => (id === 'p' ? simulator : undefined), all: () => [simulator] };
    const store = new Store({ file: ':memory:', groupCommit });
    store.merchants.upsert(
      { provider: 'p', merchantId: 'm', terminalId: null, md5Key: 'k', publicKey: null, privateKey: null, name: null, settings: {}, source: 'api' },
      0,
    );
    store.commit();
    const clock = new Clock({ scale: 0, start: Date.parse('2026-03-01T02:00:00Z') });
    const records = new Records(store, clock, new ScenarioRegistry(store.db, {}), simulators);
    const notifier = new Notifier(store, clock, simulators, { timeoutMs: 5000, platformKeys: () => null });
    const dispatcher = new Dispatcher(store, clock, records, notifier, { concurrency: 64, perEndpoint });
    const queue = (name: string, dueAt: number, to = url) =>
      store.outbox.insert(outboxItem({ orderNo: name, url: to, payload: { data: { url: to, name } }, createdAt: dueAt, nextAttemptAt: dueAt }));
    const attemptsOf = (name: string) => {
      const item = store.outbox.list({ orderNo: name })[0]!;
      return store.outbox.attempts(item.id).map((attempt) => attempt.at);
    };
    return { store, clock, dispatcher, queue, attemptsOf };
  }

  it('a fast-forward plays a notification queued while it runs (a merchant handler asking the sandbox to push again)', async () => {
    const { store, clock, dispatcher, queue } = deliveries([0, 15]);
    const started = clock.now();
    queue('first', started);
    answer = (name) => {
      // As Allinpay's query does: the merchant's handler queries, and the sandbox queues a notification 1 s later.
      if (name === 'first') queue('second', clock.now() + 1000);
      return 'OK';
    };
    await dispatcher.advance(3_600_000);
    expect(store.outbox.list().map((item) => [item.orderNo, item.status])).toEqual([
      ['second', 'delivered'],
      ['first', 'delivered'],
    ]);
    expect(received).toEqual(['first', 'second']);
  });

  it('a fast-forward starts a notification to a free endpoint behind a line to a full one', async () => {
    const { dispatcher, queue, attemptsOf, clock } = deliveries([0, 15], { perEndpoint: 2 });
    const t0 = clock.now();
    for (let i = 0; i < 5; i++) queue(`busy-${i}`, t0 + i);
    queue('free', t0 + 10, otherUrl);
    // The busy shop answers only once the free one has been reached: with its two slots held, the three behind them
    // are passed over and the free shop's notification starts (were the pass to stop at the first full endpoint,
    // this would wait for ever).
    let reached!: () => void;
    const freeReached = new Promise<void>((resolve) => (reached = resolve));
    answer = (name) => {
      if (name === 'free') {
        reached();
        return 'OK';
      }
      return freeReached.then(() => 'OK');
    };
    await dispatcher.advance(60_000);
    // Started in that order, but three requests in flight at once may reach the merchants in any order.
    expect(received.slice(0, 3).sort()).toEqual(['busy-0', 'busy-1', 'free']);
    expect(received.slice(3).sort()).toEqual(['busy-2', 'busy-3', 'busy-4']);
    expect(attemptsOf('free')).toEqual([t0 + 10]);
    expect([0, 1, 2, 3, 4].map((i) => attemptsOf(`busy-${i}`))).toEqual([0, 1, 2, 3, 4].map((i) => [t0 + i]));
  });

  it('a replay acknowledged while a fast-forward retries a notification ends its schedule there', async () => {
    const { store, dispatcher, queue } = deliveries([0, 15, 15, 15]);
    const item = queue('x', 0);
    let seen = 0;
    answer = async () => {
      seen++;
      if (seen === 2) {
        // The merchant asks for a push while the second scheduled attempt waits for its answer, and acknowledges that one.
        await dispatcher.replay(item.id);
        return 'FAIL';
      }
      return seen === 3 ? 'OK' : 'FAIL';
    };
    await dispatcher.advance(3_600_000);
    const attempts = store.outbox.attempts(item.id);
    expect(attempts.map((attempt) => [attempt.trigger, attempt.verdict])).toEqual([
      ['schedule', 'rejected'],
      ['replay', 'acked'],
      ['schedule', 'rejected'],
    ]);
    expect(store.outbox.state(item.id)).toEqual({ status: 'delivered', attemptCount: 1, nextAttemptAt: null });
  });

  it('a replay commits the batch its notification was queued in before sending it', async () => {
    const { store, dispatcher, queue } = deliveries([0, 15], { groupCommit: true });
    const queuedIn = store.batchMark();
    const item = store.tx(() => queue('r', 3_600_000_000_000));
    expect(store.batchMark()).toBe(queuedIn); // still open
    // When the message is encoded, the batch it was queued in has been committed (a later one is open, for reads).
    const batchAtEncoding: number[] = [];
    encoding = () => batchAtEncoding.push(store.batchMark());
    await dispatcher.replay(item.id);
    expect(batchAtEncoding).toHaveLength(1);
    expect(batchAtEncoding[0]).toBeGreaterThan(queuedIn);
    expect(received).toEqual(['r']);
    expect(store.outbox.state(item.id)?.status).toBe('delivered');
  });

  it('a look queued before stop() starts no delivery once stopped', async () => {
    const { clock, dispatcher, queue } = deliveries([0, 15]);
    dispatcher.start();
    queue('late', clock.now());
    dispatcher.kick();
    await dispatcher.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([]);
  });

  it("a fast-forward begun during a late delivery on the running clock waits for that delivery's own retry time", async () => {
    // Gaps 0, 15, 5: an attempt due at 0 but made at 10 s retries at 15 s (from its due time), not at 25 s.
    const { clock, dispatcher, queue, attemptsOf } = deliveries([0, 15, 5]);
    const t0 = clock.now();
    queue('late', t0);
    queue('later', t0 + 20_000);
    let release!: (reply: string) => void;
    const held = new Promise<string>((resolve) => (release = resolve));
    let lateArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (lateArrived = resolve));
    let first = true;
    answer = (name) => {
      if (name === 'later') return 'OK';
      if (!first) return 'FAIL';
      first = false;
      lateArrived();
      return held;
    };
    clock.shift(10_000); // the running clock reaches it 10 s late
    dispatcher.start();
    await arrived;
    const advanced = dispatcher.advance(60_000);
    // Let the fast-forward look at its line while the late delivery is still unanswered.
    await new Promise((resolve) => setTimeout(resolve, 100));
    release('FAIL');
    await advanced;
    await dispatcher.stop();
    // The retries at 15 s and 20 s come in time order with the notification due at 20 s, not after it.
    expect(received.slice(0, 2)).toEqual(['late', 'late']);
    expect(attemptsOf('late').map((at) => at - t0)).toEqual([10_000, 15_000, 20_000]);
    expect(attemptsOf('later').map((at) => at - t0)).toEqual([20_000]);
  });
});
