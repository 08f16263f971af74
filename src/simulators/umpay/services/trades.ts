import { isSandboxError } from '../../../core/errors.js';
import { annotate } from '../../../core/exchange.js';
import { sequenceNumber } from '../../../core/numbers.js';
import { recordToRefund, type Order, type Refund, type SimRecord } from '../../../core/domain.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstCompact } from '../../../core/time-format.js';
import { umpayAttributes } from '../attributes.js';
import { REFUND_STATE } from '../codes.js';
import { UmpayError, umpaySystemError } from '../errors.js';
import { fen, optional, required } from '../fields.js';
import { cstDate, orderFields, tradeState } from '../order-view.js';
import { ok, type ServiceDefinition } from '../service.js';
import { findOrder, queryOrThrow, stateRefusal } from './common.js';

/**
 * query_order (当日订单查询) and mer_order_info_query (历史订单查询, "支持12月"):
 * the order by mer_id + mer_date + order_id (FAQ "已经发起支付使用查询接口报“订单不存在”"),
 * answered with the notification's fields. The sandbox keeps every order, so
 * both answer alike.
 */
function queryService(name: string, title: string): ServiceDefinition {
  return {
    name,
    title,
    product: null,
    handle({ values, merchant }, sim, c) {
      const order = findOrder(sim, merchant, values, c);
      queryOrThrow(sim, order, c);
      return ok(orderFields(order));
    },
  };
}

export const queryOrder = queryService('query_order', '订单查询');
export const queryOrderHistory = queryService('mer_order_info_query', '历史订单查询');

/** True when `at` falls on today's China date (the platform's day, cut over at 0:00: FAQ "0点日切"). */
const isToday = (sim: SimulatorContext, at: number | null) => at !== null && cstDate(at) === cstDate(sim.clock.now());

/**
 * mer_cancel (撤销, §2.1 "对已交易成功的订单进行回滚（交易冲正）"): the whole
 * amount only (FAQ "撤销操作仅支持全部撤销"), and only on the day it was paid
 * (FAQ "商户默认不支持当日操作退款，当日需要退费的可以申请撤销"). The order becomes
 * TRADE_CANCEL; nothing is notified (the merchant asked for it).
 */
export const cancelTrade: ServiceDefinition = {
  name: 'mer_cancel',
  title: '撤销',
  product: null,
  handle({ values, merchant }, sim, c) {
    const order = findOrder(sim, merchant, values, c);
    const amount = fen(values, 'amount');
    if (order.state !== 'paid') throw stateRefusal(tradeState(order), order.state === 'partially_refunded' ? '已有退费' : undefined);
    if (amount !== order.amount) throw new UmpayError('CANCEL_PARTIAL', `amount须为原订单金额${order.amount}`);
    if (!isToday(sim, order.paidAt)) throw new UmpayError('CANCEL_NOT_TODAY');
    const after = sim.payments.transition(order.id, 'reversed', 'merchant', true);
    annotate(c, { order: after });
    return ok({ ...orderFields(after), amount: String(order.amount) });
  },
};

/** The refund view's state as refund_state. */
export function refundState(refund: Pick<Refund, 'state'>): string {
  if (refund.state === 'succeeded') return REFUND_STATE.SUCCESS;
  if (refund.state === 'failed') return REFUND_STATE.CLOSE;
  return REFUND_STATE.PROCESS;
}

/** The refund's fields, as mer_refund, mer_refund_query and the refund notification give them. */
export function refundFields(refund: Refund, order: Order): Record<string, string> {
  const attributes = umpayAttributes(order);
  return {
    mer_id: order.merchantId,
    refund_no: refund.refundNo,
    order_id: attributes?.orderId ?? order.orderNo,
    mer_date: attributes?.merDate ?? '',
    org_amount: String(order.amount),
    refund_amount: String(refund.amount),
    refund_state: refundState(refund),
  };
}

/**
 * The day's turnover the FAQ's 20% rule compares with: the merchant's UMPay
 * orders paid today (China date) and not cancelled — "待结算账户中的金额（当日交易额）".
 */
function todaysTurnover(sim: SimulatorContext, merchantId: string): number {
  const today = cstDate(sim.clock.now());
  return sim.store.records
    .list({ provider: 'umpay', kind: 'order', merchantId, from: sim.clock.now() - 2 * 86_400_000, limit: 5000 })
    .filter((order) => order.completedAt !== null && cstDate(order.completedAt) === today)
    .filter((order) => ['paid', 'partially_refunded', 'refunded'].includes(order.state))
    .reduce((sum, order) => sum + (order.amount ?? 0), 0);
}

/** "不支持时间段23:45至00:25的退款请求" (FAQ), by the sandbox clock in China time. */
function inBlackout(now: number): boolean {
  const hhmm = Number(cstCompact(now).slice(8, 12));
  return hhmm >= 2345 || hhmm < 25;
}

/**
 * mer_refund (退费). In the FAQ's order:
 * - not in 23:45–00:25 ("申请退费失败");
 * - not on the day of payment (T+0: use 撤销), unless the merchant's
 *   `settings.sameDayRefund` is true (名词解释 says both; PROVIDERS.md UMP-14);
 * - cumulative refunds never above the amount (00060774);
 * - the day's turnover above 1.2 × the refund ("如需退款1元，当日交易额需大于1.2元", UMP-17).
 * Accepted refunds answer REFUND_PROCESS and become REFUND_SUCCESS later
 * (kinds.ts); with `notify_url` the result is notified.
 */
export const refundTrade: ServiceDefinition = {
  name: 'mer_refund',
  title: '退费',
  product: null,
  handle({ values, merchant }, sim, c) {
    const refundNo = required(values, 'refund_no');
    const order = findOrder(sim, merchant, values, c);
    const orgAmount = fen(values, 'org_amount');
    const amount = optional(values, 'refund_amount') === undefined ? orgAmount : fen(values, 'refund_amount');
    const notifyUrl = optional(values, 'notify_url');
    if (orgAmount !== order.amount) throw new UmpayError('BAD_FIELD', `org_amount（须为原订单金额${order.amount}）`);
    if (sim.store.records.findByNumber('umpay', 'refund', merchant.merchantId, refundNo)) throw new UmpayError('DUPLICATE_REFUND', refundNo);
    if (order.state !== 'paid' && order.state !== 'partially_refunded') throw stateRefusal(tradeState(order));
    const now = sim.clock.now();
    if (inBlackout(now)) throw new UmpayError('REFUND_REFUSED', '23:45至00:25不受理退款请求');
    if (isToday(sim, order.paidAt) && merchant.settings.sameDayRefund !== true) throw new UmpayError('SAME_DAY_REFUND');
    if (amount > order.amount - order.refundedAmount) {
      throw new UmpayError('REFUND_EXCEEDS', undefined, `refunded or in process ${order.refundedAmount} of ${order.amount}, asked ${amount}`);
    }
    const turnover = todaysTurnover(sim, merchant.merchantId);
    if (turnover * 10 <= amount * 12) {
      throw new UmpayError('REFUND_REFUSED', `当日交易额${turnover}分须大于退款金额的1.2倍`, `today's turnover ${turnover} fen, refund ${amount} fen`);
    }
    let result;
    try {
      result = sim.payments.refund({
        order,
        refundNo,
        amount,
        platformRefundNo: (sequence, at) => sequenceNumber(at, sequence, { length: 16, prefix: 'R', stamp: 'date' }),
        attributes: {
          ...(notifyUrl ? { notifyUrl } : {}),
          ...(typeof merchant.settings.refundSeconds === 'number' ? { refundSeconds: merchant.settings.refundSeconds } : {}),
        },
        natural: 'accepted',
      });
    } catch (error) {
      if (isSandboxError(error, 'DUPLICATE_REFUND')) throw new UmpayError('DUPLICATE_REFUND', refundNo);
      if (isSandboxError(error, 'REFUND_EXCEEDS')) throw new UmpayError('REFUND_EXCEEDS');
      if (isSandboxError(error, 'NOT_REFUNDABLE')) throw stateRefusal(tradeState(order));
      throw error;
    }
    const record = sim.store.records.get(result.refund.id)!;
    annotate(c, { record, kind: 'create' });
    if (result.outcome === 'error') throw umpaySystemError();
    const refund = recordToRefund(record);
    if (refund.state === 'failed') return { kind: 'meta', ret: 'REFUND_REFUSED', fields: refundFields(refund, order) };
    return ok(refundFields(refund, order));
  },
};

/** mer_refund_query (退费订单查询): the refund by refund_no, its refund_state (FAQ). */
export const refundQuery: ServiceDefinition = {
  name: 'mer_refund_query',
  title: '退费查询',
  product: null,
  handle({ values, merchant }, sim, c) {
    const refundNo = required(values, 'refund_no');
    const record: SimRecord | undefined = sim.store.records.findByNumber('umpay', 'refund', merchant.merchantId, refundNo);
    if (!record || record.parentId === null) throw new UmpayError('REFUND_NOT_FOUND', refundNo);
    annotate(c, { record, kind: 'query' });
    if (sim.records.consumeQueryError(record.id)) throw umpaySystemError();
    const order = sim.store.orders.get(record.parentId)!;
    return ok(refundFields(recordToRefund(record), order));
  },
};
