import type { Clock } from './clock.js';
import { isAwaitingPayment, recordToOrder, recordToRefund, type HttpEffect, type Order, type OrderState, type Refund, type RefundState } from './domain.js';
import { SandboxError } from './errors.js';
import type { CreateOutcome, MatchInput } from './scenarios.js';
import type { CreateRecordInput, Records } from './records.js';
import type { ChangeCause } from './simulator.js';
import type { Store } from './store/index.js';

export interface CreateOrderInput {
  provider: string;
  merchantId: string;
  orderNo: string;
  product: string;
  amount: number;
  currency?: string;
  notifyUrl: string | null;
  returnUrl?: string | null;
  attributes?: Record<string, unknown>;
  /** When an unpaid order closes; null for never. */
  expiresAt: number | null;
  /**
   * What happens when no scenario says otherwise: `awaiting` (a QR code is
   * shown and the payer has yet to pay) or `paid` (a micropay that succeeds in
   * the same answer).
   */
  natural: 'awaiting' | 'paid';
  /**
   * With `natural: 'awaiting'`: a scripted failure (magic amount 2003) is what
   * the payer's attempt ends in, not the order's first state — for providers
   * whose documents answer a pre-order before anyone pays (MMSP 扫码).
   */
  deferFailureToPayer?: boolean;
  /** Formats the platform order number from the provider's order sequence (see `sequenceNumber`). */
  platformOrderNo: (sequence: number, now: number) => string;
  /** Extra facts scenarios can match on. */
  match?: Pick<MatchInput, 'card' | 'code'>;
}

export interface CreateOrderResult {
  order: Order;
  /**
   * `error` means answer with the provider's system error even though the order
   * exists (the merchant must query); anything else, answer from `order.state`.
   */
  outcome: CreateOutcome;
}

export interface RefundInput {
  order: Order;
  refundNo: string;
  amount: number;
  platformRefundNo: (sequence: number, now: number) => string;
  attributes?: Record<string, unknown>;
  /**
   * `succeeded`: the refund is done in the answer (MMSP scan, as its document
   * says); `accepted`: it finishes later, by the kind's timers or a scenario.
   */
  natural?: Extract<RefundState, 'accepted' | 'succeeded'>;
  /** False keeps magic amounts and scenarios off the refund. */
  scripted?: boolean;
}

/** An order's creation as a record of kind `order`. */
export function orderRecordInput(input: CreateOrderInput): CreateRecordInput {
  return {
    provider: input.provider,
    kind: 'order',
    merchantId: input.merchantId,
    number: input.orderNo,
    platformNumber: input.platformOrderNo,
    product: input.product,
    amount: input.amount,
    currency: input.currency ?? 'CNY',
    notifyUrl: input.notifyUrl,
    returnUrl: input.returnUrl ?? null,
    attributes: input.attributes ?? {},
    expiresAt: input.expiresAt,
    natural: input.natural === 'paid' ? 'paid' : 'created',
    ...(input.deferFailureToPayer && input.natural === 'awaiting' ? { deferFailureToPayer: true } : {}),
    ...(input.match ? { match: input.match } : {}),
  };
}

/** What a payer (hosted page) or a tester (admin API) can do to an unpaid order. */
export type PayerOutcome = 'paid' | 'failed' | 'closed';

/**
 * Payment orders and their refunds: the two kinds every provider has, as typed
 * views over the record engine. Every change is one transaction with the
 * notifications it announces.
 */
export class Payments {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly records: Records,
  ) {}

  /**
   * Creates an order, picks its scenario and plays the scenario's first steps.
   * Throws DUPLICATE_ORDER when the merchant order number is already used.
   */
  create(input: CreateOrderInput): CreateOrderResult {
    const { record, outcome } = this.records.create(orderRecordInput(input));
    return { order: recordToOrder(record), outcome };
  }

  /**
   * Moves an order to `to`, queuing what the provider announces for the change.
   * Throws INVALID_TRANSITION when the lifecycle does not allow it.
   */
  transition(orderId: number, to: OrderState, cause: ChangeCause, reportedInAnswer = false): Order {
    return recordToOrder(this.records.transition(orderId, to, cause, reportedInAnswer));
  }

  /**
   * The payer pays or fails (hosted page, or the admin API acting as the payer),
   * or the operator closes. While a scenario holds the order (magic amounts
   * 2001, 2002: `respond pending`), pay and fail leave it as the scenario says;
   * `force` overrides, as an operator's explicit choice. A scenario that
   * fails the payer's payment (2003 on a pre-order) turns pay into failed.
   */
  payerAction(orderId: number, outcome: PayerOutcome, options: { force?: boolean } = {}): { order: Order; held: boolean } {
    const current = this.get(orderId);
    const awaiting = isAwaitingPayment(current.state);
    if (outcome !== 'closed' && !options.force && current.scenarioState.hold && awaiting) {
      return { order: current, held: true };
    }
    if (outcome === 'paid' && !options.force && current.scenarioState.payerFails && awaiting) {
      return { order: this.transition(orderId, 'failed', 'payer'), held: false };
    }
    const cause: ChangeCause = outcome === 'closed' || options.force ? 'admin' : 'payer';
    return { order: this.transition(orderId, outcome, cause), held: false };
  }

  /** Updates provider attributes of an order without a state change. */
  updateAttributes(orderId: number, attributes: Record<string, unknown>): Order {
    return recordToOrder(this.records.updateAttributes(orderId, attributes));
  }

  /**
   * Reserves the amount on the order and records a refund; the order becomes
   * partially_refunded or refunded when the refund succeeds (at once when
   * `natural` is succeeded), and gets the amount back if it fails.
   * Throws NOT_REFUNDABLE, DUPLICATE_REFUND or REFUND_EXCEEDS, changing nothing.
   */
  refund(input: RefundInput): { refund: Refund; order: Order; outcome: CreateOutcome } {
    return this.records.tx(() => {
      const order = this.store.records.get(input.order.id);
      if (!order || order.kind !== 'order') throw new SandboxError('ORDER_NOT_FOUND');
      if (this.store.records.findByNumber(order.provider, 'refund', order.merchantId, input.refundNo)) {
        throw new SandboxError('DUPLICATE_REFUND', undefined, { refundNo: input.refundNo });
      }
      if (order.state !== 'paid' && order.state !== 'partially_refunded') {
        throw new SandboxError('NOT_REFUNDABLE', undefined, { state: order.state });
      }
      const left = (order.amount ?? 0) - order.consumedAmount;
      if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > left) {
        throw new SandboxError('REFUND_EXCEEDS', undefined, { left, requested: input.amount });
      }
      order.consumedAmount += input.amount;
      order.updatedAt = this.clock.now();
      this.store.records.save(order);
      const { record, outcome } = this.records.create({
        provider: order.provider,
        kind: 'refund',
        merchantId: order.merchantId,
        number: input.refundNo,
        platformNumber: input.platformRefundNo,
        parentId: order.id,
        amount: input.amount,
        currency: order.currency,
        attributes: input.attributes ?? {},
        natural: input.natural ?? 'succeeded',
        ...(input.scripted === false ? { scripted: false } : {}),
      });
      return { refund: recordToRefund(record), order: this.get(order.id), outcome };
    });
  }

  /**
   * Keeps a refund the provider refused — the order is not paid, or the amount
   * is above what is left — for documents that answer such a refusal with a
   * refund number and let it be queried as failed (MMSP 扫码 10.6.2, 10.7.2).
   * It is born `failed`, reserves nothing and is never scripted; `reason`
   * is kept in its attributes (`refused`). Throws DUPLICATE_REFUND when the
   * number is used.
   */
  refuseRefund(input: Omit<RefundInput, 'natural' | 'scripted'> & { reason: string }): Refund {
    const { record } = this.records.create({
      provider: input.order.provider,
      kind: 'refund',
      merchantId: input.order.merchantId,
      number: input.refundNo,
      platformNumber: input.platformRefundNo,
      parentId: input.order.id,
      amount: input.amount,
      currency: input.order.currency,
      attributes: { ...input.attributes, refused: input.reason },
      natural: 'failed',
      scripted: false,
    });
    return recordToRefund(record);
  }

  /** True when this query must be answered with a system error (a scenario's `fail-queries`); consumes one. */
  consumeQueryError(order: Order): boolean {
    return this.records.consumeQueryError(order);
  }

  /** The HTTP effects that apply to an answer about `order`, consuming counted ones. */
  consumeHttpEffects(orderId: number, operation: 'create' | 'query' | 'other'): HttpEffect[] {
    return this.records.consumeHttpEffects(orderId, operation);
  }

  private get(orderId: number): Order {
    const order = this.store.orders.get(orderId);
    if (!order) throw new SandboxError('ORDER_NOT_FOUND');
    return order;
  }
}
