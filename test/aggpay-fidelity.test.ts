import { beforeAll, describe, expect, it } from 'vitest';
import { aggClient, AGG_APPID, callbackValid, signed, unifiedParams } from './support/aggpay.js';
import { useSandbox } from './support/harness.js';

/**
 * What a merchant coding from the aggregated platform's document (seed 002)
 * relies on: order_no's length, what a pay_status 0 notification says, the
 * same pay_time everywhere, an expiry it hears of, and 2004 as a lost answer.
 */
const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof aggClient>;
let notifyUrl: string;

beforeAll(() => {
  client = aggClient(sim.url);
  notifyUrl = `${merchant.url}/agg-notify`;
});

const formOf = (body: string) => Object.fromEntries(new URLSearchParams(body));
const query = async (orderNo: string) => (await client.query(signed({ appid: AGG_APPID, order_no: orderNo }))).json;

describe('§5.1 order_no is 字符长度20', () => {
  it('20 characters are taken, 21 refused in the platform’s form; settings.lenientLengths takes up to 64', async () => {
    expect((await client.unified(signed(unifiedParams(notifyUrl, { order_no: 'A'.repeat(20) })))).json.status).toBe('1');
    expect((await client.unified(signed(unifiedParams(notifyUrl, { order_no: 'B'.repeat(21) })))).json).toEqual({
      status: '0',
      message: '参数order_no长度不能超过20',
      data: {},
    });
    await sim.post('/_sim/merchants', { provider: 'aggpay', merchantId: 'gpu40000000', md5Key: 's4', settings: { lenientLengths: true } });
    // The §5.4 example's 30-character order_no.
    const long = unifiedParams(notifyUrl, { appid: 'gpu40000000', order_no: 'KFAIu2019082016542198098089614' });
    expect((await client.unified(signed(long, 's4'))).json.status).toBe('1');
  });
});

describe('§5.2 a pay_status 0 notification', () => {
  it('2003: actual_amount (实付金额) is 0.00 and pay_time is empty, as check_order’s pay_time is null', async () => {
    const params = unifiedParams(notifyUrl, { amount: '2003' });
    await client.unified(signed(params));
    await sim.advance(0);
    const form = formOf(merchant.received[0]!.body);
    expect(form).toMatchObject({ pay_status: '0', amount: '2003.00', actual_amount: '0.00', pay_time: '' });
    expect(callbackValid(form)).toBe(true);
    expect((await query(params.order_no)).data).toMatchObject({ pay_status: 0, pay_time: null });
  });

  it('a paid order: the notification’s pay_time is check_order’s, and actual_amount the amount', async () => {
    const params = unifiedParams(notifyUrl);
    await client.unified(signed(params));
    await sim.advance(42);
    await sim.post(`/_sim/orders/aggpay/${params.order_no}/pay`);
    await sim.advance(0);
    const form = formOf(merchant.received[0]!.body);
    expect(form).toMatchObject({ pay_status: '1', actual_amount: '10000.00', pay_time: '2026-03-01 10:00:42' });
    expect((await query(params.order_no)).data.pay_time).toBe(form.pay_time);
  });
});

describe('§3 "当订单…有了明确的结果时": an order that expires is notified', () => {
  it('unpaid after 24 h: pay_status 0 is notified once the order closes, on the usual cadence', async () => {
    merchant.setReply(() => ({ body: 'FAIL' }));
    const params = unifiedParams(notifyUrl);
    await client.unified(signed(params));
    await sim.advance(24 * 3600 - 1);
    expect(merchant.received).toHaveLength(0);
    expect((await query(params.order_no)).data.pay_status).toBe(-1);
    await sim.advance(1);
    expect((await query(params.order_no)).data).toMatchObject({ pay_status: 0, pay_time: null });
    expect(formOf(merchant.received[0]!.body)).toMatchObject({ order_no: params.order_no, pay_status: '0', actual_amount: '0.00', pay_time: '' });
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(6);
  });
});

describe('2004: the platform has no system error, so the answer is lost', () => {
  it('the unified order and the first query drop the connection; the second query shows pay_status 1', async () => {
    const params = unifiedParams(notifyUrl, { amount: '2004' });
    await expect(client.unified(signed(params))).rejects.toThrow();
    await expect(query(params.order_no)).rejects.toThrow();
    expect((await query(params.order_no)).data).toMatchObject({ pay_status: 1, order_no: params.order_no });
    const entries = (await sim.get(`/_sim/requests?provider=aggpay&orderNo=${params.order_no}`)) as { responseStatus: number; responseBody: string }[];
    expect(entries.map((e) => e.responseStatus).reverse()).toEqual([444, 444, 200]);
    // Never a status "0": the document's refusal, which a merchant takes as "not ordered".
    expect(entries.some((e) => String(e.responseBody ?? '').includes('"status":"0"'))).toBe(false);
  });
});
