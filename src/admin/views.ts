import type { Order, Refund } from '../core/domain.js';
import { isoTime } from '../core/time-format.js';
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

export function orderView(order: Order, refunds: Refund[] = []) {
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
    httpStatus: attempt.httpStatus,
    replyBody: attempt.replyBody,
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
