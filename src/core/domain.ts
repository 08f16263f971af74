/**
 * The provider-neutral domain. Simulators map these states to their own wire
 * codes (STATUS 3/AA, pay_status -1, resultcode 1002 …); the engine never sees
 * a provider code.
 */

/**
 * - `created`: placed, nothing paid yet (a QR code is showing).
 * - `pending`: the payer is paying (the provider says "user paying").
 * - `processing`: paid, funds not yet available (cashier 1002).
 * - `held`: paid, held for investigation (cashier 1004 协查调单).
 * - `reversed`: a paid order cancelled (撤销) — its own transition.
 */
export const ORDER_STATES = [
  'created',
  'pending',
  'processing',
  'held',
  'paid',
  'failed',
  'closed',
  'reversed',
  'partially_refunded',
  'refunded',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** The payment order's lifecycle (DESIGN.md, Domain); `ORDER_KIND` in kinds.ts declares it to the engine. */
export const ORDER_TRANSITIONS: Record<OrderState, readonly OrderState[]> = {
  created: ['pending', 'processing', 'held', 'paid', 'failed', 'closed'],
  pending: ['processing', 'held', 'paid', 'failed', 'closed'],
  processing: ['held', 'paid', 'failed'],
  held: ['processing', 'paid', 'failed'],
  paid: ['partially_refunded', 'refunded', 'reversed'],
  partially_refunded: ['partially_refunded', 'refunded'],
  failed: [],
  closed: [],
  reversed: [],
  refunded: [],
};

/** States in which a payer can still pay (or fail to pay) the order. */
export function isAwaitingPayment(state: OrderState): boolean {
  return state === 'created' || state === 'pending';
}

/** States that mean money was taken from the payer. */
export function isPaidLike(state: OrderState): boolean {
  return state === 'paid' || state === 'partially_refunded' || state === 'refunded' || state === 'reversed';
}

export interface Order {
  id: number;
  provider: string;
  merchantId: string;
  /** The merchant's order number. */
  orderNo: string;
  platformOrderNo: string;
  /** The provider's product, e.g. `wechat.qr`, `alipay.micropay`. */
  product: string;
  /** Fen, a positive integer. */
  amount: number;
  currency: string;
  state: OrderState;
  refundedAmount: number;
  notifyUrl: string | null;
  returnUrl: string | null;
  /** Provider-specific request and response fields the simulator keeps. */
  attributes: Record<string, unknown>;
  scenarioId: string | null;
  scenarioState: ScenarioState;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  paidAt: number | null;
  closedAt: number | null;
}

/** What a matched scenario still has to do to a record. */
export interface ScenarioState {
  /** Queries still to be answered with a system error. */
  queryErrors?: number;
  /**
   * The scenario decides the outcome: a payer's pay or fail on the hosted page
   * (or through the admin API without `force`) leaves the record as it is.
   */
  hold?: boolean;
  /**
   * A scripted failure of a record that awaits a payer (a pre-order): it is
   * placed normally and the payer's attempt to pay ends in `failed` — it
   * cannot fail for lack of funds before anyone paid.
   */
  payerFails?: boolean;
  /** A scenario moves this record (its first answer or later steps): the kind's own timers stand aside. */
  scripted?: boolean;
  /** Notification behaviour chosen by the scenario. */
  notify?: NotifyMode;
  /** HTTP behaviour for answers about this order. */
  http?: HttpEffect[];
}

export type NotifyMode = 'normal' | 'skip' | 'duplicate' | 'wrong-signature';

export interface HttpEffect {
  /** Which answers it applies to. */
  on: 'create' | 'query' | 'any';
  delayMs?: number;
  status?: number;
  drop?: boolean;
  /** How many answers it affects; unlimited when absent. */
  times?: number;
}

export interface Refund {
  id: number;
  orderId: number;
  provider: string;
  merchantId: string;
  refundNo: string;
  platformRefundNo: string;
  amount: number;
  state: RefundState;
  attributes: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** A refund is accepted at once and finishes later (or at once, where the provider says so). */
export type RefundState = 'accepted' | 'processing' | 'succeeded' | 'failed';

/**
 * Any record the engine keeps: a payment order, a refund, a payout, a card
 * binding, an SMS challenge, a pre-authorisation, an account, or a kind a
 * simulator declares. One table holds them all (README, Architecture); `Order`
 * and `Refund` are typed views of the two kinds every provider has.
 */
export interface SimRecord {
  id: number;
  provider: string;
  /** `order`, `refund`, `payout`, `binding`, `sms`, `preauth`, `account`, or a simulator's own. */
  kind: string;
  merchantId: string;
  /** The merchant's number for it: order no, refund no, payout no, binding id… */
  number: string;
  /** The provider's number for it, from a per-provider sequence (never reused). */
  platformNumber: string;
  /** The record it belongs to (a refund's order), or null. */
  parentId: number | null;
  /** What scenarios match on (`wechat.qr`, `payout.card`…); null for kinds without products. */
  product: string | null;
  state: string;
  /** Fen, when the kind has an amount. */
  amount: number | null;
  currency: string;
  /** The part of `amount` its children took (refunds of an order, the confirmed part of a pre-auth). */
  consumedAmount: number;
  notifyUrl: string | null;
  returnUrl: string | null;
  attributes: Record<string, unknown>;
  scenarioId: string | null;
  scenarioState: ScenarioState;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  /** When it first reached a state its kind counts as done (paid, succeeded…). */
  completedAt: number | null;
  /** When it reached a state its kind counts as closed (closed, failed…). */
  closedAt: number | null;
}

/** The typed order view of a record of kind `order`. */
export function recordToOrder(record: SimRecord): Order {
  return {
    id: record.id,
    provider: record.provider,
    merchantId: record.merchantId,
    orderNo: record.number,
    platformOrderNo: record.platformNumber,
    product: record.product ?? '',
    amount: record.amount ?? 0,
    currency: record.currency,
    state: record.state as OrderState,
    refundedAmount: record.consumedAmount,
    notifyUrl: record.notifyUrl,
    returnUrl: record.returnUrl,
    attributes: record.attributes,
    scenarioId: record.scenarioId,
    scenarioState: record.scenarioState,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    expiresAt: record.expiresAt,
    paidAt: record.completedAt,
    closedAt: record.closedAt,
  };
}

/** The typed refund view of a record of kind `refund`. */
export function recordToRefund(record: SimRecord): Refund {
  return {
    id: record.id,
    orderId: record.parentId ?? 0,
    provider: record.provider,
    merchantId: record.merchantId,
    refundNo: record.number,
    platformRefundNo: record.platformNumber,
    amount: record.amount ?? 0,
    state: record.state as RefundState,
    attributes: record.attributes,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export interface Merchant {
  provider: string;
  merchantId: string;
  terminalId: string | null;
  md5Key: string | null;
  publicKey: string | null;
  privateKey: string | null;
  name: string | null;
  /** Provider-specific switches (enabled products, permissions …). */
  settings: Record<string, unknown>;
  /** Where it came from: the documents' defaults, the DATA_DIR config file, or the admin API. */
  source: 'default' | 'config' | 'api';
}

/** What a payer (hosted page) or a tester (admin API) can do to an unpaid order. */
export const PAYER_ACTIONS = { pay: 'paid', fail: 'failed', close: 'closed' } as const satisfies Record<string, OrderState>;
export type PayerAction = keyof typeof PAYER_ACTIONS;
export const isPayerAction = (value: string): value is PayerAction => Object.hasOwn(PAYER_ACTIONS, value);
