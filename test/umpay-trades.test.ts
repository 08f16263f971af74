import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { CARDS, loadKeys, quickPay, umpayClient, type UmpayClient } from './support/umpay.js';

const { sim } = useSandbox({ resetEach: true });
let client: UmpayClient;
let quick: ReturnType<typeof quickPay>;

beforeAll(async () => {
  client = umpayClient(sim.url, await loadKeys(sim.get));
  quick = quickPay(client, sim);
});

const orderOf = async (orderNo: string) => (await sim.get(`/_sim/orders?provider=umpay&orderNo=${encodeURIComponent(orderNo)}`))[0];

/** Moves the clock to the next hh:mm China time (at least a minute ahead). */
async function advanceTo(hh: number, mm: number) {
  const { now } = await sim.get('/_sim/health');
  const current = Date.parse(now);
  const china = new Date(current + 8 * 3600_000);
  let target = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), hh, mm) - 8 * 3600_000;
  if (target <= current) target += 86_400_000;
  await sim.advance((target - current) / 1000);
}

/** A paid order, then the next day at 10:00 with `turnover` fen paid that day (the 20% rule's volume). */
async function paidYesterday(amount = 1000, turnover = 10_000) {
  await advanceTo(10, 0);
  const paid = await quick.pay(CARDS.icbcDebit, { amount: String(amount) });
  await advanceTo(10, 0);
  if (turnover > 0) await quick.pay(CARDS.ccbDebit, { amount: String(turnover) });
  return paid;
}

const refund = (paid: { order_id: string; mer_date: string }, refund_no: string, params: Record<string, string> = {}) =>
  client.call('mer_refund', { refund_no, order_id: paid.order_id, mer_date: paid.mer_date, org_amount: '1000', ...params });

describe('撤销 (mer_cancel)', () => {
  it('reverses a payment of the same day, whole amount: TRADE_CANCEL', async () => {
    const paid = await quick.pay(CARDS.icbcDebit, { amount: '1000' });
    const answer = await client.call('mer_cancel', { order_id: paid.order_id, mer_date: paid.mer_date, amount: '1000' });
    expect(answer.signValid).toBe(true);
    expect(answer.fields).toMatchObject({ ret_code: '0000', order_id: paid.order_id, amount: '1000', trade_state: 'TRADE_CANCEL' });
    expect(await orderOf(paid.orderNo)).toMatchObject({ state: 'reversed' });
    const query = await client.call('query_order', { order_id: paid.order_id, mer_date: paid.mer_date });
    expect(query.fields.trade_state).toBe('TRADE_CANCEL');
  });

  it('refuses a partial cancel, a cancel of another day, and an unpaid order — changing nothing', async () => {
    const paid = await quick.pay(CARDS.icbcDebit, { amount: '1000' });
    const before = await sim.state();
    const partial = await client.call('mer_cancel', { order_id: paid.order_id, mer_date: paid.mer_date, amount: '500' });
    expect(partial.fields).toMatchObject({ ret_code: '00990050', ret_msg: '撤销仅支持全部撤销：amount须为原订单金额1000' });
    expect(await sim.state()).toBe(before);
    const placed = await quick.place(CARDS.icbcDebit);
    const beforeUnpaid = await sim.state();
    const unpaid = await client.call('mer_cancel', { order_id: placed.order_id, mer_date: placed.mer_date, amount: '100' });
    expect(unpaid.fields).toMatchObject({ ret_code: '00990012', ret_msg: '订单状态不允许此操作：WAIT_BUYER_PAY' });
    expect(await sim.state()).toBe(beforeUnpaid);
    await advanceTo(10, 0);
    const late = await client.call('mer_cancel', { order_id: paid.order_id, mer_date: paid.mer_date, amount: '1000' });
    expect(late.fields.ret_code).toBe('00990051');
    expect(await orderOf(paid.orderNo)).toMatchObject({ state: 'paid' });
  });
});

describe('退费 (mer_refund, mer_refund_query)', () => {
  it('accepts with REFUND_PROCESS, then REFUND_SUCCESS after 5 minutes; the order becomes refunded', async () => {
    const paid = await paidYesterday();
    const answer = await refund(paid, 'R0001');
    expect(answer.signValid).toBe(true);
    expect(answer.fields).toMatchObject({ ret_code: '0000', refund_no: 'R0001', refund_amount: '1000', org_amount: '1000', refund_state: 'REFUND_PROCESS' });
    expect((await client.call('mer_refund_query', { refund_no: 'R0001' })).fields).toMatchObject({ ret_code: '0000', refund_state: 'REFUND_PROCESS', order_id: paid.order_id });
    await sim.advance(299);
    expect((await client.call('mer_refund_query', { refund_no: 'R0001' })).fields.refund_state).toBe('REFUND_PROCESS');
    await sim.advance(1);
    const query = await client.call('mer_refund_query', { refund_no: 'R0001' });
    expect(query.fields).toMatchObject({ ret_code: '0000', refund_state: 'REFUND_SUCCESS', refund_amount: '1000' });
    expect(query.signValid).toBe(true);
    expect(await orderOf(paid.orderNo)).toMatchObject({ state: 'refunded', refundedAmount: 1000 });
  });

  it('partial refunds add up to the amount, never above it (00060774)', async () => {
    const paid = await paidYesterday();
    expect((await refund(paid, 'P1', { refund_amount: '300' })).fields.refund_state).toBe('REFUND_PROCESS');
    expect((await refund(paid, 'P2', { refund_amount: '600' })).fields.ret_code).toBe('0000');
    const before = await sim.state();
    const over = await refund(paid, 'P3', { refund_amount: '101' });
    expect(over.fields).toMatchObject({ ret_code: '00060774', ret_msg: '累计退款金额大于支付金额' });
    expect(await sim.state()).toBe(before);
    expect((await refund(paid, 'P4', { refund_amount: '100' })).fields.ret_code).toBe('0000');
    await sim.advance(300);
    expect(await orderOf(paid.orderNo)).toMatchObject({ state: 'refunded', refundedAmount: 1000 });
  });

  it('refuses a refund on the day of payment: use 撤销 (T+0)', async () => {
    await advanceTo(10, 0);
    await quick.pay(CARDS.ccbDebit, { amount: '100000' });
    const paid = await quick.pay(CARDS.icbcDebit, { amount: '1000' });
    const before = await sim.state();
    expect((await refund(paid, 'T0')).fields).toMatchObject({ ret_code: '00990041', ret_msg: '商户不支持当日退款，当日请使用撤销' });
    expect(await sim.state()).toBe(before);
  });

  it('a merchant with settings.sameDayRefund refunds on the day', async () => {
    await sim.post('/_sim/merchants', {
      provider: 'umpay',
      merchantId: '60000100',
      publicKey: (await loadKeys(sim.get)).merchantPublicKey,
      privateKey: (await loadKeys(sim.get)).merchantPrivateKey,
      name: '联动优势测试商户',
      settings: { products: ['quick', 'h5'], sameDayRefund: true, refundSeconds: 60 },
    });
    try {
      await advanceTo(10, 0);
      await quick.pay(CARDS.ccbDebit, { amount: '100000' });
      const paid = await quick.pay(CARDS.icbcDebit, { amount: '1000' });
      expect((await refund(paid, 'SD1')).fields.ret_code).toBe('0000');
      await sim.advance(60);
      expect((await client.call('mer_refund_query', { refund_no: 'SD1' })).fields.refund_state).toBe('REFUND_SUCCESS');
    } finally {
      await sim.post('/_sim/merchants', {
        provider: 'umpay',
        merchantId: '60000100',
        publicKey: (await loadKeys(sim.get)).merchantPublicKey,
        privateKey: (await loadKeys(sim.get)).merchantPrivateKey,
        name: '联动优势测试商户',
        settings: { products: ['quick', 'h5'] },
      });
    }
  });

  it('refuses refunds from 23:45 to 00:25 (sandbox clock, China time)', async () => {
    const paid = await paidYesterday();
    await advanceTo(23, 45);
    const before = await sim.state();
    expect((await refund(paid, 'B1')).fields).toMatchObject({ ret_code: '00990040', ret_msg: '申请退费失败：23:45至00:25不受理退款请求' });
    await advanceTo(0, 24);
    expect((await refund(paid, 'B2')).fields.ret_code).toBe('00990040');
    expect(await sim.state()).toBe(before);
    await sim.advance(60); // 00:25
    await quick.pay(CARDS.ccbDebit, { amount: '10000' });
    expect((await refund(paid, 'B3')).fields.ret_code).toBe('0000');
  });

  it('refuses a refund the day’s turnover does not cover by 20% (1 yuan needs more than 1.2)', async () => {
    const paid = await paidYesterday(1000, 1200);
    const before = await sim.state();
    expect((await refund(paid, 'V1')).fields).toMatchObject({ ret_code: '00990040', ret_msg: '申请退费失败：当日交易额1200分须大于退款金额的1.2倍' });
    expect(await sim.state()).toBe(before);
    await quick.pay(CARDS.ccbDebit, { amount: '1' });
    expect((await refund(paid, 'V2')).fields.ret_code).toBe('0000');
  });

  it('cancelled orders are no turnover', async () => {
    const paid = await paidYesterday(1000, 0);
    const other = await quick.pay(CARDS.ccbDebit, { amount: '5000' });
    await client.call('mer_cancel', { order_id: other.order_id, mer_date: other.mer_date, amount: '5000' });
    expect((await refund(paid, 'C1')).fields.ret_code).toBe('00990040');
  });

  it('refuses a wrong org_amount, a duplicate refund_no, an unpaid order and an unknown order', async () => {
    const paid = await paidYesterday();
    expect((await refund(paid, 'D1', { org_amount: '999' })).fields).toMatchObject({ ret_code: '00990003', ret_msg: '参数格式错误：org_amount（须为原订单金额1000）' });
    expect((await refund(paid, 'D1', { refund_amount: '100' })).fields.ret_code).toBe('0000');
    const before = await sim.state();
    expect((await refund(paid, 'D1', { refund_amount: '100' })).fields).toMatchObject({ ret_code: '00990043', ret_msg: '退费流水号重复：D1' });
    const placed = await quick.place(CARDS.icbcDebit, { amount: '1000' });
    expect((await refund(placed, 'D2')).fields.ret_code).toBe('00990012');
    expect((await refund({ order_id: 'NOPE', mer_date: paid.mer_date }, 'D3')).fields.ret_code).toBe('00990010');
    expect((await client.call('mer_refund_query', { refund_no: 'NONE' })).fields).toMatchObject({ ret_code: '00990042' });
    expect(JSON.parse(await sim.state()).notifications).toEqual(JSON.parse(before).notifications);
  });
});
