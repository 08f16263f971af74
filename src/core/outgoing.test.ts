import { describe, expect, it } from 'vitest';
import { ConnectionPool, sendRequest } from './outgoing.js';

describe('sendRequest', () => {
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
});
