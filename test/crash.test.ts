import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMerchant } from './support/merchant.js';
import { mmspClient, prepayBody } from './support/mmsp.js';

/**
 * The sandbox as `npm start` runs it, killed with SIGKILL under load at random
 * moments and restarted on the same data directory: nothing it acknowledged is
 * lost, owed notifications resume (one in flight at the kill is made again),
 * and the clock never comes back behind a stored event.
 */
let dataDir: string;
let merchant: Awaited<ReturnType<typeof startMerchant>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandbox-crash-'));
  // Slow acknowledgements, so kills land while attempts are in flight.
  merchant = await startMerchant(() => ({ body: 'SUCCESS', delayMs: 150 }));
});
afterAll(async () => {
  await merchant.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SIM_TIME_SCALE: '60', SIM_CLOCK_START: '2026-03-01T10:00:00+08:00', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${out}`)));
  });
  return { child, url };
}

const kill = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('SIGKILL under load', () => {
  it('loses nothing acknowledged, resumes owed notifications and never moves the clock back', async () => {
    const placed = new Set<string>();
    const paid = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const { child, url } = await start();
      const client = mmspClient(url);
      let stop = false;
      const worker = async () => {
        while (!stop) {
          const body = prepayBody(`${merchant.url}/notify`);
          try {
            const reply = await client.send(2306, body);
            if (reply.RetCode === 1) placed.add(body.MERORDERID);
            const pay = await fetch(`${url}/_sim/orders/mmsp/${body.MERORDERID}/pay`, { method: 'POST' });
            if (pay.status === 200) paid.add(body.MERORDERID);
          } catch {
            return; // the process is gone
          }
        }
      };
      const workers = Array.from({ length: 20 }, worker);
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 500));
      stop = true;
      await kill(child);
      await Promise.all(workers);
    }
    expect(placed.size).toBeGreaterThan(20);

    const { child, url } = await start();
    try {
      const get = async (path: string) => (await (await fetch(url + path)).json()) as any;
      const orders: { orderNo: string; state: string; createdAt: string }[] = await get('/_sim/orders?provider=mmsp&limit=5000');
      const byNo = new Map(orders.map((order) => [order.orderNo, order]));
      for (const orderNo of placed) expect(byNo.has(orderNo), orderNo).toBe(true);
      for (const orderNo of paid) expect(byNo.get(orderNo)?.state, orderNo).toBe('paid');

      const newest = Math.max(...orders.map((order) => Date.parse(order.createdAt)));
      expect(Date.parse((await get('/_sim/health')).now)).toBeGreaterThanOrEqual(newest);

      // Every paid order owes its push; after a day of retries, every one was acknowledged.
      await fetch(`${url}/_sim/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds: 86400 }) });
      const notifications: { orderNo: string; status: string }[] = await get('/_sim/notifications?provider=mmsp&limit=5000');
      const notified = new Map(notifications.map((n) => [n.orderNo, n.status]));
      for (const orderNo of paid) expect(notified.get(orderNo), orderNo).toBe('delivered');
    } finally {
      await kill(child);
    }
  }, 60_000);
});
