import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clock } from './clock.js';
import { Notifier } from './notifier.js';
import type { SimulatorDefinition, SimulatorRegistry } from './simulator.js';
import { Store } from './store/index.js';
import { UrlGuard, type Resolver } from './url-guard.js';
import { outboxItem } from '../../test/support/outbox.js';

let server: Server;
let url: string;
const replies: string[] = [];
/** The attempt number each request carried, in arrival order. */
const sent: string[] = [];
const received: { host: string | undefined; body: string }[] = [];
/** Requests held unanswered (a slow merchant), and who waits for the next one to arrive. */
const held: ServerResponse[] = [];
let holdNext: (() => void) | null = null;

/** Holds the next request unanswered; resolves when it has arrived. */
function holdOne(): Promise<void> {
  return new Promise((resolve) => {
    holdNext = resolve;
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    sent.push(String(req.headers['x-attempt-no']));
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ host: req.headers.host, body });
      const arrived = holdNext;
      if (arrived) {
        holdNext = null;
        held.push(res);
        arrived();
        return;
      }
      res.end(replies.shift() ?? 'FAIL');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const simulator = {
  id: 'p',
  notifications: {
    push: {
      schedule: [0, 15, 15, 30],
      encode: (payload: { data?: { url?: string } }, { attemptNo }: { attemptNo: number }) => ({
        method: 'POST',
        url: String(payload.data?.url),
        headers: { 'x-attempt-no': String(attemptNo) },
        body: 'hello',
      }),
      isAck: ({ body }: { body: string }) => body === 'OK',
    },
  },
} as unknown as SimulatorDefinition;
const registry: SimulatorRegistry = { get: (id) => (id === 'p' ? simulator : undefined), all: () => [simulator] };

function setup(target = url, urlGuard?: UrlGuard) {
  const store = new Store({ file: ':memory:' });
  store.merchants.upsert(
    { provider: 'p', merchantId: 'm', terminalId: null, md5Key: 'k', publicKey: null, privateKey: null, name: null, settings: {}, source: 'api' },
    0,
  );
  const clock = new Clock({ scale: 0, start: 1_000_000 });
  const notifier = new Notifier(store, clock, registry, { timeoutMs: 2000, platformKeys: () => null, ...(urlGuard ? { urlGuard } : {}) });
  const item = store.outbox.insert(outboxItem({ url: target, payload: { data: { url: target } }, createdAt: 1_000_000, nextAttemptAt: 1_000_000 }));
  return { store, clock, notifier, item };
}

describe('Notifier', () => {
  it('counts the next gap from when the attempt was due, so a late timer does not shift the cadence', async () => {
    const { store, clock, notifier, item } = setup();
    clock.shift(300); // the attempt runs 300 ms late
    await notifier.deliver(item);
    const after = store.outbox.get(item.id)!;
    expect(after).toMatchObject({ status: 'pending', attemptCount: 1, nextAttemptAt: 1_000_000 + 15_000 });
    expect(store.outbox.attempts(item.id)[0]).toMatchObject({ at: 1_000_300, requestBody: 'hello', replyBody: 'FAIL', verdict: 'rejected' });
  });

  it('after a long stop counts from now instead, so missed attempts do not come in a burst', async () => {
    const { store, clock, notifier, item } = setup();
    clock.shift(3_600_000);
    await notifier.deliver(item);
    expect(store.outbox.get(item.id)!.nextAttemptAt).toBe(1_000_000 + 3_600_000 + 15_000);
  });

  it('stops when acknowledged, and after the last gap of the schedule', async () => {
    const { store, notifier, item } = setup();
    replies.push('FAIL', 'FAIL', 'FAIL', 'FAIL');
    for (let i = 0; i < 4; i++) await notifier.deliver(store.outbox.get(item.id)!);
    expect(store.outbox.get(item.id)).toMatchObject({ status: 'exhausted', attemptCount: 4, nextAttemptAt: null });

    const second = setup();
    replies.push('OK');
    await second.notifier.deliver(second.item);
    expect(second.store.outbox.get(second.item.id)).toMatchObject({ status: 'delivered', nextAttemptAt: null });
  });

  describe('a replay beside a scheduled attempt of the same notification', () => {
    const record = (store: Store, id: number) =>
      store.outbox.attempts(id).map((attempt) => [attempt.trigger, attempt.attemptNo, attempt.verdict, attempt.nextAttemptAt]);

    it('a scheduled attempt answered after an acknowledged replay does not reopen the notification', async () => {
      const { store, notifier, item } = setup();
      sent.length = 0;
      const arrived = holdOne();
      const scheduled = notifier.deliver(item); // the merchant is slow to answer this one
      await arrived;
      replies.push('OK');
      await notifier.replay(item.id); // the operator replays it and the merchant acknowledges
      held.shift()!.end('FAIL');
      await scheduled;
      // Delivered stays delivered: no retry is scheduled for a notification the merchant acknowledged.
      expect(store.outbox.get(item.id)).toMatchObject({ status: 'delivered', attemptCount: 0, nextAttemptAt: null });
      expect(record(store, item.id)).toEqual([
        ['replay', 2, 'acked', null],
        ['schedule', 1, 'rejected', null],
      ]);
      // Each attempt carried its own number on the wire too.
      expect(sent).toEqual(['1', '2']);
    });

    it('a replay answered after the scheduled attempt does not roll the schedule back or reopen it', async () => {
      const { store, notifier, item } = setup();
      const arrived = holdOne();
      const replay = notifier.replay(item.id);
      await arrived;
      await notifier.deliver(store.outbox.get(item.id)!); // FAIL: the schedule moves on to the retry 15 s later
      const afterScheduled = { status: 'pending', attemptCount: 1, nextAttemptAt: 1_000_000 + 15_000 };
      expect(store.outbox.get(item.id)).toMatchObject(afterScheduled);
      held.shift()!.end('FAIL');
      await replay;
      expect(store.outbox.get(item.id)).toMatchObject(afterScheduled);

      const second = setup();
      const arrivedAgain = holdOne();
      const secondReplay = second.notifier.replay(second.item.id);
      await arrivedAgain;
      replies.push('OK');
      await second.notifier.deliver(second.store.outbox.get(second.item.id)!);
      held.shift()!.end('FAIL');
      await secondReplay;
      expect(second.store.outbox.get(second.item.id)).toMatchObject({ status: 'delivered', attemptCount: 1, nextAttemptAt: null });
      expect(record(second.store, second.item.id)).toEqual([
        ['schedule', 2, 'acked', null],
        ['replay', 1, 'rejected', null],
      ]);
    });

    it('a replay the merchant does not acknowledge leaves the schedule as it was', async () => {
      const { store, notifier, item } = setup();
      await notifier.replay(item.id);
      expect(store.outbox.get(item.id)).toMatchObject({ status: 'pending', attemptCount: 0, nextAttemptAt: 1_000_000 });
      expect(record(store, item.id)).toEqual([['replay', 1, 'rejected', 1_000_000]]);
    });
  });

  describe('with the URL guard', () => {
    const port = () => Number(new URL(url).port);
    /** A name that answers `first`, then `later` ever after: what a rebinding attacker's DNS does. */
    const rebinding = (first: string, later: string) => {
      const calls: string[] = [];
      const resolve: Resolver = (hostname, _options, callback) => {
        const address = calls.length === 0 ? first : later;
        calls.push(address);
        callback(null, [{ address, family: 4 }]);
      };
      return { resolve, calls };
    };

    it('connects to the address it checked, resolving the name once (DNS rebinding gains nothing)', async () => {
      const dns = rebinding('127.0.0.1', '169.254.169.254');
      const guard = new UrlGuard(null, dns.resolve);
      guard.setPorts([port() + 1]); // the sandbox is elsewhere: the shop on 127.0.0.1 is fine
      const { store, notifier, item } = setup(`http://shop.rebind.test:${port()}/notify`, guard);
      received.length = 0;
      replies.push('OK');
      await notifier.deliver(item);
      expect(dns.calls).toEqual(['127.0.0.1']);
      expect(received).toEqual([{ host: `shop.rebind.test:${port()}`, body: 'hello' }]);
      expect(store.outbox.get(item.id)).toMatchObject({ status: 'delivered' });
    });

    it('refuses a name that resolves to the sandbox itself before any byte is sent', async () => {
      const dns = rebinding('::ffff:127.0.0.1', '::ffff:127.0.0.1');
      const guard = new UrlGuard(null, dns.resolve);
      guard.setPorts([port()]);
      const { store, notifier, item } = setup(`http://shop.rebind.test:${port()}/_sim/reset`, guard);
      received.length = 0;
      await notifier.deliver(item);
      expect(received).toEqual([]);
      expect(store.outbox.attempts(item.id)[0]).toMatchObject({
        verdict: 'error',
        httpStatus: null,
        error: expect.stringMatching(/^not sent: shop\.rebind\.test resolves to ::ffff:127\.0\.0\.1: it is the sandbox/),
      });
    });

    it('refuses an IPv4-mapped literal of the sandbox without resolving anything', async () => {
      const dns = rebinding('127.0.0.1', '127.0.0.1');
      const guard = new UrlGuard(null, dns.resolve);
      guard.setPorts([port()]);
      const { store, notifier, item } = setup(`http://[::ffff:127.0.0.1]:${port()}/_sim/reset`, guard);
      received.length = 0;
      await notifier.deliver(item);
      expect(received).toEqual([]);
      expect(dns.calls).toEqual([]);
      expect(store.outbox.attempts(item.id)[0]!.error).toMatch(/^not sent: it is the sandbox/);
    });
  });
});
