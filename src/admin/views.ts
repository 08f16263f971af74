import type { Order, Refund, SimRecord } from '../core/domain.js';
import { isoTime } from '../core/time-format.js';
import type { RecordEventRow } from '../core/store/records.js';
import type { JournalEntry } from '../core/store/journal.js';
import type { DeliveryAttempt, OutboxItem } from '../core/store/outbox.js';

/** JSON shapes of the admin API. Field names are part of the external contract: add, never rename. */

export function refundView(refund: Refund) {
  return {
    refundNo: refund.refundNo,
    platformRefundNo: refund.platformRefundNo,
    amount: refund.amount,
    state: refund.state,
    createdAt: isoTime(refund.createdAt),
  };
}

/**
 * `GET /_sim/records` rows. `orderNo` is the order the record is or belongs
 * to (the parent's number, looked up by the caller), null otherwise.
 */
export function recordView(record: SimRecord, orderNo: string | null) {
  return {
    id: record.id,
    provider: record.provider,
    kind: record.kind,
    merchantId: record.merchantId,
    number: record.number,
    platformNumber: record.platformNumber,
    orderNo,
    state: record.state,
    amount: record.amount,
    consumedAmount: record.consumedAmount,
    product: record.product,
    scenario: record.scenarioId,
    createdAt: isoTime(record.createdAt),
    updatedAt: isoTime(record.updatedAt),
    expiresAt: isoTime(record.expiresAt),
    completedAt: isoTime(record.completedAt),
    closedAt: isoTime(record.closedAt),
    attributes: record.attributes,
  };
}

export function recordEventView(event: RecordEventRow) {
  return { at: isoTime(event.at), from: event.from, to: event.to, cause: event.cause };
}

/** `smsCode`: the code of an SMS challenge still open on the order (quick pay), so a test can confirm it. */
export function orderView(order: Order, refunds: Refund[] = [], smsCode: string | null = null) {
  return {
    provider: order.provider,
    merchantId: order.merchantId,
    orderNo: order.orderNo,
    platformOrderNo: order.platformOrderNo,
    product: order.product,
    amount: order.amount,
    currency: order.currency,
    state: order.state,
    refundedAmount: order.refundedAmount,
    createdAt: isoTime(order.createdAt),
    paidAt: isoTime(order.paidAt),
    closedAt: isoTime(order.closedAt),
    expiresAt: isoTime(order.expiresAt),
    notifyUrl: order.notifyUrl,
    returnUrl: order.returnUrl,
    scenario: order.scenarioId,
    attributes: order.attributes,
    refunds: refunds.map(refundView),
    ...(smsCode ? { smsCode } : {}),
  };
}

export function attemptView(attempt: DeliveryAttempt) {
  return {
    attemptNo: attempt.attemptNo,
    at: isoTime(attempt.at),
    trigger: attempt.trigger,
    method: attempt.method,
    url: attempt.url,
    requestBody: attempt.requestBody,
    requestCharset: attempt.requestCharset,
    httpStatus: attempt.httpStatus,
    replyBody: attempt.replyBody,
    replyCharset: attempt.replyCharset,
    verdict: attempt.verdict,
    error: attempt.error,
    nextAttemptAt: isoTime(attempt.nextAttemptAt),
    durationMs: attempt.durationMs,
  };
}

export function notificationView(item: OutboxItem, attempts: DeliveryAttempt[]) {
  return {
    id: item.id,
    provider: item.provider,
    channel: item.channel,
    recordKind: item.recordKind,
    merchantId: item.merchantId,
    orderNo: item.orderNo,
    url: item.url,
    status: item.status,
    attemptCount: attempts.length,
    nextAttemptAt: isoTime(item.nextAttemptAt),
    createdAt: isoTime(item.createdAt),
    wrongSignature: item.flags.wrongSignature === true,
    attempts: attempts.map(attemptView),
  };
}

export function journalView(entry: JournalEntry) {
  return { ...entry, at: isoTime(entry.at) };
}
