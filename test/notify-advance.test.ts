import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useSandbox } from './support/harness.js';
import { mmspClient, prepayBody } from './support/mmsp.js';

/**
 * Fast-forwarding with a merchant that never answers: every attempt due is
 * still made and recorded before the advance answers, each notification on
 * its own cadence, and the healthy ones are not pushed off theirs.
 */
const { sim, merchant } = useSandbox({ resetEach: true, env: { NOTIFY_TIMEOUT_MS: '400' } });
let silent: Server;
let silentUrl: string;
const open: ServerResponse[] = [];

beforeAll(async () => {
  silent = createServer((_req, res) => open.push(res));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/notify`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise<void>((resolve) => {
    silent.close(() => resolve());
    silent.closeAllConnections();
  });
});

async function paidOrder(notifyUrl: string) {
  const body = prepayBody(notifyUrl);
  await mmspClient(sim.url).send(2306, body);
  await sim.post(`/_sim/orders/mmsp/${body.MERORDERID}/pay`);
  return body.MERORDERID as string;
}

const notification = async (orderNo: string) => (await sim.get(`/_sim/notifications?provider=mmsp&orderNo=${orderNo}`))[0];

describe('a merchant that never answers, under clock advance', () => {
  it('under clock advance: every attempt due is made and recorded, each notification on its own cadence', async () => {
    merchant.setReply(() => ({ body: 'FAIL' }));
    const stuckOrders = [await paidOrder(silentUrl), await paidOrder(silentUrl)];
    const healthyOrders = [await paidOrder(`${merchant.url}/a`), await paidOrder(`${merchant.url}/b`)];
    await sim.advance(300);
    for (const orderNo of healthyOrders) {
      const { attempts } = await notification(orderNo);
      const offsets = attempts.map((a: { at: string }) => (Date.parse(a.at) - Date.parse(attempts[0].at)) / 1000);
      // 扫码 §10.8: 0, 15, 15, 30, 180 … — every attempt due within the 300 s, at its exact time.
      expect(offsets).toEqual([0, 15, 30, 60, 240]);
    }
    for (const orderNo of stuckOrders) {
      const { attempts } = await notification(orderNo);
      expect(attempts.length).toBeGreaterThanOrEqual(4);
      expect(attempts.slice(1).every((a: { verdict: string; error: string }) => a.verdict === 'error' && /no reply within/.test(a.error))).toBe(true);
    }
  });
});
