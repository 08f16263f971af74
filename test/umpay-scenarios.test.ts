import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { CARDS, loadKeys, merDateOf, orderId, quickPay, umpayClient, type UmpayClient, type UmpayKeys } from './support/umpay.js';

const { sim, merchant } = useSandbox({ env: { NOTIFY_TIMEOUT_MS: '5000' }, ack: 'unused', resetEach: true });
let keys: UmpayKeys;
let client: UmpayClient;
let quick: ReturnType<typeof quickPay>;

beforeAll(async () => {
  keys = await loadKeys(sim.get);
  client = umpayClient(sim.url, keys);
  quick = quickPay(client, sim);
});

const orderOf = async (orderNo: string) => (await sim.get(`/_sim/orders?provider=umpay&orderNo=${encodeURIComponent(orderNo)}`))[0];
const tradeStateOf = async (placed: { order_id: string; mer_date: string }) =>
  (await client.call('query_order', { order_id: placed.order_id, mer_date: placed.mer_date })).fields.trade_state;
const notifiedStates = () => merchant.received.map((r) => new URL(r.path, 'http://m').searchParams.get('trade_state'));

describe('magic amounts on quick pay: they play on the confirm (the payment), not on the order', () => {
  it('2001: the confirm answers WAIT_BUYER_PAY; 60 s later paid and notified', async () => {
    const placed = await quick.place(CARDS.icbcDebit, { amount: '2001', notify_url: `${merchant.url}/n` });
    expect(placed.answer.fields).toMatchObject({ ret_code: '0000', trade_state: 'WAIT_BUYER_PAY' });
    expect(await orderOf(placed.orderNo)).toMatchObject({ state: 'created', scenario: null });
    await quick.sms(CARDS.icbcDebit, placed);
    const code = await quick.smsCode(placed.orderNo);
    const confirm = await quick.confirm(CARDS.icbcDebit, placed);
    expect(confirm.fields).toMatchObject({ ret_code: '0000', ret_msg: '交易处理中，请以支付结果通知或订单查询为准', trade_state: 'WAIT_BUYER_PAY' });
    expect(await orderOf(placed.orderNo)).toMatchObject({ state: 'pending' });
    expect((await quick.confirm(CARDS.icbcDebit, placed, { verify_code: code })).fields.ret_msg).toBe('订单状态不允许此操作：WAIT_BUYER_PAY，交易处理中');
    expect(await tradeStateOf(placed)).toBe('WAIT_BUYER_PAY');
    await sim.advance(59);
    expect(notifiedStates()).toEqual([]);
    await sim.advance(1);
    expect(await tradeStateOf(placed)).toBe('TRADE_SUCCESS');
    expect(notifiedStates()).toEqual(['TRADE_SUCCESS']);
    const [payment] = await sim.get('/_sim/records?provider=umpay&kind=payment');
    expect(payment).toMatchObject({ state: 'succeeded', scenario: 'magic-2001-pending-then-paid', orderNo: placed.orderNo });
  });

  it('2002: pending until the order expires, then TRADE_CLOSED; nothing notified', async () => {
    const placed = await quick.place(CARDS.icbcDebit, { amount: '2002', expire_time: '10', notify_url: `${merchant.url}/n` });
    await quick.sms(CARDS.icbcDebit, placed);
    expect((await quick.confirm(CARDS.icbcDebit, placed)).fields.trade_state).toBe('WAIT_BUYER_PAY');
    await sim.advance(10 * 60);
    expect(await tradeStateOf(placed)).toBe('TRADE_CLOSED');
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(0);
  });

  it('2003: the payment fails: TRADE_FAIL, notified', async () => {
    const paid = await quick.pay(CARDS.icbcDebit, { amount: '2003', notify_url: `${merchant.url}/n` });
    expect(paid.confirmAnswer.fields).toMatchObject({ ret_code: '00990030', trade_state: 'TRADE_FAIL' });
    await sim.advance(0);
    expect(notifiedStates()).toEqual(['TRADE_FAIL']);
  });

  it('2004: the confirm times out (504, empty) though it paid; the first query too; then TRADE_SUCCESS', async () => {
    const placed = await quick.place(CARDS.icbcDebit, { amount: '2004', notify_url: `${merchant.url}/n` });
    await quick.sms(CARDS.icbcDebit, placed);
    const confirm = await quick.confirm(CARDS.icbcDebit, placed);
    expect(confirm.status).toBe(504);
    expect(confirm.html).toBe('');
    expect(await orderOf(placed.orderNo)).toMatchObject({ state: 'paid' });
    const first = await client.call('query_order', { order_id: placed.order_id, mer_date: placed.mer_date });
    expect(first.status).toBe(504);
    expect(await tradeStateOf(placed)).toBe('TRADE_SUCCESS');
    await sim.advance(0);
    expect(notifiedStates()).toEqual(['TRADE_SUCCESS']);
  });

  it('a payment the bank finishes after the order expired is reversed (冲正): never TRADE_SUCCESS, not notified', async () => {
    const placed = await quick.place(CARDS.icbcDebit, { amount: '2001', expire_time: '1', notify_url: `${merchant.url}/n` });
    await quick.sms(CARDS.icbcDebit, placed);
    await sim.advance(30);
    expect((await quick.confirm(CARDS.icbcDebit, placed)).fields.trade_state).toBe('WAIT_BUYER_PAY');
    await sim.advance(30);
    expect(await tradeStateOf(placed)).toBe('TRADE_CLOSED');
    await sim.advance(60);
    expect(await tradeStateOf(placed)).toBe('TRADE_CLOSED');
    const [payment] = await sim.get('/_sim/records?provider=umpay&kind=payment');
    expect(payment.state).toBe('reversed');
    expect(merchant.received).toHaveLength(0);
  });

  it('scenarios can match the card number of the payment', async () => {
    await sim.post('/_sim/scenarios', { id: 'umpay-ccb-fails', match: { provider: 'umpay', card: '^6217' }, steps: [{ do: 'respond', outcome: 'failed' }] });
    try {
      expect((await quick.pay(CARDS.ccbDebit)).confirmAnswer.fields.trade_state).toBe('TRADE_FAIL');
      expect((await quick.pay(CARDS.icbcDebit)).confirmAnswer.fields.trade_state).toBe('TRADE_SUCCESS');
    } finally {
      await sim.request('DELETE', '/_sim/scenarios/umpay-ccb-fails');
    }
  });
});

describe('magic amounts on the H5 cashier (on the order, as every cashier)', () => {
  const h5 = async (amount: string) => {
    const fields = client.build('pay_req_h5_frontpage', { order_id: orderId('H'), mer_date: await merDateOf(sim.get), amount, notify_url: `${merchant.url}/n` });
    return { fields, answer: await client.send(fields, { method: 'GET' }) };
  };

  it('2004: the redirect is a 504 although the order is paid', async () => {
    const { fields, answer } = await h5('2004');
    expect(answer.status).toBe(504);
    expect(await orderOf(`${fields.order_id}:${fields.mer_date}`)).toMatchObject({ state: 'paid' });
  });

  it('2003: the order fails at once', async () => {
    const { fields, answer } = await h5('2003');
    expect(answer.status).toBe(302);
    expect(await orderOf(`${fields.order_id}:${fields.mer_date}`)).toMatchObject({ state: 'failed' });
  });
});

describe('magic amounts on refunds', () => {
  async function paidYesterday(amount: number) {
    const paid = await quick.pay(CARDS.icbcDebit, { amount: String(amount) });
    await sim.advance(86_400);
    await quick.pay(CARDS.ccbDebit, { amount: '100000' });
    return paid;
  }
  const refund = (paid: { order_id: string; mer_date: string }, refund_no: string, amount: number) =>
    client.call('mer_refund', { refund_no, order_id: paid.order_id, mer_date: paid.mer_date, org_amount: '10000', refund_amount: String(amount) });

  it('2001: REFUND_PROCESS for 60 s, then REFUND_SUCCESS', async () => {
    const paid = await paidYesterday(10_000);
    expect((await refund(paid, 'M2001', 2001)).fields.refund_state).toBe('REFUND_PROCESS');
    await sim.advance(60);
    expect((await client.call('mer_refund_query', { refund_no: 'M2001' })).fields.refund_state).toBe('REFUND_SUCCESS');
  });

  it('2003: the refund fails: 申请退费失败 with REFUND_CLOSE, the amount is refundable again', async () => {
    const paid = await paidYesterday(10_000);
    const answer = await refund(paid, 'M2003', 2003);
    expect(answer.fields).toMatchObject({ ret_code: '00990040', refund_state: 'REFUND_CLOSE' });
    expect((await client.call('mer_refund_query', { refund_no: 'M2003' })).fields.refund_state).toBe('REFUND_CLOSE');
    expect((await refund(paid, 'AGAIN', 10_000)).fields.ret_code).toBe('0000');
  });

  it('2004: the refund answer is a 504, the first query too, then the refund shows', async () => {
    const paid = await paidYesterday(10_000);
    expect((await refund(paid, 'M2004', 2004)).status).toBe(504);
    expect((await client.call('mer_refund_query', { refund_no: 'M2004' })).status).toBe(504);
    expect((await client.call('mer_refund_query', { refund_no: 'M2004' })).fields).toMatchObject({ ret_code: '0000', refund_state: 'REFUND_SUCCESS' });
  });
});
