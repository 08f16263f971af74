import type { Merchant, Order, Refund } from '../../../core/domain.js';
import { isSandboxError } from '../../../core/errors.js';
import { annotate } from '../../../core/exchange.js';
import { sequenceNumber } from '../../../core/numbers.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstDateTime } from '../../../core/time-format.js';
import type { Command } from '../command.js';
import { BODY_CODES, replyCommandId, type BodyCodeName } from '../codes.js';
import { BusinessError, EnvelopeError } from '../errors.js';
import { parseFields } from '../fields.js';
import { queryFailure, REQUIRED } from './failures.js';
import { refund as refundSchema, refundLookup } from './schemas.js';
import { findScanOrder } from './wallets.js';

/** What a scan refund keeps: its family, and for a refused one the ERR_CODE it was answered with. */
interface ScanRefundAttributes {
  family: 'scan';
  errCode?: string;
  errMsg?: string;
}

/** A refund that fails later than its request (a scenario: magic amount 2003) answers this. */
const FAILED = { code: BODY_CODES.DECLINED.code, text: '退款失败：商户可用余额不足' };

/**
 * Refund replies (扫码 §10.6.2 / §10.7.2): every 必须 field, and ERR_CODE with
 * ERR_CODE_MSG when STATUS is 2. The document has only 1 accepted and 2
 * failed, no "refunded" state; a sandbox refund is done once accepted
 * (PROVIDERS.md MMSP-15).
 */
function refundFields(refund: Refund): Record<string, string> {
  const fields: Record<string, string> = {
    REFUND_ORDERNO: refund.platformRefundNo,
    AMT: String(refund.amount),
    REFUND_TIME: cstDateTime(refund.createdAt),
    STATUS: refund.state === 'failed' ? '2' : '1',
    REFUND_MERORDERID: refund.refundNo,
  };
  if (refund.state !== 'failed') return fields;
  const attributes = refund.attributes as Partial<ScanRefundAttributes>;
  return { ...fields, ERR_CODE: attributes.errCode ?? FAILED.code, ERR_CODE_MSG: attributes.errMsg ?? FAILED.text };
}

/** REFUND_ORDERNO is string(20): the China date, then the refund sequence. */
const platformRefundNo = (sequence: number, now: number) => sequenceNumber(now, sequence, { length: 20, stamp: 'date' });

/**
 * A refusal the platform answers with a refund number (10.6.2: STATUS 2 退款失败
 * with REFUND_ORDERNO and REFUND_TIME, both 必须): it is kept as a failed refund,
 * so 2313 answers STATUS 2 for it (10.7.2) and its REFUND_MERORDERID is used.
 */
function refuse(sim: SimulatorContext, order: Order, refundNo: string, amount: number, name: BodyCodeName, message: string): Refund {
  const attributes: ScanRefundAttributes = { family: 'scan', errCode: BODY_CODES[name].code, errMsg: message };
  return sim.payments.refuseRefund({
    order,
    refundNo,
    amount,
    platformRefundNo,
    attributes: attributes as unknown as Record<string, unknown>,
    reason: message,
  });
}

/** 10.6 退款: partial refunds allowed, their sum never above the amount, REFUND_MERORDERID unique. */
const refund: Command = {
  id: 2312,
  replyId: replyCommandId(2312),
  name: '2312 退款',
  kind: 'other',
  required: REQUIRED.refund,
  handle(request, sim, c) {
    const fields = parseFields(refundSchema, request.body);
    const order = findScanOrder(sim, request.merchant, fields);
    annotate(c, { order, kind: 'other' });
    const attributes: ScanRefundAttributes = { family: 'scan' };
    try {
      const result = sim.payments.refund({
        order,
        refundNo: fields.REFUND_MERORDERID,
        amount: fields.AMT,
        platformRefundNo,
        attributes: attributes as unknown as Record<string, unknown>,
      });
      const record = sim.store.records.get(result.refund.id)!;
      // The refund is what scenario HTTP effects and a scripted system error (2004) concern.
      annotate(c, { record, kind: 'create' });
      if (result.outcome === 'error') throw sim.errors.system(record);
      return refundFields(result.refund);
    } catch (error) {
      if (isSandboxError(error, 'DUPLICATE_REFUND')) {
        const existing = sim.store.refunds.findByRefundNo('mmsp', request.merchantId, fields.REFUND_MERORDERID)!;
        throw new BusinessError('DUPLICATE', '重复交易：商户退款订单号已存在', refundFields(existing));
      }
      if (isSandboxError(error, 'NOT_REFUNDABLE')) {
        return refundFields(refuse(sim, order, fields.REFUND_MERORDERID, fields.AMT, 'NOT_ALLOWED', '订单未支付成功，不能退款'));
      }
      if (isSandboxError(error, 'REFUND_EXCEEDS')) {
        const left = order.amount - order.refundedAmount;
        const message = `无效金额：退款金额超过可退金额${left}分`;
        return refundFields(refuse(sim, order, fields.REFUND_MERORDERID, fields.AMT, 'BAD_AMOUNT', message));
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

/** 10.7 退款查询: STATUS 1 受理成功, or 2 退款失败 with the refusal's ERR_CODE. */
const refundQuery: Command = {
  id: 2313,
  replyId: replyCommandId(2313),
  name: '2313 退款查询',
  kind: 'query',
  required: REQUIRED.refund,
  handle(request, sim, c) {
    const fields = parseFields(refundLookup, request.body);
    const found = findRefund(sim, request.merchant, fields);
    const order = sim.store.orders.get(found.orderId);
    annotate(c, { ...(order ? { order } : {}), record: sim.store.records.get(found.id)!, kind: 'query' });
    // A scenario's fail-queries (magic amount 2004 on the refund): this answer is lost too.
    if (sim.records.consumeQueryError(found.id)) throw queryFailure(sim, found.id);
    return refundFields(found);
  },
};

export const refundCommands: Command[] = [refund, refundQuery];
