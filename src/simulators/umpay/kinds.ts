import { BINDING_KIND, canMove, defineKind, ORDER_KIND, REFUND_KIND, withTimers } from '../../core/kinds.js';
import { isAwaitingPayment, type OrderState, type SimRecord } from '../../core/domain.js';

/**
 * A quick-pay payment: what `confirm_pay_shortcut` sets off at the bank once
 * the SMS code checks out. The order exists from `apply_pay_shortcut` on, but
 * the money moves here, so this is the record scenarios and magic amounts
 * script (2001 processing then paid, 2003 failed, 2004 a system error on the
 * confirm), not the order. Its effect carries the result to the order (and to
 * the card agreement a 支付+签约 order signs).
 *
 * A payment that succeeds after its order has expired is reversed (冲正): the
 * FAQ "超过有效期的订单状态无法变更为交易成功，如订单已经过期支付成功的单将会被冲正".
 */
export const PAYMENT_KIND = defineKind({
  name: 'payment',
  states: ['processing', 'succeeded', 'failed', 'reversed'],
  transitions: { processing: ['succeeded', 'failed'], succeeded: ['reversed'], failed: [], reversed: [] },
  initial: 'processing',
  completedOn: ['succeeded'],
  closedOn: ['failed', 'reversed'],
  outcomes: { pending: 'processing', processing: 'processing', held: 'processing', paid: 'succeeded', failed: 'failed', closed: 'failed' },
  effect({ record, to, reportedInAnswer }, api) {
    if (record.parentId === null) return;
    const order = api.get(record.parentId);
    if (!order) return;
    const move = (target: SimRecord, state: string) => {
      if (target.state !== state && canMove(target.kind === 'order' ? ORDER_KIND : BINDING_KIND, target.state, state)) {
        api.transition(target, state, reportedInAnswer);
      }
    };
    // A scenario's notification mode (skip, duplicate, wrong signature) plays on the order's notifications.
    const notify = record.scenarioState.notify;
    if (notify && order.scenarioState.notify !== notify) {
      order.scenarioState = { ...order.scenarioState, notify };
      api.save(order);
    }
    const bindings = () => api.children(order.id, 'binding').filter((binding) => binding.state === 'pending');
    if (to === 'processing') {
      move(order, 'pending');
    } else if (to === 'succeeded') {
      if (isAwaitingPayment(order.state as OrderState)) {
        move(order, 'paid');
        for (const binding of bindings()) move(binding, 'active');
      } else {
        // The order closed (expired) while the bank was still working: the late payment is reversed.
        api.transition(record, 'reversed', reportedInAnswer);
      }
    } else if (to === 'failed' || to === 'reversed') {
      move(order, 'failed');
      for (const binding of bindings()) move(binding, 'failed');
    }
  },
});

/** Refund processing time when the merchant's settings do not say: REFUND_PROCESS for 5 simulated minutes. */
export const DEFAULT_REFUND_SECONDS = 300;

/**
 * Refunds are accepted (REFUND_PROCESS) and succeed later (REFUND_SUCCESS),
 * FAQ "退费“REFUND_PROCESS”状态，说明该笔退费已经成功受理". The document gives
 * no duration (only "3-7个工作日会到账" for the money): 5 minutes, or the
 * merchant's `settings.refundSeconds`, copied onto the refund when accepted.
 */
export const UMPAY_REFUND_KIND = withTimers(REFUND_KIND, {
  accepted: {
    afterMs: (record) => {
      const seconds = record.attributes.refundSeconds;
      return (typeof seconds === 'number' && seconds >= 0 ? seconds : DEFAULT_REFUND_SECONDS) * 1000;
    },
    to: 'succeeded',
  },
});
