import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { startMerchant, type Received } from './support/merchant.js';
import {
  ICASHIER_KEY,
  ICASHIER_MERCHANT,
  icashierClient,
  sealValid,
  SINGLE_KEY,
  SINGLE_MERCHANT,
  submitBody,
  unseal,
} from './support/icashier.js';

/** §3.3.1 read as DMP-7 REC: at once, 10 s ×3, 60 s ×3, 180 s ×3 — at most 10 calls. */
const OFFSETS = [0, 10, 20, 30, 90, 150, 210, 390, 570, 750];

const { sim, merchant } = useSandbox({ env: { NOTIFY_TIMEOUT_MS: '5000' }, ack: '0000', resetEach: true });
let client: ReturnType<typeof icashierClient>;

beforeAll(() => {
  client = icashierClient(sim.url);
});

/** Submits; answers the orderid, the queryid and the submit's raw response. */
async function submit(overrides: Record<string, unknown> = {}, key = ICASHIER_KEY) {
  const message = submitBody(`${merchant.url}/back?shop=1`, overrides);
  const response = await client.submit(message, key);
  const location = response.headers.get('location');
  return { orderid: String(message.orderid), queryid: location?.split('/').pop() ?? '', response };
}

async function paidOrder(overrides: Record<string, unknown> = {}) {
  const order = await submit(overrides);
  await fetch(`${sim.url}/pay/icashier/${order.queryid}/pay`, { method: 'POST', redirect: 'manual' });
  return order;
}

const notificationsOf = async (orderNo: string) => sim.get(`/_sim/notifications?provider=icashier&orderNo=${orderNo}`);

/** A back notification as the merchant received it: GET backurl?…&resp=…&sign=…. */
function decode(received: Received, key = ICASHIER_KEY) {
  const url = new URL(received.path, 'http://merchant');
  const sealed = unseal(url.searchParams.get('resp')!, url.searchParams.get('sign')!);
  return { method: received.method, url, body: received.body, message: sealed.message, signValid: sealValid(sealed, key) };
}

/** The sandbox clock in China time plus `seconds`, as paytime is written (the clock carries on across tests). */
async function cstAt(seconds = 0) {
  const { now } = await sim.get('/_sim/health');
  return new Date(Date.parse(now) + (8 * 3600 + seconds) * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

const query = async (queryid: string) => (await client.query({ merid: ICASHIER_MERCHANT, queryid })).message;

describe('3.3 后台通知', () => {
  it('GETs backurl with resp and sign appended, carrying the §3.3.3 fields', async () => {
    const paytime = await cstAt();
    const { orderid, queryid } = await paidOrder({ txnamt: 888 });
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
    const notification = decode(merchant.received[0]!);
    expect(notification.method).toBe('GET');
    expect(notification.body).toBe('');
    expect(notification.url.pathname).toBe('/back');
    expect(notification.url.searchParams.get('shop')).toBe('1');
    expect(notification.signValid).toBe(true);
    expect(notification.message).toEqual({
      resultcode: '0000',
      resultmsg: '交易成功',
      queryid,
      txnamt: 888,
      merid: ICASHIER_MERCHANT,
      orderid,
      paytime,
    });
    const [record] = await notificationsOf(orderid);
    expect(record).toMatchObject({ status: 'delivered', attempts: [{ method: 'GET', verdict: 'acked', replyBody: '0000' }] });
    // A GET carries its message in the query string: that is what the attempt records as its body.
    expect(Object.fromEntries(new URLSearchParams(record.attempts[0].requestBody))).toMatchObject({ shop: '1', resp: expect.any(String), sign: expect.any(String) });
  });

  it('calls 10 times at 0, 10, 20, 30, 90, 150, 210, 390, 570 and 750 s when never acknowledged, then stops', async () => {
    merchant.setReply(() => ({ body: 'FAIL' }));
    const { orderid } = await paidOrder();
    await sim.advance(24 * 3600);

    const [notification] = await notificationsOf(orderid);
    expect(notification.status).toBe('exhausted');
    expect(notification.nextAttemptAt).toBeNull();
    const times = notification.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect(times.map((t: number) => (t - times[0]) / 1000)).toEqual(OFFSETS);
    expect(notification.attempts.every((a: { verdict: string; method: string }) => a.verdict === 'rejected' && a.method === 'GET')).toBe(true);
    expect(merchant.received).toHaveLength(10);

    await sim.advance(7 * 24 * 3600);
    expect(merchant.received).toHaveLength(10);
  });

  it('keeps the cadence step by step under advance', async () => {
    merchant.setReply(() => ({ body: 'FAIL' }));
    await paidOrder();
    const seen: number[] = [];
    let elapsed = 0;
    for (const step of [0, 9, 1, 10, 10, 59, 1, 60, 60, 179, 1, 180, 180, 1000]) {
      await sim.advance(step);
      elapsed += step;
      seen.push(merchant.received.length);
    }
    // After t = 0, 9, 10, 20, 30, 89, 90, 150, 210, 389, 390, 570, 750, 1750.
    expect(seen).toEqual([1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10]);
    expect(elapsed).toBe(1750);
  });

  it('stops at the first 0000', async () => {
    merchant.setReply((_request, index) => ({ body: index < 3 ? 'FAIL' : '0000' }));
    const { orderid } = await paidOrder();
    await sim.advance(3600);
    const [notification] = await notificationsOf(orderid);
    expect(notification.status).toBe('delivered');
    expect(notification.attempts.map((a: { verdict: string }) => a.verdict)).toEqual(['rejected', 'rejected', 'rejected', 'acked']);
    expect(merchant.received).toHaveLength(4);
  });

  it('judges the reply: trimmed 0000 with a 2xx status, nothing else', async () => {
    const cases: [number, string, string][] = [
      [200, '0000', 'acked'],
      [200, '0000\n', 'acked'],
      [200, ' 0000\r\n', 'acked'],
      [200, 'SUCCESS', 'rejected'],
      [200, '00000', 'rejected'],
      [200, '0', 'rejected'],
      [200, '', 'rejected'],
      [500, '0000', 'rejected'],
    ];
    for (const [status, body, verdict] of cases) {
      merchant.setReply(() => ({ status, body }));
      const { orderid } = await paidOrder();
      await sim.advance(0);
      const [notification] = await notificationsOf(orderid);
      expect(notification.attempts[0].verdict, `${status} ${JSON.stringify(body)}`).toBe(verdict);
    }
  });

  it('a failed payment is pushed with 1003 and an empty paytime', async () => {
    const { orderid, queryid } = await submit();
    await fetch(`${sim.url}/pay/icashier/${queryid}/fail`, { method: 'POST', redirect: 'manual' });
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
    expect(decode(merchant.received[0]!).message).toMatchObject({ resultcode: '1003', orderid, paytime: '' });
  });

  it('an unpaid order that expires is not pushed (1001 is never pushed)', async () => {
    const { orderid } = await submit();
    await sim.advance(25 * 3600);
    expect((await sim.get(`/_sim/orders?provider=icashier&orderNo=${orderid}`))[0].state).toBe('closed');
    expect(await notificationsOf(orderid)).toEqual([]);
    expect(merchant.received).toHaveLength(0);
  });

  it('signs with the order’s merchant key', async () => {
    const { queryid } = await submit({ merid: SINGLE_MERCHANT }, SINGLE_KEY);
    await fetch(`${sim.url}/pay/icashier/${queryid}/pay`, { method: 'POST', redirect: 'manual' });
    await sim.advance(0);
    const notification = decode(merchant.received[0]!, SINGLE_KEY);
    expect(notification.signValid).toBe(true);
    expect(notification.message.merid).toBe(SINGLE_MERCHANT);
  });
});

describe('magic amounts, in resultcodes', () => {
  it('2001: 1001 (nothing paid yet, no paytime) for 60 s, then paid, 0000 pushed', async () => {
    const paytime = await cstAt(60);
    const { queryid, response } = await submit({ txnamt: 2001 });
    expect(response.status).toBe(303);
    expect(await query(queryid)).toMatchObject({ respcode: '00', resultcode: '1001', paytime: '' });
    await sim.advance(59);
    expect(merchant.received).toHaveLength(0);
    expect((await query(queryid)).resultcode).toBe('1001');
    await sim.advance(1);
    expect(merchant.received).toHaveLength(1);
    expect(decode(merchant.received[0]!).message).toMatchObject({ resultcode: '0000', paytime });
    expect(await query(queryid)).toMatchObject({ resultcode: '0000', paytime });
  });

  it('2002: 1001 until the 24 h expiry, then closed, still 1001, and nothing pushed', async () => {
    const { orderid, queryid } = await submit({ txnamt: 2002 });
    await sim.advance(24 * 3600 - 1);
    expect(await query(queryid)).toMatchObject({ resultcode: '1001', paytime: '' });
    await sim.advance(1);
    const closed = await query(queryid);
    expect(closed).toMatchObject({ respcode: '00', resultcode: '1001', paytime: '' });
    expect(closed.resultmsg).toContain('关闭');
    expect(await notificationsOf(orderid)).toEqual([]);
  });

  it('2003: failed, 1003 pushed and queried', async () => {
    const { queryid } = await submit({ txnamt: 2003 });
    await sim.advance(0);
    expect(decode(merchant.received[0]!).message).toMatchObject({ resultcode: '1003', resultmsg: '交易失败', paytime: '' });
    expect((await query(queryid)).resultcode).toBe('1003');
  });

  it('2004: the submit’s answer is lost (connection dropped) and so is the first query; the second shows 0000; it is pushed', async () => {
    const message = submitBody(`${merchant.url}/back`, { txnamt: 2004 });
    const orderid = String(message.orderid);
    await expect(client.submit(message)).rejects.toThrow();
    const [order] = await sim.get(`/_sim/orders?provider=icashier&orderNo=${orderid}`);
    expect(order.state).toBe('paid');

    await expect(client.query({ merid: ICASHIER_MERCHANT, orderid })).rejects.toThrow();
    const second = await client.query({ merid: ICASHIER_MERCHANT, orderid });
    expect(second.message).toMatchObject({ respcode: '00', resultcode: '0000', queryid: order.platformOrderNo });

    await sim.advance(0);
    expect(decode(merchant.received[0]!).message).toMatchObject({ resultcode: '0000', orderid });
  });

  it('2005 (cashier only): 1002 pushed at once, then 0000 pushed after 60 s (DMP-10)', async () => {
    const paytime = await cstAt();
    const { orderid, queryid } = await submit({ txnamt: 2005 });
    await sim.advance(0);
    expect((await query(queryid)).resultcode).toBe('1002');
    expect(merchant.received).toHaveLength(1);
    // 1002 is "已支付,结算到不可用帐户": paid, so it has a paytime.
    expect(decode(merchant.received[0]!).message).toMatchObject({ resultcode: '1002', paytime });
    await sim.advance(60);
    expect(merchant.received).toHaveLength(2);
    expect(decode(merchant.received[1]!).message).toMatchObject({ resultcode: '0000', orderid, paytime });
    expect((await query(queryid)).resultcode).toBe('0000');
    expect(await notificationsOf(orderid)).toHaveLength(2);
  });

  it('2006 (cashier only): held, 1004 协查调单 pushed and queried', async () => {
    const { queryid } = await submit({ txnamt: 2006 });
    await sim.advance(0);
    expect(decode(merchant.received[0]!).message).toMatchObject({ resultcode: '1004', resultmsg: '协查调单' });
    await sim.advance(3600);
    expect(await query(queryid)).toMatchObject({ respcode: '00', resultcode: '1004' });
    expect(merchant.received).toHaveLength(1);
  });
});
