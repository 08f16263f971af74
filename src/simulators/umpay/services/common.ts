import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { Merchant, Order, SimRecord } from '../../../core/domain.js';
import { annotate } from '../../../core/exchange.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstCompact } from '../../../core/time-format.js';
import type { StoredCard } from '../../../core/store/cards.js';
import { maskCard, maskId, maskMobile, maskName, type MaskedCard } from '../attributes.js';
import { UmpayError, umpaySystemError } from '../errors.js';
import { merDate, required } from '../fields.js';

/**
 * The record number of an order: `order_id:mer_date`. An order is the
 * merchant's (mer_id, mer_date, order_id) — the FAQ "订单查询时，商户需确保
 * mer_id , mer_date , order_id 与原订单相同" — so the same order_id on another
 * day is another order; the engine keys numbers per merchant already, and
 * order_id comes first so scenario `orderNo` patterns like `^SLOW` still match.
 */
export const orderNumber = (orderId: string, date: string) => `${orderId}:${date}`;

/**
 * 联动交易号 (trade_no): 16 digits, as in the SDK samples (`3709301427435896`
 * for an order of 2017-09-30 14:27): `3`, the year's last digit, MMdd, HHmm
 * (China time), then six digits of the order sequence. Unique unless a
 * million orders share one minute.
 */
export function tradeNumber(sequence: number, now: number): string {
  const stamp = cstCompact(now);
  return `3${stamp.slice(3, 4)}${stamp.slice(4, 12)}${String(sequence % 1_000_000).padStart(6, '0')}`;
}

/** The order a query, cancel or refund names by order_id and mer_date, or 订单不存在. */
export function findOrder(sim: SimulatorContext, merchant: Merchant, values: Record<string, string>, c: Context): Order {
  const orderId = required(values, 'order_id');
  const date = merDate(values);
  const number = orderNumber(orderId, date);
  annotate(c, { orderNo: number });
  const order = sim.store.orders.findByOrderNo('umpay', merchant.merchantId, number);
  if (!order) throw new UmpayError('ORDER_NOT_FOUND', `mer_id=${merchant.merchantId}，mer_date=${date}，order_id=${orderId}`);
  return order;
}

/** The order an SMS request or a confirm names by trade_no (the merchant's own orders only), or 订单不存在. */
export function findByTradeNo(sim: SimulatorContext, merchant: Merchant, values: Record<string, string>, c: Context): Order {
  const tradeNo = required(values, 'trade_no');
  const order = sim.store.orders.findByPlatformNo('umpay', tradeNo);
  if (!order || order.merchantId !== merchant.merchantId) throw new UmpayError('ORDER_NOT_FOUND', `trade_no=${tradeNo}`);
  annotate(c, { order, kind: 'other' });
  return order;
}

/** The newest child of a kind (the payment of a quick-pay order, its latest SMS). */
export function latestChild(sim: SimulatorContext, order: Order, kind: string): SimRecord | undefined {
  return sim.store.records.children(order.id, kind).at(-1);
}

/**
 * A query of an order: a scenario's fail-queries (magic amount 2004) answers
 * the system error once. Quick-pay orders carry their scenario on their
 * payment, the H5 cashier's on the order itself.
 */
export function queryOrThrow(sim: SimulatorContext, order: Order, c: Context): void {
  const payment = latestChild(sim, order, 'payment');
  annotate(c, { order, kind: 'query', ...(payment ? { record: payment } : {}) });
  if ((payment && sim.records.consumeQueryError(payment.id)) || sim.payments.consumeQueryError(order)) throw umpaySystemError();
}

/** A short, stable reference to a card number: finds the test card again without keeping the number. */
export const cardRef = (number: string) => createHash('sha256').update(number).digest('hex').slice(0, 16);

export function findCardByRef(sim: SimulatorContext, ref: string): StoredCard | undefined {
  return sim.store.cards.list().find((card) => cardRef(card.number) === ref);
}

/** The card and its holder as the sandbox keeps and shows them: masked. */
export function maskedCard(card: StoredCard, identityType: string, mobile: string): MaskedCard {
  return {
    ref: cardRef(card.number),
    number: maskCard(card.number),
    lastFour: card.number.slice(-4),
    holder: maskName(card.holder),
    identityType,
    identityCode: maskId(card.idNumber),
    mobile: maskMobile(mobile),
  };
}

/** The text of an order's state for a refusal: `订单状态不允许此操作：TRADE_SUCCESS`. */
export const stateRefusal = (tradeState: string, detail?: string) => new UmpayError('BAD_STATE', detail ? `${tradeState}，${detail}` : tradeState);
