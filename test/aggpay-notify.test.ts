import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { aggClient, AGG_APPID, callbackValid, signed, unifiedParams } from './support/aggpay.js';

const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof aggClient>;
let notifyUrl: string;

beforeAll(() => {
  client = aggClient(sim.url);
  notifyUrl = `${merchant.url}/agg-notify`;
});

const query = async (orderNo: string) => (await client.query(signed({ appid: AGG_APPID, order_no: orderNo }))).json;
const notificationOf = async (orderNo: string) => (await sim.get(`/_sim/notifications?provider=aggpay&orderNo=${orderNo}`))[0];
const formOf = (body: string) => Object.fromEntries(new URLSearchParams(body));

async function paid(overrides: Record<string, string> = {}) {
  const params = unifiedParams(notifyUrl, overrides);
  await client.unified(signed(params));
  await sim.post(`/_sim/orders/aggpay/${params.order_no}/pay`);
  return params.order_no;
}

describe('the notification cadence (§3(2): every minute, ending after 5)', () => {
  it('sends the first attempt at once and five retries a minute apart, then stops', async () => {
    merchant.setReply(() => ({ body: 'FAIL' }));
    const orderNo = await paid();
    await sim.advance(24 * 3600);
    const notification = await notificationOf(orderNo);
    expect(notification.status).toBe('exhausted');
    const times = notification.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect(times.map((t: number) => (t - times[0]) / 1000)).toEqual([0, 60, 120, 180, 240, 300]);
    expect(merchant.received).toHaveLength(6);
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(6);
  });

  it('stops at SUCCESS', async () => {
    merchant.setReply((_r, index) => ({ body: index === 0 ? 'FAIL' : 'SUCCESS' }));
    const orderNo = await paid();
    await sim.advance(3600);
    const notification = await notificationOf(orderNo);
    expect(notification.status).toBe('delivered');
    expect(notification.attempts.map((a: { verdict: string }) => a.verdict)).toEqual(['rejected', 'acked']);
  });

  it('accepts only SUCCESS in upper case ("全部大写"), whitespace aside', async () => {
    for (const [body, verdict] of [
      ['SUCCESS', 'acked'],
      [' SUCCESS\r\n', 'acked'],
      ['success', 'rejected'],
      ['Success', 'rejected'],
      ['SUCCESS!', 'rejected'],
      ['{"status":"SUCCESS"}', 'rejected'],
    ] as const) {
      merchant.setReply(() => ({ body }));
      const orderNo = await paid();
      await sim.advance(0);
      expect((await notificationOf(orderNo)).attempts[0].verdict, JSON.stringify(body)).toBe(verdict);
    }
  });
});

describe('magic amounts in the platform’s codes', () => {
  it('2001: pay_status -1 for 60 s, then 1 and notified', async () => {
    const params = unifiedParams(notifyUrl, { amount: '2001' });
    expect((await client.unified(signed(params))).json.data.pay_status).toBe(-1);
    await sim.advance(59);
    expect((await query(params.order_no)).data).toMatchObject({ pay_status: -1, pay_time: null });
    expect(merchant.received).toHaveLength(0);
    await sim.advance(1);
    expect((await query(params.order_no)).data.pay_status).toBe(1);
    expect(formOf(merchant.received[0]!.body)).toMatchObject({ order_no: params.order_no, pay_status: '1', amount: '2001.00' });
  });

  it('2002: pay_status -1 until the 24 h expiry, then 0, notified, and not payable', async () => {
    const params = unifiedParams(notifyUrl, { amount: '2002' });
    const { json } = await client.unified(signed(params));
    await sim.advance(24 * 3600 - 1);
    expect((await query(params.order_no)).data.pay_status).toBe(-1);
    expect(merchant.received).toHaveLength(0);
    await sim.advance(1);
    expect((await query(params.order_no)).data.pay_status).toBe(0);
    expect((await fetch(`${json.data.redirect_url}/pay`, { method: 'POST' })).status).toBe(409);
    expect(formOf(merchant.received[0]!.body)).toMatchObject({ order_no: params.order_no, pay_status: '0', actual_amount: '0.00', pay_time: '' });
  });

  it('2003: the order is taken with pay_status 0 and the failure is notified', async () => {
    const params = unifiedParams(notifyUrl, { amount: '2003' });
    const { json } = await client.unified(signed(params));
    expect(json).toMatchObject({ status: '1', data: { pay_status: 0 } });
    await sim.advance(0);
    const form = formOf(merchant.received[0]!.body);
    expect(form).toMatchObject({ pay_status: '0', order_no: params.order_no });
    expect(callbackValid(form)).toBe(true);
  });

  it('2004: the answer is lost (connection dropped), the first query too; then pay_status 1 and a notification', async () => {
    const params = unifiedParams(notifyUrl, { amount: '2004' });
    await expect(client.unified(signed(params))).rejects.toThrow();
    await expect(query(params.order_no)).rejects.toThrow();
    expect((await query(params.order_no)).data.pay_status).toBe(1);
    await sim.advance(0);
    expect(formOf(merchant.received[0]!.body).pay_status).toBe('1');
  });
});
