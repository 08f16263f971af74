import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool, sendRequest } from './outgoing.js';

describe('sendRequest', () => {
  let server: Server;
  let url: string;
  /** Requests to /slow are answered only when the test says so. */
  const held: (() => void)[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/slow') return held.push(() => res.end('late'));
        res.setHeader('content-type', 'text/plain; charset=GBK');
        res.setHeader('x-shop', 'demo');
        res.end('SUCCESS');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const answer of held) answer();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('rejects a request Node refuses to build, and leaves no timer behind to fire on it', async () => {
    const pool = new ConnectionPool();
    try {
      await expect(
        sendRequest('http://127.0.0.1:9/notify', { method: 'POST', headers: { 'x-shop': '商户' }, body: '{}', timeoutMs: 20, maxReplyBytes: 1024, pool }),
      ).rejects.toThrow(/Invalid character/);
      // Before the fix the timer fired here and threw in a timer callback (an uncaught exception: vitest fails the run).
      await new Promise((resolve) => setTimeout(resolve, 60));
    } finally {
      pool.close();
    }
  });

  it('answers the status, the bytes and every header', async () => {
    const pool = new ConnectionPool();
    try {
      const reply = await sendRequest(`${url}/notify`, { method: 'POST', body: 'x', maxReplyBytes: 1024, pool });
      expect(reply.status).toBe(200);
      expect(Buffer.from(reply.bytes).toString()).toBe('SUCCESS');
      const headers = new Map<string, string>();
      for (let i = 0; i < reply.rawHeaders.length; i += 2) headers.set(reply.rawHeaders[i]!.toLowerCase(), reply.rawHeaders[i + 1]!);
      expect(headers.get('content-type')).toBe('text/plain; charset=GBK');
      expect(headers.get('x-shop')).toBe('demo');
      expect(headers.get('content-length')).toBe('7');
    } finally {
      pool.close();
    }
  });

  it('refuses a URL it cannot send to, every time it is asked', async () => {
    const pool = new ConnectionPool();
    try {
      for (let i = 0; i < 2; i++) {
        await expect(sendRequest('ftp://127.0.0.1/notify', { method: 'POST', maxReplyBytes: 1024, pool })).rejects.toThrow(/unsupported protocol ftp:/);
        await expect(sendRequest('not a url', { method: 'POST', maxReplyBytes: 1024, pool })).rejects.toThrow(/Invalid URL/);
      }
    } finally {
      pool.close();
    }
  });

  it('gives up a request in flight when asked, and does nothing once a request has ended', async () => {
    const pool = new ConnectionPool();
    try {
      let abortEnded: ((reason: unknown) => void) | undefined;
      const reply = await sendRequest(`${url}/notify`, { method: 'POST', body: '{}', abortable: (abort) => (abortEnded = abort), maxReplyBytes: 1024, pool });
      expect(reply.status).toBe(200);
      // Ended: giving it up now must not touch the connection it gave back to the pool.
      abortEnded!(new Error('late'));
      expect((await sendRequest(`${url}/notify`, { method: 'POST', body: '{}', maxReplyBytes: 1024, pool })).status).toBe(200);
      const aborts: ((reason: unknown) => void)[] = [];
      const pending = [1, 2].map(() => sendRequest(`${url}/slow`, { method: 'POST', body: '{}', abortable: (abort) => aborts.push(abort), maxReplyBytes: 1024, pool }));
      expect(aborts).toHaveLength(2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const abort of aborts) abort(new Error('reset'));
      for (const request of pending) await expect(request).rejects.toThrow('reset');
      // A request refused at once is handed a give-up too, which does nothing.
      let refused: ((reason: unknown) => void) | undefined;
      const bad = sendRequest('not a url', { method: 'POST', abortable: (abort) => (refused = abort), maxReplyBytes: 1024, pool });
      refused!(new Error('ignored'));
      await expect(bad).rejects.toThrow(/Invalid URL/);
    } finally {
      pool.close();
    }
  });
});
