import { isPaidLike, type Order, type OrderState } from '../../core/domain.js';
import { cstCompact } from '../../core/time-format.js';
import { umpayAttributes } from './attributes.js';
import { RET, TRADE_STATE } from './codes.js';

/** The engine's order state as 交易状态 (research brief §8). */
const BY_STATE: Record<OrderState, string> = {
  created: TRADE_STATE.WAIT,
  // The bank is still working on it (magic amount 2001): not paid yet.
  pending: TRADE_STATE.WAIT,
  processing: TRADE_STATE.WAIT,
  held: TRADE_STATE.WAIT,
  paid: TRADE_STATE.SUCCESS,
  // A refund does not change the trade: it has its own refund_state.
  partially_refunded: TRADE_STATE.SUCCESS,
  refunded: TRADE_STATE.SUCCESS,
  failed: TRADE_STATE.FAIL,
  closed: TRADE_STATE.CLOSED,
  // 撤销 (§2.1 名词解释: 对已交易成功的订单进行回滚).
  reversed: TRADE_STATE.CANCEL,
};

export const tradeState = (order: Order): string => BY_STATE[order.state];

/** China date YYYYMMDD. */
export const cstDate = (ms: number): string => cstCompact(ms).slice(0, 8);

/**
 * The order's fields as the notification (§ 服务器异步通知参数, seed lines
 * 44–72, wire names per research brief §7) and the query carry them; empty
 * ones are left out.
 * - pay_date / settle_date (支付日期 / 对账日期): the China date of payment;
 *   the sandbox settles on the day it is paid.
 * - pay_seq (银行流水): the payment time and the end of trade_no, stable.
 * - error_code (交易错误码): 0000 for a success, the failure's code otherwise.
 * - card data masked as the platform shows it.
 */
export function orderFields(order: Order): Record<string, string> {
  const attributes = umpayAttributes(order);
  const paid = isPaidLike(order.state);
  const fields: Record<string, string | undefined> = {
    mer_id: order.merchantId,
    order_id: attributes?.orderId ?? order.orderNo,
    mer_date: attributes?.merDate,
    trade_no: order.platformOrderNo,
    goods_id: attributes?.goodsId,
    amount: String(order.amount),
    amt_type: 'RMB',
    trade_state: tradeState(order),
    pay_date: paid && order.paidAt !== null ? cstDate(order.paidAt) : undefined,
    settle_date: paid && order.paidAt !== null ? cstDate(order.paidAt) : undefined,
    pay_type: attributes?.payType,
    gate_id: attributes?.gateId,
    media_id: attributes?.mediaId,
    media_type: attributes?.mediaId ? (attributes.mediaType ?? 'MOBILE') : undefined,
    mer_priv: attributes?.merPriv,
    pay_seq: paid && order.paidAt !== null ? `${cstCompact(order.paidAt)}${order.platformOrderNo.slice(-6)}` : undefined,
    error_code: paid ? RET.OK.code : order.state === 'failed' ? (attributes?.errorCode ?? RET.PAY_FAILED.code) : undefined,
    last_four_cardid: attributes?.card?.lastFour,
    identity_type: attributes?.card?.identityType,
    identity_code: attributes?.card?.identityCode,
    card_holder: attributes?.card?.holder,
    mer_cust_id: attributes?.merCustId,
  };
  // 支付+签约 returns the agreement numbers once the payment succeeded (and signed them); 协议支付 always has them.
  if (attributes?.payAgreementId && (paid || order.product === 'quick.agreement')) {
    fields.usr_busi_agreement_id = attributes.busiAgreementId;
    fields.usr_pay_agreement_id = attributes.payAgreementId;
  }
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}
