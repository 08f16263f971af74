import type { Context } from 'hono';
import type { SimRecord } from '../../core/domain.js';
import { annotate } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { cstCompact } from '../../core/time-format.js';
import { REFUND_RESULTS } from './codes.js';
import { GatewayError, RefundQueryError } from './errors.js';
import { REFUND_QUERY_FIELDS, type Fields } from './fields.js';
import { checkSignature } from './request.js';
import { signerFor } from './results.js';
import { signText } from './signature.js';
import { oneMonthBefore, parseCompact } from './time.js';

/** The refund record's state as §3.8's refundResult. */
const RESULT_BY_STATE: Record<string, string> = {
  accepted: REFUND_RESULTS.AWAITING_REVIEW.code,
  approved: REFUND_RESULTS.APPROVED.code,
  processing: REFUND_RESULTS.PROCESSING.code,
  succeeded: REFUND_RESULTS.SUCCEEDED.code,
  failed: REFUND_RESULTS.FAILED.code,
  rejected: REFUND_RESULTS.REJECTED.code,
};

export const refundResultOf = (state: string): string => RESULT_BY_STATE[state] ?? REFUND_RESULTS.NOT_ACCEPTED.code;

/**
 * §3.7 退款状态查询 (v2.4): every refund of the order for refundAmount, narrowed by
 * refundDatetime and mchtRefundOrderNo when sent, of the last month ("可查询近一个月
 * 的退款订单状态"). Errors are §3.8's 001–011.
 */
export function refundQuery(sim: SimulatorContext, fields: Fields, c: Context): string {
  annotate(c, { operation: '退款状态查询 v2.4', orderNo: fields.orderNo, kind: 'query' });
  const merchantId = fields.merchantId ?? '';
  if (merchantId === '') throw new RefundQueryError('MERCHANT_EMPTY');
  if (merchantId.length > 15) throw new RefundQueryError('MERCHANT_TOO_LONG');
  const merchant = sim.store.merchants.get('allinpay', merchantId);
  if (!merchant?.md5Key) throw new RefundQueryError('MERCHANT_UNKNOWN', merchantId);
  annotate(c, { merchantId });
  // The table has no code for these two: the gateway's own.
  if (fields.version !== 'v2.4') throw new GatewayError('VERSION', 'version须为v2.4');
  if (fields.signType !== '0' && fields.signType !== '1') throw new GatewayError('SIGN_TYPE', 'signType须为0或1');
  if (!fields.orderNo) throw new RefundQueryError('ORDER_EMPTY');
  const amount = fields.refundAmount ?? '';
  if (amount === '') throw new RefundQueryError('AMOUNT_EMPTY');
  if (!/^-?\d+$/.test(amount)) throw new RefundQueryError('AMOUNT_NOT_INTEGER', amount);
  if (Number(amount) <= 0) throw new RefundQueryError('AMOUNT_NOT_POSITIVE', amount);
  if (fields.refundDatetime && parseCompact(fields.refundDatetime) === undefined) throw new RefundQueryError('DATETIME', fields.refundDatetime);
  checkSignature(fields, REFUND_QUERY_FIELDS, merchant, 'UTF-8', (note) => new RefundQueryError('SIGN', undefined, note));

  const order = sim.store.orders.findByOrderNo('allinpay', merchantId, fields.orderNo);
  if (!order) throw new RefundQueryError('ORDER_UNKNOWN', fields.orderNo);
  annotate(c, { order });
  const now = sim.clock.now();
  const since = oneMonthBefore(now);
  const refunds = sim.store.records
    .children(order.id, 'refund')
    .filter((refund) => refund.amount === Number(amount) && refund.createdAt >= since)
    .filter((refund) => !fields.refundDatetime || cstCompact(refund.createdAt) === fields.refundDatetime)
    .filter((refund) => !fields.mchtRefundOrderNo || refund.attributes.mchtRefundOrderNo === fields.mchtRefundOrderNo)
    .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  if (refunds.length === 0) throw new RefundQueryError('NOT_FOUND');
  annotate(c, { record: refunds.at(-1)! });
  // A scenario's fail-queries on the refund (magic amount 2004).
  if (refunds.some((refund) => sim.records.consumeQueryError(refund.id))) throw sim.errors.system(refunds[0]!);

  const text = refunds.map((refund) => recordLine(fields.signType!, order.merchantId, order.orderNo, refund, now)).join('\r\n');
  return `${text}\r\n${signText(text, signerFor(merchant, sim.platformKeys(), fields.signType!))}`;
}

/**
 * v2.4|signType|merchantId|orderNo|refundAmount|refundDatetime|mchtRefundOrderNo|refundResult|returnDatetime
 * (§3.8; an empty mchtRefundOrderNo stays an empty column). returnDatetime is
 * when the answer is made: the document's two answers about one refund differ only there.
 */
function recordLine(signType: string, merchantId: string, orderNo: string, refund: SimRecord, now: number): string {
  return [
    'v2.4',
    signType,
    merchantId,
    orderNo,
    refund.amount,
    cstCompact(refund.createdAt),
    String(refund.attributes.mchtRefundOrderNo ?? ''),
    refundResultOf(refund.state),
    cstCompact(now),
  ].join('|');
}
