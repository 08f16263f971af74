import type { Merchant, Order } from '../../core/domain.js';
import { cstDateTime } from '../../core/time-format.js';
import type { BankCode } from './codes.js';

/** What the platform keeps about an order beyond the engine's columns. */
export interface AggAttributes {
  bankCode: BankCode;
  productName: string;
  attach: string;
  openid: string;
}

export const attributesOf = (order: Order) => order.attributes as unknown as AggAttributes;

/** pay_status: -1 支付中, 0 交易失败, 1 交易成功 (§5.1). A closed order is a failed one: it can no longer be paid. */
export function payStatus(order: Order): -1 | 0 | 1 {
  switch (order.state) {
    case 'paid':
    case 'partially_refunded':
    case 'refunded':
      return 1;
    case 'failed':
    case 'closed':
    case 'reversed':
      return 0;
    default:
      return -1;
  }
}

/**
 * Amounts are fen in both directions. The request sends an integer (`10000`);
 * what the platform writes (answers, queries, notifications) carries the same
 * number with two decimals (`10000.00`), as every example in the document does
 * (PROVIDERS.md AGG-8). A merchant whose code expects the bare integer sets
 * `settings.amountFormat` to `"integer"`.
 */
export function formatAmount(fen: number, merchant: Merchant): string {
  return merchant.settings.amountFormat === 'integer' ? String(fen) : `${fen}.00`;
}

/**
 * 支付时间: when the order was paid, or null when nothing was paid — the §5.4
 * example's pay_status 0 with `"pay_time":null`. The notification carries the
 * same, as an empty field (a form has no null).
 */
export function payTime(order: Order): string | null {
  return payStatus(order) === 1 && order.paidAt !== null ? cstDateTime(order.paidAt) : null;
}

/** 实付金额 (§5.2 actual_amount): the amount once paid, `0.00` when nothing was paid. */
export function actualAmount(order: Order, merchant: Merchant): string {
  return formatAmount(payStatus(order) === 1 ? order.amount : 0, merchant);
}
