import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryThread } from './delivery-thread.js';

describe('DeliveryThread', () => {
  let server: Server;
  let port: number;
  /** Requests to /slow are never answered; each one's connection is reported closed here. */
  const closed: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/slow') {
          req.socket.once('close', () => closed.push(req.url!));
          return;
        }
        res.setHeader('content-type', 'text/plain; charset=GBK');
        res.setHeader('x-shop', 'demo');
        res.end(req.headers['x-echo'] ?? 'SUCCESS');
      });
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
    } finally {
      thread.close();
    }
  });

  it('resolves names with the caller’s own lookup, on the caller’s thread, and passes its refusal back as it was', async () => {
    const thread = new DeliveryThread();
    const asked: string[] = [];
    const allow: LookupFunction = (hostname, options, callback) => {
      asked.push(hostname);
      if (options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
      return callback(null, '127.0.0.1', 4);
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
      const held = thread.send(`http://127.0.0.1:${port}/slow`, { method: 'POST', body: '{}', maxReplyBytes: 1024, signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const before = closed.length;
      controller.abort(new Error('reset'));
      await expect(held).rejects.toThrow('reset');
      await expect.poll(() => closed.length).toBe(before + 1);
      // An aborted signal refuses before anything is sent.
      await expect(thread.send(`http://127.0.0.1:${port}/notify`, { method: 'GET', maxReplyBytes: 1024, signal: controller.signal })).rejects.toThrow('reset');
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
});
