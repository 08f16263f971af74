import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { LookupOptions } from 'node:dns';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BATCH_MAX } from './delivery-messages.js';
import { DeliveryThread } from './delivery-thread.js';

/** Answers a lookup with 127.0.0.1, in the form node asked for. */
function answerLoopback(options: LookupOptions, callback: Parameters<LookupFunction>[2]): void {
  if (options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
  return callback(null, '127.0.0.1', 4);
}

/** A lookup that answers only when `release` is called: the request waits for its connection until then. */
function heldLookup(): { lookup: LookupFunction; release?: () => void } {
  const held: { lookup: LookupFunction; release?: () => void } = {
    lookup: (_hostname, options, callback) => {
      held.release = () => answerLoopback(options, callback);
    },
  };
  return held;
}

describe('DeliveryThread', () => {
  let server: Server;
  let port: number;
  /** Requests to /slow… are never answered; each one's path is reported here when its connection closes. */
  const closed: string[] = [];
  /** The paths of the requests to /slow… read to their end (from then on their connection's close is reported). */
  const arrivedSlow: string[] = [];
  /** The paths of the requests answered. */
  const requested: string[] = [];
  /** Every connection the server accepted, and whether it is still open. */
  const connections: { open: boolean }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url!.startsWith('/slow')) {
          req.socket.once('close', () => closed.push(req.url!));
          arrivedSlow.push(req.url!);
          return;
        }
        requested.push(req.url!);
        res.setHeader('content-type', 'text/plain; charset=GBK');
        res.setHeader('x-shop', 'demo');
        res.end(req.headers['x-echo'] ?? 'SUCCESS');
      });
    });
    server.on('connection', (socket) => {
      const connection = { open: true };
      connections.push(connection);
      socket.once('close', () => (connection.open = false));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('makes the request on its thread and answers status, headers and bytes', async () => {
    const thread = new DeliveryThread();
    try {
      const reply = await thread.send(`http://127.0.0.1:${port}/notify`, { method: 'POST', headers: { 'x-echo': 'echoed' }, body: '{}', maxReplyBytes: 1024 });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('text/plain; charset=GBK');
      expect(reply.headers.get('x-shop')).toBe('demo');
      expect(Buffer.from(reply.bytes).toString()).toBe('echoed');
      // Its own bytes only, not the 8 KiB pool slab they were read into.
      expect(reply.bytes.buffer.byteLength).toBe(reply.bytes.byteLength);
    } finally {
      thread.close();
    }
  });

  it('answers every request of a turn that starts more than a batch of them, each with its own reply', async () => {
    const thread = new DeliveryThread();
    try {
      // Started in one turn: the first BATCH_MAX go at once, the rest at the end of the turn.
      const count = BATCH_MAX * 2 + 3;
      const replies = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          thread.send(`http://127.0.0.1:${port}/batch-${i}`, { method: 'POST', headers: { 'x-echo': `reply-${i}` }, body: '{}', maxReplyBytes: 1024 }),
        ),
      );
      expect(replies.map((reply) => Buffer.from(reply.bytes).toString())).toEqual(Array.from({ length: count }, (_, i) => `reply-${i}`));
      expect(requested.filter((path) => path.startsWith('/batch-')).sort()).toEqual(Array.from({ length: count }, (_, i) => `/batch-${i}`).sort());
    } finally {
      thread.close();
    }
  });

  it('resolves names with the caller’s own lookup, on the caller’s thread, and passes its refusal back as it was', async () => {
    const thread = new DeliveryThread();
    const asked: string[] = [];
    const allow: LookupFunction = (hostname, options, callback) => {
      asked.push(hostname);
      answerLoopback(options, callback);
    };
    const refuse: LookupFunction = (hostname, _options, callback) => {
      const failure: NodeJS.ErrnoException = new Error(`not sent: ${hostname} resolves to 169.254.169.254`);
      failure.code = 'EREFUSED_ADDRESS';
      callback(failure, '', 0);
    };
    try {
      const reply = await thread.send(`http://shop.example:${port}/notify`, { method: 'POST', body: '{}', maxReplyBytes: 1024, lookup: allow });
      expect(reply.status).toBe(200);
      expect(asked).toEqual(['shop.example']);
      const refused = await thread.send(`http://metadata.example:${port}/notify`, { method: 'POST', body: '{}', maxReplyBytes: 1024, lookup: refuse }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(Error);
      expect(refused).toMatchObject({ message: 'not sent: metadata.example resolves to 169.254.169.254', code: 'EREFUSED_ADDRESS' });
    } finally {
      thread.close();
    }
  });

  it('gives up after the timeout with a TimeoutError, and an abort answers at once and drops the connection', async () => {
    const thread = new DeliveryThread();
    try {
      const late = await thread.send(`http://127.0.0.1:${port}/slow`, { method: 'POST', body: '{}', maxReplyBytes: 1024, timeoutMs: 50 }).catch((error: unknown) => error);
      expect(late).toMatchObject({ name: 'TimeoutError' });

      const controller = new AbortController();
      const held = thread.send(`http://127.0.0.1:${port}/slow?aborted`, { method: 'POST', body: '{}', maxReplyBytes: 1024, signal: controller.signal });
      // Aborted once the server has it (a fixed wait could end before a loaded machine sent it).
      await expect.poll(() => arrivedSlow).toContain('/slow?aborted');
      controller.abort(new Error('reset'));
      await expect(held).rejects.toThrow('reset');
      await expect.poll(() => closed).toContain('/slow?aborted');
      // An aborted signal refuses before anything is sent.
      await expect(thread.send(`http://127.0.0.1:${port}/notify`, { method: 'GET', maxReplyBytes: 1024, signal: controller.signal })).rejects.toThrow('reset');
    } finally {
      thread.close();
    }
  });

  it('listens once to a signal its requests share, leaves it when they end, and its abort ends all those waiting', async () => {
    const thread = new DeliveryThread();
    const controller = new AbortController();
    try {
      const send = (path: string) => thread.send(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: '{}', maxReplyBytes: 1024, signal: controller.signal });
      await Promise.all(Array.from({ length: 12 }, () => send('/notify')));
      // Twelve requests ended: nothing is left listening (a leak warning past ten, and an abort reaching them).
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      const paths = ['/slow?shared-0', '/slow?shared-1', '/slow?shared-2'];
      const waiting = paths.map(send);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      await expect.poll(() => paths.every((path) => arrivedSlow.includes(path))).toBe(true);
      controller.abort(new Error('reset'));
      for (const request of waiting) await expect(request).rejects.toThrow('reset');
      await expect.poll(() => paths.every((path) => closed.includes(path))).toBe(true);
      // A request on another signal is untouched by it.
      expect((await thread.send(`http://127.0.0.1:${port}/notify`, { method: 'POST', body: '{}', maxReplyBytes: 1024, signal: new AbortController().signal })).status).toBe(200);
    } finally {
      thread.close();
    }
  });

  it('never sends a request aborted before it went out, once synced() has resolved (what a reset waits for)', async () => {
    const thread = new DeliveryThread();
    const held = heldLookup();
    try {
      const controller = new AbortController();
      const sent = thread.send(`http://shop.example:${port}/aborted`, { method: 'POST', body: '{}', maxReplyBytes: 1024, lookup: held.lookup, signal: controller.signal });
      await expect.poll(() => held.release).toBeDefined();
      controller.abort(new Error('reset'));
      await expect(sent).rejects.toThrow('reset');
      await thread.synced();
      held.release!();
      // A request that follows on the same thread is answered; the aborted one never reached the server.
      expect((await thread.send(`http://127.0.0.1:${port}/after`, { method: 'GET', maxReplyBytes: 1024 })).status).toBe(200);
      expect(requested).toContain('/after');
      expect(requested).not.toContain('/aborted');
    } finally {
      thread.close();
    }
  });

  it('fails a request it cannot make alone: the thread goes on with the others', async () => {
    const thread = new DeliveryThread();
    try {
      const controller = new AbortController();
      const held = thread.send(`http://127.0.0.1:${port}/slow`, { method: 'POST', body: '{}', maxReplyBytes: 1024, signal: controller.signal });
      await expect(thread.send('not a url', { method: 'POST', body: '{}', maxReplyBytes: 1024 })).rejects.toThrow(/Invalid URL/);
      await expect(thread.send(`http://127.0.0.1:${port}/x`, { method: 'POST', headers: { 'x-shop': '商户' }, body: '{}', maxReplyBytes: 1024 })).rejects.toThrow(/Invalid character/);
      expect((await thread.send(`http://127.0.0.1:${port}/next`, { method: 'GET', maxReplyBytes: 1024 })).status).toBe(200);
      // The request held meanwhile was not lost with a thread: it is still waiting, and ends when aborted.
      controller.abort(new Error('done'));
      await expect(held).rejects.toThrow('done');
    } finally {
      thread.close();
    }
  });

  it('never hands a stopped thread’s late lookup answer to the next thread (its lookup numbers start again)', async () => {
    const first = new DeliveryThread();
    const heldFirst = heldLookup();
    const controller = new AbortController();
    const sentFirst = first.send(`http://first.example:${port}/first`, { method: 'GET', maxReplyBytes: 1024, lookup: heldFirst.lookup, signal: controller.signal });
    await expect.poll(() => heldFirst.release).toBeDefined();
    controller.abort(new Error('reset'));
    await expect(sentFirst).rejects.toThrow('reset');
    first.close(); // the last client: the thread stops

    const second = new DeliveryThread();
    let refuseSecond: (() => void) | undefined;
    const heldSecond: LookupFunction = (hostname, _options, callback) => {
      refuseSecond = () => callback(Object.assign(new Error(`not sent: ${hostname} is refused`), { code: 'EREFUSED_ADDRESS' }), '', 0);
    };
    try {
      const sentSecond = second.send(`http://second.example:${port}/second`, { method: 'GET', maxReplyBytes: 1024, lookup: heldSecond });
      await expect.poll(() => refuseSecond).toBeDefined();
      // The first thread's answer comes late: the new thread must not take it for its own lookup number 1.
      heldFirst.release!();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(requested).not.toContain('/second');
      refuseSecond!();
      await expect(sentSecond).rejects.toThrow('not sent: second.example is refused');
      expect(requested).not.toContain('/second');
    } finally {
      second.close();
    }
  });

  it('holds the process open while a request or a synced() waits on it, and not when idle', async () => {
    const ports = () => process.getActiveResourcesInfo().filter((resource) => resource === 'MessagePort').length;
    const thread = new DeliveryThread();
    try {
      expect((await thread.send(`http://127.0.0.1:${port}/a`, { method: 'GET', maxReplyBytes: 1024 })).status).toBe(200);
      const idle = ports();
      const synced = thread.synced();
      expect(ports()).toBe(idle + 1);
      await synced;
      expect(ports()).toBe(idle);
      const sent = thread.send(`http://127.0.0.1:${port}/b`, { method: 'GET', maxReplyBytes: 1024 });
      expect(ports()).toBe(idle + 1);
      await sent;
      expect(ports()).toBe(idle);
    } finally {
      thread.close();
    }
  });

  it('refuses once closed; the last client to close stops the thread, and the next client starts another', async () => {
    const first = new DeliveryThread();
    const second = new DeliveryThread();
    expect((await first.send(`http://127.0.0.1:${port}/a`, { method: 'GET', maxReplyBytes: 1024 })).status).toBe(200);
    first.close();
    await expect(first.send(`http://127.0.0.1:${port}/a`, { method: 'GET', maxReplyBytes: 1024 })).rejects.toThrow('closed');
    expect((await second.send(`http://127.0.0.1:${port}/b`, { method: 'GET', maxReplyBytes: 1024 })).status).toBe(200);
    second.close();
    const third = new DeliveryThread();
    try {
      expect((await third.send(`http://127.0.0.1:${port}/c`, { method: 'GET', maxReplyBytes: 1024 })).status).toBe(200);
    } finally {
      third.close();
    }
  });

  it('ends the thread after 30 s without a request (its kept-alive connections close), and starts it again for the next', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const thread = new DeliveryThread();
    try {
      const before = connections.length;
      expect((await thread.send(`http://127.0.0.1:${port}/a`, { method: 'GET', maxReplyBytes: 1024 })).status).toBe(200);
      expect((await thread.send(`http://127.0.0.1:${port}/b`, { method: 'GET', maxReplyBytes: 1024 })).status).toBe(200);
      // Kept alive: both requests went over one connection, still open.
      expect(connections.slice(before)).toEqual([{ open: true }]);
      vi.advanceTimersByTime(29_000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(connections[before]!.open).toBe(true);
      vi.advanceTimersByTime(1_000);
      await expect.poll(() => connections[before]!.open).toBe(false);
      expect((await thread.send(`http://127.0.0.1:${port}/c`, { method: 'GET', maxReplyBytes: 1024 })).status).toBe(200);
      expect(connections.slice(before).map((connection) => connection.open)).toEqual([false, true]);
    } finally {
      thread.close();
      vi.useRealTimers();
    }
  });
});
