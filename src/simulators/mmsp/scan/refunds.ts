import type { Merchant, Refund } from '../../../core/domain.js';
import { isSandboxError } from '../../../core/errors.js';
import { annotate } from '../../../core/exchange.js';
import { sequenceNumber } from '../../../core/numbers.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstDateTime } from '../../../core/time-format.js';
import type { Command } from '../command.js';
import { replyCommandId } from '../codes.js';
import { BusinessError, EnvelopeError } from '../errors.js';
import { parseFields } from '../fields.js';
import { refund as refundSchema, refundLookup } from './schemas.js';
import { findScanOrder } from './wallets.js';

/**
 * Refund replies (扫码 §10.6.2 / §10.7.2). The document has only 1 accepted and
 * 2 failed, no "refunded" state; a sandbox refund is done once accepted
 * (PROVIDERS.md MMSP-15).
 */
function refundFields(refund: Refund): Record<string, string> {
  return {
    REFUND_ORDERNO: refund.platformRefundNo,
    AMT: String(refund.amount),
    REFUND_TIME: cstDateTime(refund.createdAt),
    STATUS: refund.state === 'failed' ? '2' : '1',
    REFUND_MERORDERID: refund.refundNo,
  };
}

/** 10.6 退款: partial refunds allowed, their sum never above the amount, REFUND_MERORDERID unique. */
const refund: Command = {
  id: 2312,
  replyId: replyCommandId(2312),
  name: '2312 退款',
  kind: 'other',
  handle(request, sim, c) {
    const fields = parseFields(refundSchema, request.body);
    const order = findScanOrder(sim, request.merchant, fields);
    annotate(c, { order, kind: 'other' });
    const echo = { REFUND_MERORDERID: fields.REFUND_MERORDERID, AMT: String(fields.AMT) };
    try {
      const result = sim.payments.refund({
        order,
        refundNo: fields.REFUND_MERORDERID,
        amount: fields.AMT,
        // REFUND_ORDERNO is string(20): the China date, then the refund sequence.
        platformRefundNo: (sequence, now) => sequenceNumber(now, sequence, { length: 20, stamp: 'date' }),
      });
      return refundFields(result.refund);
    } catch (error) {
      if (isSandboxError(error, 'DUPLICATE_REFUND')) {
        throw new BusinessError('DUPLICATE', '重复交易：商户退款订单号已存在', echo);
      }
      if (isSandboxError(error, 'NOT_REFUNDABLE')) {
        throw new BusinessError('NOT_ALLOWED', '订单未支付成功，不能退款', echo);
      }
      if (isSandboxError(error, 'REFUND_EXCEEDS')) {
        const left = order.amount - order.refundedAmount;
        throw new BusinessError('BAD_AMOUNT', `无效金额：退款金额超过可退金额${left}分`, echo);
      }
      throw error;
    }
  },
};

function findRefund(sim: SimulatorContext, merchant: Merchant, body: Record<string, unknown>): Refund {
  const platformNo = body.REFUND_ORDERNO ? String(body.REFUND_ORDERNO) : undefined;
  const refundNo = body.REFUND_MERORDERID ? String(body.REFUND_MERORDERID) : undefined;
  const found = platformNo
    ? sim.store.refunds.findByPlatformNo('mmsp', platformNo)
    : sim.store.refunds.findByRefundNo('mmsp', merchant.merchantId, refundNo!);
  if (!found || found.merchantId !== merchant.merchantId || (platformNo && refundNo && found.refundNo !== refundNo)) {
    throw new EnvelopeError('ORDER_NOT_FOUND', platformNo ?? refundNo);
  }
  return found;
}

/** 10.7 退款查询. */
const refundQuery: Command = {
  id: 2313,
  replyId: replyCommandId(2313),
  name: '2313 退款查询',
  kind: 'query',
  handle(request, sim, c) {
    const fields = parseFields(refundLookup, request.body);
    const found = findRefund(sim, request.merchant, fields);
    const order = sim.store.orders.get(found.orderId);
    if (order) annotate(c, { order, kind: 'query' });
    return refundFields(found);
  },
};

export const refundCommands: Command[] = [refund, refundQuery];
