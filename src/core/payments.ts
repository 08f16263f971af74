import type { Clock } from './clock.js';
import { canTransition, isAwaitingPayment, isPaidLike, type HttpEffect, type Order, type OrderState, type Refund } from './domain.js';
import { SandboxError } from './errors.js';
import type { CreateOutcome, MatchInput, ScenarioRegistry } from './scenarios.js';
import type { ChangeCause, NotificationPayload, SimulatorRegistry } from './simulator.js';
import type { Store } from './store/index.js';
import type { Job } from './store/jobs.js';

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
  /** Generates the provider's platform order number; retried on a collision. */
  newPlatformOrderNo: () => string;
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
  newPlatformRefundNo: () => string;
  attributes?: Record<string, unknown>;
  state?: Refund['state'];
}

const JOB_EXPIRE = 'order.expire';
const JOB_BECOME = 'order.become';

/** Retries for generated identifiers that collide with an existing one. */
function unique(generate: () => string, exists: (candidate: string) => boolean): string {
  for (let i = 0; i < 20; i++) {
    const candidate = generate();
    if (!exists(candidate)) return candidate;
  }
  throw new Error('could not generate a unique identifier in 20 tries');
}

/**
 * Orders and refunds, moved through their lifecycles. Every change is one
 * transaction that also queues the notifications the provider announces for it.
 */
export class Payments {
  /** Called after a transaction that queued notifications or jobs due now. */
  onWork: () => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly scenarios: ScenarioRegistry,
    private readonly simulators: SimulatorRegistry,
  ) {}

  /**
   * Creates an order, picks its scenario and plays the scenario's first steps.
   * Throws DUPLICATE_ORDER when the merchant order number is already used.
   */
  create(input: CreateOrderInput): CreateOrderResult {
    const products = this.simulators.get(input.provider)?.products;
    // A product the simulator does not declare would be invisible to scenario validation: a bug, not bad input.
    if (products && !products.includes(input.product)) {
      throw new Error(`simulator ${input.provider} created an undeclared product ${input.product}`);
    }
    const result = this.store.tx(() => {
      const { provider, merchantId, orderNo } = input;
      if (this.store.orders.findByOrderNo(provider, merchantId, orderNo)) {
        throw new SandboxError('DUPLICATE_ORDER', undefined, { orderNo });
      }
      const now = this.clock.now();
      const plan = this.scenarios.plan({
        provider,
        product: input.product,
        merchantId,
        amount: input.amount,
        orderNo,
        ...input.match,
      });
      const naturalState: OrderState = input.natural === 'paid' ? 'paid' : 'created';
      const initial: OrderState =
        plan.createOutcome === 'default' || plan.createOutcome === 'error' ? naturalState : plan.createOutcome;
      const platformOrderNo = unique(input.newPlatformOrderNo, (no) => this.store.orders.platformNoExists(provider, no));

      let order = this.store.orders.insert({
        provider,
        merchantId,
        orderNo,
        platformOrderNo,
        product: input.product,
        amount: input.amount,
        currency: input.currency ?? 'CNY',
        state: 'created',
        notifyUrl: input.notifyUrl,
        returnUrl: input.returnUrl ?? null,
        attributes: input.attributes ?? {},
        scenarioId: plan.scenarioId,
        scenarioState: plan.state,
        createdAt: now,
        expiresAt: input.expiresAt,
      });

      // Only an answer that reports a payment result (a micropay's) reports the first state, and a system error hides it.
      const reportedInAnswer = input.natural === 'paid' && plan.createOutcome !== 'error';
      if (initial !== 'created') order = this.apply(order, initial, 'create', reportedInAnswer);

      for (const step of plan.transitions) {
        // Steps due at once are played before answering, so the answer and a query right after agree.
        if (step.afterMs === 0) {
          if (order.state !== step.state && canTransition(order.state, step.state)) {
            order = this.apply(order, step.state, 'scenario', false);
          }
        } else {
          this.store.jobs.schedule(
            { dueAt: now + step.afterMs, kind: JOB_BECOME, orderId: order.id, payload: { state: step.state } },
            now,
          );
        }
      }
      if (order.expiresAt !== null && isAwaitingPayment(order.state)) {
        this.store.jobs.schedule({ dueAt: order.expiresAt, kind: JOB_EXPIRE, orderId: order.id, payload: {} }, now);
      }
      return { order, outcome: plan.createOutcome };
    });
    this.onWork();
    return result;
  }

  /**
   * Moves an order to `to`, queuing what the provider announces for the change.
   * Throws INVALID_TRANSITION when the lifecycle does not allow it.
   */
  transition(orderId: number, to: OrderState, cause: ChangeCause, reportedInAnswer = false): Order {
    const order = this.store.tx(() => {
      const current = this.store.orders.get(orderId);
      if (!current) throw new SandboxError('ORDER_NOT_FOUND');
      return this.apply(current, to, cause, reportedInAnswer);
    });
    this.onWork();
    return order;
  }

  /** Updates provider attributes of an order without a state change. */
  updateAttributes(orderId: number, attributes: Record<string, unknown>): Order {
    return this.store.tx(() => {
      const current = this.store.orders.get(orderId);
      if (!current) throw new SandboxError('ORDER_NOT_FOUND');
      current.attributes = { ...current.attributes, ...attributes };
      current.updatedAt = this.clock.now();
      return this.store.orders.save(current);
    });
  }

  /**
   * Records a refund and moves the order to partially_refunded or refunded.
   * Throws NOT_REFUNDABLE, DUPLICATE_REFUND or REFUND_EXCEEDS, changing nothing.
   */
  refund(input: RefundInput): { refund: Refund; order: Order } {
    const result = this.store.tx(() => {
      const order = this.store.orders.get(input.order.id);
      if (!order) throw new SandboxError('ORDER_NOT_FOUND');
      if (this.store.refunds.findByRefundNo(order.provider, order.merchantId, input.refundNo)) {
        throw new SandboxError('DUPLICATE_REFUND', undefined, { refundNo: input.refundNo });
      }
      if (order.state !== 'paid' && order.state !== 'partially_refunded') {
        throw new SandboxError('NOT_REFUNDABLE', undefined, { state: order.state });
      }
      const left = order.amount - order.refundedAmount;
      if (!Number.isInteger(input.amount) || input.amount <= 0 || input.amount > left) {
        throw new SandboxError('REFUND_EXCEEDS', undefined, { left, requested: input.amount });
      }
      const now = this.clock.now();
      const refund = this.store.refunds.insert({
        orderId: order.id,
        provider: order.provider,
        merchantId: order.merchantId,
        refundNo: input.refundNo,
        platformRefundNo: unique(input.newPlatformRefundNo, (no) =>
          this.store.refunds.platformNoExists(order.provider, no),
        ),
        amount: input.amount,
        state: input.state ?? 'succeeded',
        attributes: input.attributes ?? {},
        createdAt: now,
      });
      order.refundedAmount += input.amount;
      const to: OrderState = order.refundedAmount === order.amount ? 'refunded' : 'partially_refunded';
      const updated = this.apply(order, to, 'merchant', true);
      return { refund, order: updated };
    });
    this.onWork();
    return result;
  }

  /** True when this query must be answered with a system error (a scenario's `fail-queries`); consumes one. */
  consumeQueryError(order: Order): boolean {
    return this.store.tx(() => {
      const current = this.store.orders.get(order.id);
      const left = current?.scenarioState.queryErrors ?? 0;
      if (!current || left <= 0) return false;
      current.scenarioState = { ...current.scenarioState, queryErrors: left - 1 };
      this.store.orders.save(current);
      return true;
    });
  }

  /** The HTTP effects that apply to an answer about `order`, consuming counted ones. */
  consumeHttpEffects(orderId: number, operation: 'create' | 'query' | 'other'): HttpEffect[] {
    return this.store.tx(() => {
      const order = this.store.orders.get(orderId);
      const effects = order?.scenarioState.http;
      if (!order || !effects?.length) return [];
      const applied: HttpEffect[] = [];
      const kept: HttpEffect[] = [];
      for (const effect of effects) {
        const applies = effect.on === 'any' || effect.on === operation;
        if (applies) applied.push(effect);
        if (applies && effect.times !== undefined) {
          if (effect.times > 1) kept.push({ ...effect, times: effect.times - 1 });
        } else {
          kept.push(effect);
        }
      }
      if (applied.length) {
        order.scenarioState = { ...order.scenarioState, http: kept };
        this.store.orders.save(order);
      }
      return applied;
    });
  }

  /** Runs a due job (expiry, scenario step). Jobs whose order moved on do nothing. */
  runJob(job: Job): void {
    this.store.tx(() => {
      const order = job.orderId === null ? undefined : this.store.orders.get(job.orderId);
      if (order) {
        if (job.kind === JOB_EXPIRE) {
          if (isAwaitingPayment(order.state)) this.apply(order, 'closed', 'expiry', false);
        } else if (job.kind === JOB_BECOME) {
          const state = job.payload.state as OrderState;
          if (order.state !== state && canTransition(order.state, state)) this.apply(order, state, 'scenario', false);
        }
      }
      this.store.jobs.finish(job.id, 'done');
    });
    this.onWork();
  }

  /** The transition itself; must run inside a transaction. */
  private apply(order: Order, to: OrderState, cause: ChangeCause, reportedInAnswer: boolean): Order {
    const from = order.state;
    if (!canTransition(from, to)) {
      throw new SandboxError('INVALID_TRANSITION', `cannot go from ${from} to ${to}`, { from, to });
    }
    const now = this.clock.now();
    order.state = to;
    order.updatedAt = now;
    if (isPaidLike(to) && order.paidAt === null) order.paidAt = now;
    if ((to === 'processing' || to === 'held') && order.paidAt === null) order.paidAt = now;
    if (to === 'closed' || to === 'failed' || to === 'reversed') order.closedAt = now;
    this.store.orders.save(order);
    this.queueNotifications(order, from, to, cause, reportedInAnswer, now);
    return order;
  }

  private queueNotifications(
    order: Order,
    from: OrderState,
    to: OrderState,
    cause: ChangeCause,
    reportedInAnswer: boolean,
    now: number,
  ): void {
    const simulator = this.simulators.get(order.provider);
    if (!simulator) return;
    const mode = order.scenarioState.notify ?? 'normal';
    if (mode === 'skip') return;
    const snapshot: Order = structuredClone(order);
    for (const request of simulator.announce({ order: snapshot, from, to, cause, reportedInAnswer })) {
      const channel = simulator.notifications[request.channel];
      if (!channel) throw new Error(`simulator ${simulator.id} announced unknown channel ${request.channel}`);
      const payload: NotificationPayload = { order: snapshot, from, to, cause };
      if (request.data) payload.data = request.data;
      const copies = mode === 'duplicate' ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        this.store.outbox.insert({
          provider: order.provider,
          channel: request.channel,
          orderId: order.id,
          merchantId: order.merchantId,
          signerId: request.signerId ?? null,
          orderNo: order.orderNo,
          url: request.url,
          payload: payload as unknown as Record<string, unknown>,
          flags: mode === 'wrong-signature' ? { wrongSignature: true } : {},
          createdAt: now,
          nextAttemptAt: now + Math.round(channel.schedule[0]! * 1000),
        });
      }
    }
  }
}
