import { defineKind, ORDER_KIND } from '../../../core/kinds.js';

/**
 * MMSP's order kind: the standard order, plus what a quick-pay order's end
 * does to the records hanging off it, in the same transaction:
 * - an SMS code still open is void once the order can no longer be paid;
 * - a binding requested with the payment (bind mode A: 771 with USER_ID,
 *   "交易后完成绑卡") becomes active when the order is paid, failed otherwise.
 * Scan orders have neither and are left alone.
 */
export const MMSP_ORDER_KIND = defineKind({
  ...ORDER_KIND,
  effect(change, api) {
    ORDER_KIND.effect?.(change, api);
    const { record, to } = change;
    if (record.attributes.family !== 'quick' || to === 'created' || to === 'pending') return;
    for (const sms of api.children(record.id, 'sms')) if (sms.state === 'sent') api.transition(sms, 'void', false);
    const outcome = to === 'paid' ? 'active' : to === 'failed' || to === 'closed' ? 'failed' : undefined;
    if (!outcome) return;
    for (const binding of api.children(record.id, 'binding')) if (binding.state === 'pending') api.transition(binding, outcome, false);
  },
});

