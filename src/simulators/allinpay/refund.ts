import type { Context } from 'hono';
import { isSandboxError } from '../../core/errors.js';
import { annotate } from '../../core/exchange.js';
import { sequenceNumber } from '../../core/numbers.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { cstCompact } from '../../core/time-format.js';
import { allinpayAttributes } from './attributes.js';
import { REFUND_ACCEPTED } from './codes.js';
import { GatewayError } from './errors.js';
import { REFUND_FIELDS, REFUND_REPLY_FIELDS, type Fields } from './fields.js';
import { checkOrderKey, checkSignType, findOrder } from './query.js';
import { charsetOf, checkSignature, fieldsAnswer, merchantOf } from './request.js';
import { signerFor } from './results.js';
import { signFields } from './signature.js';

/** mchtRefundOrderNo: "字母、数字、-、_ 及其组合", 50 at most (§3.5). */
const REFUND_NO = /^[A-Za-z0-9_-]{1,50}$/;

/** The refund record's number when the merchant sends no mchtRefundOrderNo: never one a merchant can send. */
const autoNumber = (sequence: number) => `~${sequence}`;

/**
 * §3.5 单笔订单退款 (v2.3). Partial refunds are allowed, their sum never above
 * the order amount ("需保证退款金额 ≤ 订单金额"); anything else, an unpaid order or
 * an international payment whose pre-authorisation is not confirmed, is ZF10028.
 * `refundResult` 20 says the application was accepted ("申请成功：20"); the refund
 * then moves through the §3.8 states on the sandbox clock (kinds.ts REFUND).
 */
export function refundOrder(sim: SimulatorContext, fields: Fields, c: Context): string {
  annotate(c, { operation: '单笔订单退款 v2.3', orderNo: fields.orderNo });
  const merchant = merchantOf(sim, fields.merchantId);
  annotate(c, { merchantId: merchant.merchantId });
  checkSignType(fields);
  checkOrderKey(fields);
  if (!/^\d{1,10}$/.test(fields.refundAmount ?? '') || Number(fields.refundAmount) <= 0) {
    throw new GatewayError('AMOUNT', 'refundAmount须为正整数');
  }
  const refundNo = fields.mchtRefundOrderNo ?? '';
  if (refundNo !== '' && !REFUND_NO.test(refundNo)) throw new GatewayError('MALFORMED', 'mchtRefundOrderNo须为1-50位字母、数字、-、_');
  checkSignature(fields, REFUND_FIELDS, merchant, 'UTF-8', (note) => new GatewayError('SIGN', undefined, note));

  const order = findOrder(sim, merchant, fields, c);
  const preauth = sim.store.records.children(order.id, 'preauth')[0];
  if (preauth && preauth.state !== 'confirmed') throw new GatewayError('NOT_REFUNDABLE', `外卡预授权未确认（${preauth.state}）`);
  const amount = Number(fields.refundAmount);
  let created;
  try {
    created = sim.payments.refund({
      order,
      refundNo: refundNo || autoNumber(sim.store.records.nextSequence('allinpay.refund-number')),
      amount,
      platformRefundNo: (sequence, now) => sequenceNumber(now, sequence, { length: 18, stamp: 'date' }),
      attributes: { mchtRefundOrderNo: refundNo },
      natural: 'accepted',
    });
  } catch (error) {
    if (isSandboxError(error, 'NOT_REFUNDABLE')) throw new GatewayError('NOT_REFUNDABLE', `订单状态${order.state}`);
    if (isSandboxError(error, 'REFUND_EXCEEDS')) {
      throw new GatewayError('NOT_REFUNDABLE', `累计退款不能超过订单金额，可退${String((error.details as { left: number }).left)}`);
    }
    if (isSandboxError(error, 'DUPLICATE_REFUND')) throw new GatewayError('DUPLICATE', `mchtRefundOrderNo ${refundNo}`);
    throw error;
  }
  const { refund, outcome } = created;
  annotate(c, { record: sim.store.records.get(refund.id)!, kind: 'create' });
  // Magic amount 2004: the refund exists, the answer is a system error; the first status query fails too.
  if (outcome === 'error') throw sim.errors.system(sim.store.records.get(refund.id)!);

  const attributes = allinpayAttributes(order)!;
  const now = sim.clock.now();
  const reply: Fields = {
    merchantId: merchant.merchantId,
    version: 'v2.3',
    signType: fields.signType!,
    orderNo: order.orderNo,
    orderAmount: String(order.amount),
    orderDatetime: attributes.orderDatetime,
    refundAmount: String(amount),
    refundDatetime: cstCompact(refund.createdAt),
    refundResult: REFUND_ACCEPTED,
    mchtRefundOrderNo: refundNo,
    returnDatetime: cstCompact(now),
  };
  const charset = charsetOf(attributes.inputCharset);
  const signMsg = signFields(reply, REFUND_REPLY_FIELDS, signerFor(merchant, sim.platformKeys(), fields.signType!, charset));
  return fieldsAnswer(reply, REFUND_REPLY_FIELDS, signMsg);
}
