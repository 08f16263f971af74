import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useSandbox } from './support/harness.js';
import { mmspClient, prepayBody } from './support/mmsp.js';

/**
 * One merchant that never answers must not hold anybody else's notifications,
 * nor the admin API (issue: "Nothing stalls"). The silent receiver keeps every
 * request open until the test ends.
 */
const { sim, merchant } = useSandbox({ resetEach: true, env: { NOTIFY_TIMEOUT_MS: '4000' } });
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

describe('a merchant that never answers', () => {
  it('does not delay another merchant’s notification', async () => {
    const stuck = await paidOrder(silentUrl);
    const healthy = await paidOrder(`${merchant.url}/notify`);
    await vi.waitFor(async () => expect((await notification(healthy)).status).toBe('delivered'), { timeout: 3000, interval: 20 });
    // The silent merchant's first attempt is still waiting for its answer: nothing was recorded for it yet.
    expect((await notification(stuck)).attempts).toHaveLength(0);
    expect(open.length).toBeGreaterThanOrEqual(1);
  });

  it('does not hold a reset: in-flight attempts are aborted and record nothing', async () => {
    const stuck = await paidOrder(silentUrl);
    await vi.waitFor(() => expect(open.length).toBeGreaterThan(0), { timeout: 3000, interval: 20 });
    expect((await notification(stuck)).attempts).toHaveLength(0);
    const reset = await sim.request('POST', '/_sim/reset');
    expect(reset.status).toBe(200);
    expect(await sim.get('/_sim/notifications')).toEqual([]);
  });
});
