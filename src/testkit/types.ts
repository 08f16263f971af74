/**
 * The shapes of the `/_sim` admin API as the testkit returns them. Field names
 * are the external contract (README, Admin API): fields may be added, never
 * renamed. Times are ISO-8601 strings of the sandbox clock; amounts are fen.
 */

/** Provider ids of the built-in simulators; any other string is accepted for providers added later. */
export type ProviderId = 'mmsp' | 'aggpay' | 'icashier' | 'umpay' | 'allinpay' | (string & {});

export type OrderState =
  | 'created'
  | 'pending'
  | 'processing'
  | 'held'
  | 'paid'
  | 'failed'
  | 'closed'
  | 'cancelled'
  | 'refunded'
  | 'partially_refunded'
  | (string & {});

export interface SandboxRefund {
  refundNo: string;
  platformRefundNo: string;
  amount: number;
  state: string;
  createdAt: string;
}

/** `GET /_sim/orders` row. */
export interface SandboxOrder {
  provider: ProviderId;
  merchantId: string;
  orderNo: string;
  platformOrderNo: string;
  product: string;
  amount: number;
  currency: string;
  state: OrderState;
  refundedAmount: number;
  createdAt: string;
  paidAt: string | null;
  closedAt: string | null;
  expiresAt: string | null;
  notifyUrl: string | null;
  returnUrl: string | null;
  /** The scenario playing on it (`magic-2001-pending-then-paid`…), if any. */
  scenario: string | null;
  attributes: Record<string, unknown>;
  refunds: SandboxRefund[];
  /** The code of an SMS challenge still open (quick pay). */
  smsCode?: string;
  /** Set on a payer action a scenario overrode (the `X-Sandbox-Held` header): the order stays as the scenario says. */
  held?: string;
}

/** `GET /_sim/records` row: every kind of record. */
export interface SandboxRecord {
  id: number;
  provider: ProviderId;
  /** `order`, `refund`, `payout`, `binding`, `sms`, `preauth`, `account`, or a provider's own. */
  kind: string;
  merchantId: string;
  number: string;
  platformNumber: string;
  /** The order the record is or belongs to. */
  orderNo: string | null;
  state: string;
  amount: number | null;
  consumedAmount: number | null;
  product: string | null;
  scenario: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  attributes: Record<string, unknown>;
}

export interface SandboxDeliveryAttempt {
  attemptNo: number;
  at: string;
  /** `schedule` or `replay`. */
  trigger: string;
  method: string;
  url: string;
  requestBody: string;
  requestCharset: string | null;
  httpStatus: number | null;
  replyBody: string | null;
  replyCharset: string | null;
  verdict: 'acked' | 'rejected' | 'error';
  error: string | null;
  nextAttemptAt: string | null;
  durationMs: number | null;
}

/** `GET /_sim/notifications` row, with every attempt. */
export interface SandboxNotification {
  id: number;
  provider: ProviderId;
  channel: string;
  recordKind: string;
  merchantId: string;
  orderNo: string;
  url: string;
  status: 'pending' | 'delivered' | 'exhausted';
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  /** Sent signed with a key the merchant does not have (scenario `notify wrong-signature`). */
  wrongSignature: boolean;
  attempts: SandboxDeliveryAttempt[];
}

/** `GET /_sim/requests` row: one request to a provider, as the journal recorded it. */
export interface SandboxJournalEntry {
  id: number;
  at: string;
  provider: ProviderId;
  method: string;
  path: string;
  requestBody: string;
  responseStatus: number;
  responseBody: string;
  durationMs: number;
  merchantId: string | null;
  orderNo: string | null;
  operation: string | null;
  /** Why the sandbox answered as it did (e.g. the exact string it expected to be signed). */
  note: string | null;
  [field: string]: unknown;
}

export interface ScenarioMatch {
  provider?: ProviderId | ProviderId[];
  merchantId?: string | string[];
  kind?: string | string[];
  product?: string | string[];
  amount?: number | { min?: number; max?: number };
  orderNo?: string;
  card?: string;
  code?: string;
}

export type ScenarioOutcome = 'pending' | 'processing' | 'held' | 'paid' | 'failed' | 'closed' | 'error';

export type ScenarioStep =
  | { do: 'respond'; outcome: ScenarioOutcome }
  | { do: 'become'; state: Exclude<ScenarioOutcome, 'error'>; after?: number }
  | { do: 'fail-queries'; times?: number }
  | { do: 'notify'; mode: 'skip' | 'duplicate' | 'wrong-signature' | 'normal' }
  | { do: 'http'; on?: 'create' | 'query' | 'any'; delayMs?: number; status?: number; drop?: boolean; times?: number };

/** A scenario as `POST /_sim/scenarios` takes it (README, Scenarios). */
export interface ScenarioInput {
  id: string;
  description?: string;
  priority?: number;
  match: ScenarioMatch;
  steps: ScenarioStep[];
}

export interface SandboxScenario extends ScenarioInput {
  /** `builtin`, `file` or `api`. */
  source: string;
  [field: string]: unknown;
}

/** A merchant as `POST /_sim/merchants` takes it. */
export interface MerchantInput {
  provider: ProviderId;
  merchantId: string;
  terminalId?: string | null;
  /** The MD5 key or secret. */
  md5Key?: string | null;
  /** PEM, for RSA providers. */
  publicKey?: string | null;
  privateKey?: string | null;
  name?: string;
  /** Provider switches (README, Merchants). */
  settings?: Record<string, unknown>;
}

export interface SandboxMerchant {
  provider: ProviderId;
  merchantId: string;
  terminalId: string | null;
  md5Key: string | null;
  publicKey: string | null;
  privateKey: string | null;
  name: string;
  /** `default` (the document's test merchant), `config` (DATA_DIR/merchants.json) or `api`. */
  source?: string;
  [field: string]: unknown;
}

export interface PlatformKeys {
  publicKey: string;
  /** Served because this is a sandbox: a merchant's tests may forge a notification with it. */
  privateKey: string;
  /** PEM X.509 certificate, or null. */
  certificate: string | null;
}

/** `GET /_sim/keys`. */
export interface SandboxKeys {
  platform: Record<string, PlatformKeys>;
  merchants: SandboxMerchant[];
}

export interface OrderFilter {
  provider?: ProviderId;
  merchantId?: string;
  orderNo?: string;
  state?: OrderState;
  limit?: number;
}

export interface RecordFilter {
  provider?: ProviderId;
  merchantId?: string;
  state?: string;
  /** ISO-8601 with an offset, a Date, or epoch milliseconds: bounds `createdAt`. */
  from?: string | Date | number;
  to?: string | Date | number;
  limit?: number;
  offset?: number;
}

export interface NotificationFilter {
  provider?: ProviderId;
  orderNo?: string;
  merchantId?: string;
  status?: SandboxNotification['status'];
}

export interface RequestFilter {
  provider?: ProviderId;
  orderNo?: string;
  merchantId?: string;
  limit?: number;
}

export interface PayerActionOptions {
  /** Which merchant's order, when several have the same number. */
  merchantId?: string;
  /** Override a scenario that holds the order (magic amounts 2001 and 2002). */
  force?: boolean;
}
