import type { Clock } from './clock.js';
import { recordToOrder, type HttpEffect, type Order, type SimRecord } from './domain.js';
import { SandboxError, type ErrorCode } from './errors.js';
import { canMove, DEFAULT_KINDS, stateForOutcome, type KindDefinition } from './kinds.js';
import { NO_SCENARIO, type CreateOutcome, type MatchInput, type ScenarioRegistry } from './scenarios.js';
import type { ChangeCause, NotificationPayload, NotificationRequest, RecordEvent, SimulatorRegistry } from './simulator.js';
import type { Store } from './store/index.js';
import type { Job } from './store/jobs.js';
import type { NewRecord } from './store/records.js';

export interface CreateRecordInput {
  provider: string;
  kind: string;
  merchantId: string;
  /** The merchant's number for it; unique per provider, kind and merchant. */
  number: string;
  /** Formats the platform number from the next value of the provider's sequence for this kind (see `sequenceNumber`). */
  platformNumber: (sequence: number, now: number) => string;
  parentId?: number | null;
  product?: string | null;
  amount?: number | null;
  currency?: string;
  notifyUrl?: string | null;
  returnUrl?: string | null;
  attributes?: Record<string, unknown>;
  /** When its kind's expiry applies; null for never. */
  expiresAt?: number | null;
  /**
   * Where it goes at once when no scenario says otherwise (a micropay: `paid`
   * in the same answer). Reaching it counts as reported in the answer.
   */
  natural?: string;
  /**
   * The record awaits a payer (a QR code, a hosted page), so a scripted
   * `failed` first answer becomes the outcome of the payer's attempt to pay
   * instead (`scenarioState.payerFails`); the record starts as usual.
   */
  deferFailureToPayer?: boolean;
  /** Extra facts scenarios match on. */
  match?: Pick<MatchInput, 'card' | 'code'>;
  /** False keeps scenarios and magic amounts off this record even if its kind has outcomes. */
  scripted?: boolean;
}

export interface CreateRecordResult {
  record: SimRecord;
  /**
   * `error`: answer with the provider's system error although the record
   * exists (the merchant must query); anything else: answer from its state.
   */
  outcome: CreateOutcome;
}

const JOB_EXPIRE = 'record.expire';
const JOB_BECOME = 'record.become';
const JOB_TIMER = 'record.timer';

const DUPLICATE_CODES: Record<string, ErrorCode> = { order: 'DUPLICATE_ORDER', refund: 'DUPLICATE_REFUND' };

/**
 * The engine's record lifecycle for every kind: creation with its scenario,
 * transitions checked against the kind, timed transitions (scenario steps,
 * expiry, the kind's timers), the kind's effects on related records, and the
 * notifications the simulator announces for each change — all in one
 * transaction per change, with the outbox.
 */
export class Records {
  /** Called after every transaction run through {@link tx} (whether or not it queued anything), so the dispatcher looks soon. */
  onWork: () => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly scenarios: ScenarioRegistry,
    private readonly simulators: SimulatorRegistry,
  ) {}

  /** The definition of a provider's kind; throws for a kind the simulator did not declare (a bug, not bad input). */
  kind(provider: string, name: string): KindDefinition {
    const kinds = this.simulators.get(provider)?.kinds ?? DEFAULT_KINDS;
    const kind = kinds.find((k) => k.name === name) ?? DEFAULT_KINDS.find((k) => k.name === name);
    if (!kind) throw new Error(`provider ${provider} declares no record kind ${name}`);
    return kind;
  }

  /** Runs `work` in one transaction (nested calls join it), then wakes the dispatcher. */
  tx<T>(work: () => T): T {
    const result = this.store.tx(work);
    this.onWork();
    return result;
  }

  /**
   * Creates a record, picks its scenario and plays the scenario's first steps.
   * Throws DUPLICATE_ORDER / DUPLICATE_REFUND / DUPLICATE_RECORD when the number is used.
   */
  create(input: CreateRecordInput): CreateRecordResult {
    const kind = this.kind(input.provider, input.kind);
    const simulator = this.simulators.get(input.provider);
    // A product the simulator does not declare would be invisible to scenario validation: a bug, not bad input.
    if (input.product && simulator && !simulator.products.includes(input.product)) {
      throw new Error(`simulator ${input.provider} created an undeclared product ${input.product}`);
    }
    return this.tx(() => {
      const { provider, merchantId, number } = input;
      const now = this.clock.now();
      const scripted = (input.scripted ?? true) && kind.outcomes !== undefined;
      const plan = scripted
        ? this.scenarios.plan({
            provider,
            kind: kind.name,
            product: input.product ?? '',
            merchantId,
            amount: input.amount ?? 0,
            orderNo: number,
            ...input.match,
          })
        : NO_SCENARIO;
      // A pre-order cannot fail before anyone paid: the scripted failure waits for the payer.
      const payerFails = input.deferFailureToPayer === true && plan.createOutcome === 'failed';
      const createOutcome: CreateOutcome = payerFails ? 'default' : plan.createOutcome;
      const steered = plan.createOutcome !== 'default' || plan.transitions.length > 0;
      const scenarioState = { ...plan.state, ...(payerFails ? { payerFails: true } : {}) };
      const sequence = this.store.records.nextSequence(`${provider}.${kind.name}`);
      // The unique index finds a used number (no look-up first); the platform number taken for it stays unused (a gap).
      let record = this.insertOrDuplicate(kind.name, number, {
        provider,
        kind: kind.name,
        merchantId,
        number,
        platformNumber: input.platformNumber(sequence, now),
        parentId: input.parentId ?? null,
        product: input.product ?? null,
        state: kind.initial,
        amount: input.amount ?? null,
        currency: input.currency ?? 'CNY',
        notifyUrl: input.notifyUrl ?? null,
        returnUrl: input.returnUrl ?? null,
        attributes: input.attributes ?? {},
        scenarioId: plan.scenarioId,
        scenarioState: steered ? { ...scenarioState, scripted: true } : scenarioState,
        createdAt: now,
        expiresAt: input.expiresAt ?? null,
      });
      this.changed(record, null, kind.initial, 'create', false, kind);

      const natural = input.natural ?? kind.initial;
      const first =
        createOutcome === 'default' || createOutcome === 'error' ? natural : (stateForOutcome(kind, createOutcome) ?? natural);
      // Only an answer that reports a result (a micropay's) reports the first state, and a system error hides it.
      const reportedInAnswer = natural !== kind.initial && createOutcome !== 'error';
      if (first !== record.state) record = this.apply(record, first, 'create', reportedInAnswer);

      for (const step of plan.transitions) {
        const state = stateForOutcome(kind, step.state);
        if (state === undefined) continue;
        // Steps due at once are played before answering, so the answer and a query right after agree.
        if (step.afterMs === 0) {
          if (record.state !== state && canMove(kind, record.state, state)) record = this.apply(record, state, 'scenario', false);
        } else {
          this.store.jobs.schedule({ dueAt: now + step.afterMs, kind: JOB_BECOME, recordId: record.id, payload: { state } }, now);
        }
      }
      if (record.expiresAt !== null && kind.expiry?.from.includes(record.state)) {
        this.store.jobs.schedule({ dueAt: record.expiresAt, kind: JOB_EXPIRE, recordId: record.id, payload: {} }, now);
      }
      return { record, outcome: createOutcome };
    });
  }

  private insertOrDuplicate(kind: string, number: string, record: NewRecord): SimRecord {
    try {
      return this.store.records.insert(record);
    } catch (error) {
      if (error instanceof Error && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /records\.number/.test(error.message)) {
        throw new SandboxError(DUPLICATE_CODES[kind] ?? 'DUPLICATE_RECORD', undefined, { kind, number });
      }
      throw error;
    }
  }

  /** Moves a record to `to`. Throws INVALID_TRANSITION when its kind does not allow it. */
  transition(id: number, to: string, cause: ChangeCause, reportedInAnswer = false): SimRecord {
    return this.tx(() => {
      const current = this.store.records.get(id);
      if (!current) throw new SandboxError('RECORD_NOT_FOUND');
      return this.apply(current, to, cause, reportedInAnswer);
    });
  }

  /** Changes a record's fields without a state change (attributes, consumed amount…); `change` runs in the transaction. */
  update(id: number, change: (record: SimRecord) => void): SimRecord {
    return this.store.tx(() => {
      const current = this.store.records.get(id);
      if (!current) throw new SandboxError('RECORD_NOT_FOUND');
      change(current);
      current.updatedAt = this.clock.now();
      return this.store.records.save(current);
    });
  }

  /** Merges provider attributes into a record. */
  updateAttributes(id: number, attributes: Record<string, unknown>): SimRecord {
    return this.update(id, (record) => {
      record.attributes = { ...record.attributes, ...attributes };
    });
  }

  /** Moves the record to `to` at `dueAt` if it is still in `from` then (an SMS code expiring, a payout settling). */
  schedule(recordId: number, dueAt: number, to: string, from: string): void {
    this.tx(() => {
      this.store.jobs.schedule({ dueAt, kind: JOB_TIMER, recordId, payload: { from, to } }, this.clock.now());
    });
  }

  /**
   * True when this query must be answered with a system error (a scenario's `fail-queries`); consumes one.
   * Given the record as just read, most queries (no scenario) cost nothing.
   */
  consumeQueryError(subject: number | Pick<SimRecord, 'id' | 'scenarioState'>): boolean {
    if (typeof subject !== 'number' && !((subject.scenarioState.queryErrors ?? 0) > 0)) return false;
    const recordId = typeof subject === 'number' ? subject : subject.id;
    return this.store.tx(() => {
      const current = this.store.records.get(recordId);
      const left = current?.scenarioState.queryErrors ?? 0;
      if (!current || left <= 0) return false;
      current.scenarioState = { ...current.scenarioState, queryErrors: left - 1 };
      this.store.records.save(current);
      return true;
    });
  }

  /** The HTTP effects that apply to an answer about a record, consuming counted ones. */
  consumeHttpEffects(recordId: number, operation: 'create' | 'query' | 'other'): HttpEffect[] {
    return this.store.tx(() => {
      const record = this.store.records.get(recordId);
      const effects = record?.scenarioState.http;
      if (!record || !effects?.length) return [];
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
        record.scenarioState = { ...record.scenarioState, http: kept };
        this.store.records.save(record);
      }
      return applied;
    });
  }

  /**
   * Queues notifications about a record as it is now, outside any state change:
   * for a provider that answers a query by pushing the result again (Allinpay
   * §3.2). Each goes through the channel's encoder, schedule and ack rule.
   */
  push(recordId: number, requests: readonly NotificationRequest[], cause: ChangeCause = 'merchant'): void {
    if (requests.length === 0) return;
    this.tx(() => {
      const record = this.store.records.get(recordId);
      if (!record) throw new SandboxError('RECORD_NOT_FOUND');
      this.queueNotifications(record, record.state, record.state, cause, false, requests);
    });
  }

  /** Runs a due job. A job whose record moved on does nothing. */
  runJob(job: Job): void {
    this.tx(() => {
      const record = job.recordId === null ? undefined : this.store.records.get(job.recordId);
      if (record) {
        const kind = this.kind(record.provider, record.kind);
        if (job.kind === JOB_EXPIRE) {
          if (kind.expiry?.from.includes(record.state)) this.apply(record, kind.expiry.to, 'expiry', false);
        } else if (job.kind === JOB_BECOME) {
          const state = String(job.payload.state);
          if (record.state !== state && canMove(kind, record.state, state)) this.apply(record, state, 'scenario', false);
        } else if (job.kind === JOB_TIMER) {
          const { from, to } = job.payload as { from: string; to: string };
          if (record.state === from && canMove(kind, from, to)) this.apply(record, to, 'timer', false);
        }
      }
      this.store.jobs.finish(job.id);
    });
  }

  /** The transition itself; must run inside a transaction. */
  private apply(record: SimRecord, to: string, cause: ChangeCause, reportedInAnswer: boolean): SimRecord {
    const kind = this.kind(record.provider, record.kind);
    const from = record.state;
    if (!canMove(kind, from, to)) {
      throw new SandboxError('INVALID_TRANSITION', `a ${kind.name} cannot go from ${from} to ${to}`, { from, to });
    }
    const now = this.clock.now();
    record.state = to;
    record.updatedAt = now;
    if (kind.completedOn?.includes(to) && record.completedAt === null) record.completedAt = now;
    if (kind.closedOn?.includes(to)) record.closedAt = now;
    this.store.records.save(record);
    this.changed(record, from, to, cause, reportedInAnswer, kind);
    return record;
  }

  /** What follows every change: the kind's timer for the new state, its notifications, then its effects. */
  private changed(
    record: SimRecord,
    from: string | null,
    to: string,
    cause: ChangeCause,
    reportedInAnswer: boolean,
    kind: KindDefinition,
  ): void {
    this.store.records.recordEvent(record.id, record.updatedAt, from, to, cause);
    const timer = kind.timers?.[to];
    // A record a scenario scripts follows the scenario, not the kind's own timers.
    if (timer && !record.scenarioState.scripted) {
      const afterMs = typeof timer.afterMs === 'function' ? timer.afterMs(record) : timer.afterMs;
      if (afterMs !== null && afterMs >= 0) {
        this.store.jobs.schedule(
          { dueAt: record.updatedAt + afterMs, kind: JOB_TIMER, recordId: record.id, payload: { from: to, to: timer.to } },
          record.updatedAt,
        );
      }
    }
    this.queueNotifications(record, from, to, cause, reportedInAnswer);
    kind.effect?.(
      { record, from, to, reportedInAnswer },
      {
        get: (id) => this.store.records.get(id),
        create: (input) => this.create(input).record,
        children: (parentId, name) => this.store.records.children(parentId, name),
        save: (other) => {
          other.updatedAt = this.clock.now();
          return this.store.records.save(other);
        },
        transition: (other, state, reported) => this.apply(other, state, cause, reported),
      },
    );
  }

  private queueNotifications(
    record: SimRecord,
    from: string | null,
    to: string,
    cause: ChangeCause,
    reportedInAnswer: boolean,
    /** What to send instead of asking the simulator's `announce` (a push outside a change). */
    requests?: readonly NotificationRequest[],
  ): void {
    const simulator = this.simulators.get(record.provider);
    if (!simulator) return;
    const mode = record.scenarioState.notify ?? 'normal';
    if (mode === 'skip') return;
    const order = this.orderOf(record);
    const event: RecordEvent = { record, order, from, to, cause, reportedInAnswer };
    const announced = requests ?? simulator.announce(event);
    // Most changes announce nothing (a record created, an order expiring): the snapshot is made only when one is sent.
    if (announced.length === 0) return;
    const snapshot: SimRecord = structuredClone(record);
    const orderSnapshot = order && structuredClone(order);
    for (const request of announced) {
      const channel = simulator.notifications[request.channel];
      if (!channel) throw new Error(`simulator ${simulator.id} announced unknown channel ${request.channel}`);
      const payload: NotificationPayload = { record: snapshot, order: orderSnapshot as Order, from, to, cause };
      if (request.data) payload.data = request.data;
      const copies = mode === 'duplicate' ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        this.store.outbox.insert({
          provider: record.provider,
          channel: request.channel,
          recordId: record.id,
          recordKind: record.kind,
          merchantId: record.merchantId,
          signerId: request.signerId ?? null,
          orderNo: order?.orderNo ?? record.number,
          url: request.url,
          payload: payload as unknown as Record<string, unknown>,
          flags: mode === 'wrong-signature' ? { wrongSignature: true } : {},
          createdAt: record.updatedAt,
          nextAttemptAt: record.updatedAt + Math.round(channel.schedule[0]! * 1000),
        });
      }
    }
  }

  /** The order a record is, or belongs to. */
  private orderOf(record: SimRecord): Order | null {
    if (record.kind === 'order') return recordToOrder(record);
    const parent = record.parentId === null ? undefined : this.store.records.get(record.parentId);
    return parent?.kind === 'order' ? recordToOrder(parent) : null;
  }
}
