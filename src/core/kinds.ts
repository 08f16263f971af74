import { ORDER_STATES, ORDER_TRANSITIONS } from './domain.js';
import type { SimRecord } from './domain.js';
import type { CreateRecordInput } from './records.js';

/**
 * The words scenarios use for where a record goes (`respond` and `become`
 * steps). Each kind maps them onto its own states, so "pending for 60 s, then
 * paid" scripts an order, a refund and a payout alike.
 */
export const OUTCOMES = ['pending', 'processing', 'held', 'paid', 'failed', 'closed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A state change the kind makes on its own after a delay, unless the record moved on first. */
export interface KindTimer {
  /** Milliseconds after entering the state; a function reads the record (its attributes, its merchant's settings snapshot). */
  afterMs: number | ((record: SimRecord) => number | null);
  to: string;
}

/** What a kind's effect hook can do inside the transaction of the change that triggered it. */
export interface KindEffectApi {
  get(id: number): SimRecord | undefined;
  /**
   * Creates a related record (an international card payment's pre-authorisation)
   * with its own events, timers and announcements; `parentId` links it.
   */
  create(input: CreateRecordInput): SimRecord;
  children(parentId: number, kind: string): SimRecord[];
  /** Writes the record's mutable fields back (no state change). */
  save(record: SimRecord): SimRecord;
  /** A state change of another record, with its own events and effects. */
  transition(record: SimRecord, to: string, reportedInAnswer: boolean): SimRecord;
}

/**
 * A kind of record: its states, the transitions between them, and what the
 * engine does on its own (stamp times, expire, move on timers, map scenario
 * outcomes, touch related records). Simulators declare the kinds they keep;
 * the engine stores, moves, schedules, announces and lists them.
 *
 * @example
 * const VOUCHER = defineKind({
 *   name: 'voucher',
 *   states: ['issued', 'redeemed', 'expired'],
 *   transitions: { issued: ['redeemed', 'expired'], redeemed: [], expired: [] },
 *   initial: 'issued',
 *   completedOn: ['redeemed'],
 *   closedOn: ['expired'],
 *   timers: { issued: { afterMs: 3_600_000, to: 'expired' } },
 * });
 */
export interface KindDefinition {
  name: string;
  states: readonly string[];
  transitions: Readonly<Record<string, readonly string[]>>;
  /** Where a new record starts. */
  initial: string;
  /** Entering one of these stamps `completedAt` (once). */
  completedOn?: readonly string[];
  /** Entering one of these stamps `closedAt`. */
  closedOn?: readonly string[];
  /** Scenario outcomes → this kind's states. A kind without it is not scripted by scenarios or magic amounts. */
  outcomes?: Partial<Record<Outcome, string>>;
  /** At `expiresAt`, a record still in one of `from` moves to `to`. */
  expiry?: { from: readonly string[]; to: string };
  /** Timed transitions, by the state they leave. A record a scenario scripts follows the scenario instead. */
  timers?: Readonly<Record<string, KindTimer>>;
  /** Runs in the transaction of every change of a record of this kind (after it is saved, before it is announced). */
  effect?(change: { record: SimRecord; from: string | null; to: string; reportedInAnswer: boolean }, api: KindEffectApi): void;
}

/** Declares a kind, checking that its transitions only name its own states. */
export function defineKind(kind: KindDefinition): KindDefinition {
  if (!/^[a-z][a-z0-9_]*$/.test(kind.name)) throw new Error(`bad kind name ${kind.name}`);
  const known = new Set(kind.states);
  const check = (state: string, where: string) => {
    if (!known.has(state)) throw new Error(`kind ${kind.name}: ${where} names unknown state ${state}`);
  };
  check(kind.initial, 'initial');
  for (const [from, targets] of Object.entries(kind.transitions)) {
    check(from, 'transitions');
    for (const to of targets) check(to, `transitions.${from}`);
  }
  for (const state of [...(kind.completedOn ?? []), ...(kind.closedOn ?? [])]) check(state, 'completedOn/closedOn');
  for (const [outcome, state] of Object.entries(kind.outcomes ?? {})) check(state, `outcomes.${outcome}`);
  if (kind.expiry) {
    check(kind.expiry.to, 'expiry.to');
    for (const state of kind.expiry.from) check(state, 'expiry.from');
  }
  for (const [from, timer] of Object.entries(kind.timers ?? {})) {
    check(from, 'timers');
    check(timer.to, `timers.${from}.to`);
  }
  return kind;
}

export function canMove(kind: KindDefinition, from: string, to: string): boolean {
  return kind.transitions[from]?.includes(to) ?? false;
}

/** The state a scenario outcome means for this kind, or undefined when the kind has none for it. */
export function stateForOutcome(kind: KindDefinition, outcome: string): string | undefined {
  return kind.outcomes?.[outcome as Outcome];
}

/** Returns a copy of a kind with other timers (e.g. a provider's own payout delays). */
export function withTimers(kind: KindDefinition, timers: Record<string, KindTimer>): KindDefinition {
  return defineKind({ ...kind, timers });
}

const identity = Object.fromEntries(OUTCOMES.map((o) => [o, o])) as Record<Outcome, string>;

/** The payment order (DESIGN.md, Domain). Its states are the admin API's order states. */
export const ORDER_KIND = defineKind({
  name: 'order',
  states: ORDER_STATES,
  transitions: ORDER_TRANSITIONS,
  initial: 'created',
  // paidAt: money left the payer, whether or not it has settled yet.
  completedOn: ['paid', 'processing', 'held', 'partially_refunded', 'refunded', 'reversed'],
  closedOn: ['closed', 'failed', 'reversed'],
  outcomes: identity,
  expiry: { from: ['created', 'pending'], to: 'closed' },
});

/**
 * A refund: accepted now, finished later (or at once where the provider says
 * so). Its amount is reserved on the order when it is accepted; success moves
 * the order to partially_refunded or refunded, failure releases the amount.
 */
export const REFUND_KIND = defineKind({
  name: 'refund',
  states: ['accepted', 'processing', 'succeeded', 'failed'],
  transitions: {
    accepted: ['processing', 'succeeded', 'failed'],
    processing: ['succeeded', 'failed'],
    succeeded: [],
    failed: [],
  },
  initial: 'accepted',
  completedOn: ['succeeded'],
  closedOn: ['failed'],
  outcomes: { pending: 'processing', processing: 'processing', held: 'processing', paid: 'succeeded', failed: 'failed', closed: 'failed' },
  effect({ record, to, reportedInAnswer }, api) {
    if (record.parentId === null || (to !== 'succeeded' && to !== 'failed')) return;
    const order = api.get(record.parentId);
    if (!order) return;
    if (to === 'failed') {
      // A refund refused outright (Payments.refuseRefund) never reserved its amount.
      if (record.attributes.refused !== undefined) return;
      order.consumedAmount = Math.max(0, order.consumedAmount - (record.amount ?? 0));
      api.save(order);
      return;
    }
    const refunded = api
      .children(order.id, 'refund')
      .filter((refund) => refund.state === 'succeeded')
      .reduce((sum, refund) => sum + (refund.amount ?? 0), 0);
    const target = refunded >= (order.amount ?? 0) ? 'refunded' : 'partially_refunded';
    // An order reversed (撤销) while the refund was under way stays reversed.
    if (order.state === 'paid' || order.state === 'partially_refunded') api.transition(order, target, reportedInAnswer);
  },
});

/** A payout (代付): accepted → processing → paid or failed, a paid one possibly reversed (退票). */
export const PAYOUT_KIND = defineKind({
  name: 'payout',
  states: ['accepted', 'processing', 'paid', 'failed', 'reversed'],
  transitions: {
    accepted: ['processing', 'paid', 'failed'],
    processing: ['paid', 'failed'],
    paid: ['reversed'],
    failed: [],
    reversed: [],
  },
  initial: 'accepted',
  completedOn: ['paid'],
  closedOn: ['failed', 'reversed'],
  outcomes: { pending: 'processing', processing: 'processing', held: 'processing', paid: 'paid', failed: 'failed', closed: 'failed' },
});

/** A card binding or payment agreement: requested, then active (or failed), until unbound. */
export const BINDING_KIND = defineKind({
  name: 'binding',
  states: ['pending', 'active', 'failed', 'unbound'],
  transitions: { pending: ['active', 'failed'], active: ['unbound'], failed: [], unbound: [] },
  initial: 'pending',
  completedOn: ['active'],
  closedOn: ['failed', 'unbound'],
});

/** An SMS challenge: sent, then verified, expired, or void after too many wrong codes. */
export const SMS_KIND = defineKind({
  name: 'sms',
  states: ['sent', 'verified', 'expired', 'void'],
  transitions: { sent: ['verified', 'expired', 'void'], verified: [], expired: [], void: [] },
  initial: 'sent',
  completedOn: ['verified'],
  closedOn: ['expired', 'void'],
});

/** A pre-authorisation: authorised, then confirmed (never above the authorised amount) or cancelled. */
export const PREAUTH_KIND = defineKind({
  name: 'preauth',
  states: ['authorised', 'confirmed', 'cancelled'],
  transitions: { authorised: ['confirmed', 'cancelled'], confirmed: [], cancelled: [] },
  initial: 'authorised',
  completedOn: ['confirmed'],
  closedOn: ['cancelled'],
});

/** A merchant account (balance, advance balance, frozen amount in its attributes). */
export const ACCOUNT_KIND = defineKind({
  name: 'account',
  states: ['active', 'frozen'],
  transitions: { active: ['frozen'], frozen: ['active'] },
  initial: 'active',
});

/** What every simulator keeps unless it declares its own version of a kind. */
export const DEFAULT_KINDS: readonly KindDefinition[] = [ORDER_KIND, REFUND_KIND];
