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

const TRANSITIONS: Record<OrderState, readonly OrderState[]> = {
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

export function canTransition(from: OrderState, to: OrderState): boolean {
  return TRANSITIONS[from].includes(to);
}

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

/** What a matched scenario still has to do to an order. */
export interface ScenarioState {
  /** Queries still to be answered with a system error. */
  queryErrors?: number;
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
  state: 'accepted' | 'succeeded' | 'failed';
  attributes: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
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
