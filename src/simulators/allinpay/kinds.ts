import { BINDING_KIND, defineKind, ORDER_KIND, PREAUTH_KIND, REFUND_KIND, SMS_KIND, withTimers } from '../../core/kinds.js';
import { sequenceNumber } from '../../core/numbers.js';
import { isInternational } from './attributes.js';

/** preAuthId (§4.2 "预授权 ID", 30 characters at most): the China date and the pre-authorisation sequence, 20 digits. */
export const PREAUTH_ID_LENGTH = 20;

/**
 * The order, whose international card payment (payType 30) is a
 * pre-authorisation (§4): paying it creates the `preauth` record the merchant
 * later confirms (v1.9) or cancels (v1.8). The document does not say how a
 * pre-authorisation starts (ALP-13): every international card payment is one.
 */
export const ORDER = defineKind({
  ...ORDER_KIND,
  effect({ record, to }, api) {
    if (to !== 'paid' || !isInternational(String(record.attributes.payType ?? ''))) return;
    api.create({
      provider: record.provider,
      kind: 'preauth',
      merchantId: record.merchantId,
      number: record.number,
      parentId: record.id,
      amount: record.amount,
      currency: record.currency,
      attributes: { paymentOrderId: record.platformNumber },
      platformNumber: (sequence, now) => sequenceNumber(now, sequence, { length: PREAUTH_ID_LENGTH, stamp: 'date' }),
    });
  },
});

/**
 * A pre-authorisation. Cancelled (v1.8): the hold is released and the payment
 * reversed. Confirmed (v1.9) for `consumedAmount` ≤ its amount: the part not
 * captured is reserved on the order, so refunds never exceed what was captured.
 */
export const PREAUTH = defineKind({
  ...PREAUTH_KIND,
  effect({ record, to }, api) {
    const order = record.parentId === null ? undefined : api.get(record.parentId);
    if (!order) return;
    if (to === 'cancelled' && order.state === 'paid') api.transition(order, 'reversed', false);
    if (to === 'confirmed') {
      order.consumedAmount += (record.amount ?? 0) - record.consumedAmount;
      api.save(order);
    }
  },
});

/** How long each refund stage lasts on the sandbox clock (the document gives no durations). */
export const REFUND_STAGE_MS = 60_000;

/**
 * A refund and its §3.8 states: accepted (TKSUCC0002 待通联审核) → approved (0003
 * 通联审核通过) → processing (0005 处理中) → succeeded (0006 退款成功), a minute
 * each; failed (0007) and rejected (0008 通联审核不通过) give the amount back.
 * Scenario outcomes: pending/processing/held → processing, paid → succeeded,
 * failed → failed, closed → rejected.
 */
export const REFUND = defineKind({
  name: 'refund',
  states: ['accepted', 'approved', 'processing', 'succeeded', 'failed', 'rejected'],
  transitions: {
    accepted: ['approved', 'processing', 'succeeded', 'failed', 'rejected'],
    approved: ['processing', 'succeeded', 'failed'],
    processing: ['succeeded', 'failed'],
    succeeded: [],
    failed: [],
    rejected: [],
  },
  initial: 'accepted',
  completedOn: ['succeeded'],
  closedOn: ['failed', 'rejected'],
  outcomes: { pending: 'processing', processing: 'processing', held: 'processing', paid: 'succeeded', failed: 'failed', closed: 'rejected' },
  timers: {
    accepted: { afterMs: REFUND_STAGE_MS, to: 'approved' },
    approved: { afterMs: REFUND_STAGE_MS, to: 'processing' },
    processing: { afterMs: REFUND_STAGE_MS, to: 'succeeded' },
  },
  // The standard refund's bookkeeping: a rejected refund gives the amount back as a failed one does.
  effect(change, api) {
    REFUND_KIND.effect?.({ ...change, to: change.to === 'rejected' ? 'failed' : change.to }, api);
  },
});

/** How long an SMS code is valid, and how soon another may be sent (EM0001_000070). */
export const SMS_TTL_MS = 5 * 60_000;
export const SMS_RESEND_MS = 60_000;

export const SMS = withTimers(SMS_KIND, { sent: { afterMs: SMS_TTL_MS, to: 'expired' } });

/** A member's saved card (§1.4.1 会员模式 "常用卡"): active from the member's first payment with it. */
export const BINDING = BINDING_KIND;

export const KINDS = [ORDER, PREAUTH, REFUND, SMS, BINDING];
