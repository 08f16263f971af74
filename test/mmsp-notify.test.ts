import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { startMerchant } from './support/merchant.js';
import { micropayBody, mmspClient, prepayBody } from './support/mmsp.js';

/** 扫码 §10.8: "0,15,15,30,180,1800,1800,1800,1800,1800,3600" — gaps, so pushes at these offsets. */
const OFFSETS = [0, 15, 30, 60, 240, 2040, 3840, 5640, 7440, 9240, 12840];

const { sim, merchant } = useSandbox({ env: { NOTIFY_TIMEOUT_MS: '2000' }, resetEach: true });
let client: ReturnType<typeof mmspClient>;

beforeAll(() => {
  client = mmspClient(sim.url);
});

async function paidQrOrder(path = '/notify') {
  const request = prepayBody(`${merchant.url}${path}`);
  await client.send(2306, request);
  await sim.post(`/_sim/orders/mmsp/${request.MERORDERID}/pay`);
  return request.MERORDERID;
}

const notificationsOf = async (orderNo: string) => sim.get(`/_sim/notifications?provider=mmsp&orderNo=${orderNo}`);

describe('the scan push cadence', () => {
  it('pushes 11 times at 0, 15, 30, 60, 240, 2040 … 12840 s when never acknowledged, then stops', async () => {
    merchant.setReply(() => ({ body: 'FAIL' }));
    const orderNo = await paidQrOrder();
    await sim.advance(24 * 3600);

    const [notification] = await notificationsOf(orderNo);
    expect(notification.status).toBe('exhausted');
    expect(notification.nextAttemptAt).toBeNull();
    const times = notification.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect(times.map((t: number) => (t - times[0]) / 1000)).toEqual(OFFSETS);
    expect(notification.attempts.every((a: { verdict: string }) => a.verdict === 'rejected')).toBe(true);
    expect(notification.attempts.map((a: { attemptNo: number }) => a.attemptNo)).toEqual(OFFSETS.map((_, i) => i + 1));
    expect(merchant.received).toHaveLength(11);

    await sim.advance(7 * 24 * 3600);
    expect(merchant.received).toHaveLength(11);
  });

  it('records each attempt with its next attempt time', async () => {
    merchant.setReply(() => ({ status: 503, body: 'busy' }));
    const orderNo = await paidQrOrder();
    await sim.advance(20);
    const [notification] = await notificationsOf(orderNo);
    expect(notification.status).toBe('pending');
    expect(notification.attempts).toHaveLength(2);
    const [first, second] = notification.attempts;
    expect(first).toMatchObject({ httpStatus: 503, replyBody: 'busy', verdict: 'rejected', method: 'POST', trigger: 'schedule' });
    expect(Date.parse(first.nextAttemptAt) - Date.parse(first.at)).toBe(15_000);
    expect(second.at).toBe(first.nextAttemptAt);
    expect(Date.parse(notification.nextAttemptAt) - Date.parse(second.at)).toBe(15_000);
    expect(JSON.parse(first.requestBody).CommandID).toBe(2324);
  });

  it('stops at the first SUCCESS', async () => {
    merchant.setReply((_request, index) => ({ body: index < 3 ? 'FAIL' : 'SUCCESS' }));
    const orderNo = await paidQrOrder();
    await sim.advance(24 * 3600);
    const [notification] = await notificationsOf(orderNo);
    expect(notification.status).toBe('delivered');
    expect(notification.attempts.map((a: { verdict: string }) => a.verdict)).toEqual(['rejected', 'rejected', 'rejected', 'acked']);
    expect(merchant.received).toHaveLength(4);
  });

  it('judges the reply as the document does: trimmed SUCCESS with a 2xx status, nothing else', async () => {
    const cases: [number, string, string][] = [
      [200, 'SUCCESS\n', 'acked'],
      [200, 'success', 'rejected'],
      [200, 'SUCCESS OK', 'rejected'],
      [500, 'SUCCESS', 'rejected'],
    ];
    for (const [status, body, verdict] of cases) {
      merchant.setReply(() => ({ status, body }));
      const orderNo = await paidQrOrder();
      await sim.advance(0);
      const [notification] = await notificationsOf(orderNo);
      expect(notification.attempts[0].verdict, `${status} ${JSON.stringify(body)}`).toBe(verdict);
    }
  });

  it('records an unreachable endpoint or a timeout as an error and retries', async () => {
    const request = prepayBody('http://127.0.0.1:9/notify');
    await client.send(2306, request);
    await sim.post(`/_sim/orders/mmsp/${request.MERORDERID}/pay`);
    await sim.advance(0);
    const [refused] = await notificationsOf(request.MERORDERID);
    expect(refused.attempts[0]).toMatchObject({ verdict: 'error', httpStatus: null });
    expect(refused.attempts[0].error).toBeTruthy();
    expect(refused.status).toBe('pending');

    // Held past the sandbox's 2 s per-attempt timeout (short for the test, long enough that a loaded machine's replies
    // to the other tests here are never taken for timeouts).
    const slow = await startMerchant(() => ({ body: 'SUCCESS', delayMs: 4000 }));
    const timed = prepayBody(`${slow.url}/notify`);
    await client.send(2306, timed);
    await sim.post(`/_sim/orders/mmsp/${timed.MERORDERID}/pay`);
    await sim.advance(0);
    const [timedOut] = await notificationsOf(timed.MERORDERID);
    expect(timedOut.attempts[0].verdict).toBe('error');
    expect(timedOut.attempts[0].error).toContain('2000 ms');
    await slow.close();
  });

  it('replays a notification on demand, outside the schedule', async () => {
    merchant.setReply(() => ({ body: 'FAIL' }));
    const orderNo = await paidQrOrder();
    await sim.advance(24 * 3600);
    const [exhausted] = await notificationsOf(orderNo);
    expect(exhausted.status).toBe('exhausted');

    merchant.setReply(() => ({ body: 'SUCCESS' }));
    const replayed = await sim.post(`/_sim/notifications/${exhausted.id}/replay`);
    expect(replayed.status).toBe('delivered');
    expect(replayed.attempts).toHaveLength(12);
    expect(replayed.attempts[11]).toMatchObject({ trigger: 'replay', verdict: 'acked' });
  });
});

describe('which payments are pushed', () => {
  it('does not push a micropay that succeeded in its own answer', async () => {
    const request = micropayBody(`${merchant.url}/notify`);
    await client.send(2307, request);
    await sim.advance(3600);
    expect(await notificationsOf(request.MERORDERID)).toEqual([]);
    expect(merchant.received).toHaveLength(0);
  });

  it('does not push a closed or expired order', async () => {
    const request = prepayBody(`${merchant.url}/notify`);
    await client.send(2306, request);
    await sim.advance(3600);
    expect((await sim.get(`/_sim/orders?provider=mmsp&orderNo=${request.MERORDERID}`))[0].state).toBe('closed');
    expect(await notificationsOf(request.MERORDERID)).toEqual([]);
  });

  it('pushes an H5 payment too', async () => {
    const request = { ...micropayBody(`${merchant.url}/notify`), JUMP_URL: 'https://shop.example/r' } as Record<string, unknown>;
    delete request.CODE;
    await client.send(2321, request);
    await sim.post(`/_sim/orders/mmsp/${request.MERORDERID}/pay`);
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
  });
});
