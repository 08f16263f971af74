import type { Context, Hono } from 'hono';
import type { AccountsHook } from './accounts.js';
import type { Clock } from './clock.js';
import type { DiagnoseContext, DiagnoseRequest, SignatureDiagnosis } from './diagnosis.js';
import type { Merchant, Order, SimRecord } from './domain.js';
import { DEFAULT_KINDS, type KindDefinition } from './kinds.js';
import type { CreateOrderInput, Payments } from './payments.js';
import type { CreateRecordInput, Records } from './records.js';
import type { Store } from './store/index.js';

/**
 * The contract a provider implements. Each provider folder exports one
 * {@link defineSimulator} object; the composition root lists them and nothing
 * in `core/` knows any of them by name.
 */

export interface KeyPairPem {
  publicKey: string;
  privateKey: string;
  /** A self-signed X.509 certificate for the public key, where the provider hands merchants a `.cer`. */
  certificate: string | null;
}

/** Why a record changed state. */
export type ChangeCause = 'create' | 'payer' | 'admin' | 'scenario' | 'expiry' | 'merchant' | 'timer';

/** A state change of any record, as the simulator's {@link SimulatorDefinition.announce} sees it. */
export interface RecordEvent {
  /** The record as it was right after the change. */
  record: SimRecord;
  /** The order the record is (kind `order`) or belongs to (a refund's order); null otherwise. */
  order: Order | null;
  /** null when the record was just created. */
  from: string | null;
  to: string;
  cause: ChangeCause;
  /**
   * True when the answer to the merchant's own request already reported this
   * state (a micropay that succeeded at once): some providers do not push those.
   */
  reportedInAnswer: boolean;
}

/** A notification the simulator wants sent for an event. */
export interface NotificationRequest {
  /** A key of {@link SimulatorDefinition.notifications}. */
  channel: string;
  url: string;
  /** Extra data the encoder needs beyond the record snapshot. */
  data?: Record<string, unknown>;
  /** Sign with this merchant's keys instead of the record's merchant (MMSP agent mode). */
  signerId?: string;
}

/** What the encoder gets: the record (and its order) as they were when the change happened. */
export interface NotificationPayload {
  record: SimRecord;
  /** The order view for order events and for records that belong to an order; typed for the many order channels. */
  order: Order;
  from: string | null;
  to: string;
  cause: ChangeCause;
  data?: Record<string, unknown>;
}

export interface EncodeContext {
  /**
   * Whose keys sign: the order's merchant (or the signer it named), or a copy
   * with wrong keys when a scenario asked for a bad signature.
   */
  merchant: Merchant;
  platformKeys: KeyPairPem | null;
  /** 1 for the first attempt. */
  attemptNo: number;
  now: number;
}

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  /** Absolute URL, query string included for GET. */
  url: string;
  headers?: Record<string, string>;
  /** Text (sent as UTF-8) or bytes in `charset` (a GBK form). */
  body?: string | Uint8Array;
  /** The charset of `body` when it is bytes, for the attempt log. */
  charset?: string;
}

export interface MerchantReply {
  status: number;
  /** The reply decoded in the charset its Content-Type names (UTF-8 otherwise); a bounded prefix. */
  body: string;
  /** The same prefix, as bytes: for rules that verify a signature over them. */
  bytes: Uint8Array;
  headers: Headers;
}

/** What an acknowledgement rule may look at besides the reply: enough to verify a signed answer. */
export interface AckContext {
  payload: NotificationPayload;
  /** The merchant the notification is for, with its keys (its public key verifies its reply). */
  merchant: Merchant;
  platformKeys: KeyPairPem | null;
  request: OutgoingRequest;
}

/** One kind of notification: how it is encoded, acknowledged and retried. */
export interface NotificationChannel {
  /**
   * Seconds to wait before each attempt: the first entry is the delay after the
   * state change, each next one the gap after the previous attempt. Its length
   * is the number of attempts.
   */
  schedule: readonly number[];
  encode(payload: NotificationPayload, context: EncodeContext): OutgoingRequest;
  /** Whether the merchant's reply acknowledges the notification, as the provider judges it. */
  isAck(reply: MerchantReply, context: AckContext): boolean;
  /** The acknowledgement rule in words (`HTTP 2xx with the body SUCCESS`), for the dashboard's verdicts. */
  acknowledgement?: string;
}

/** Where the browser goes once the payer has acted on a hosted page. */
export interface BrowserReturn {
  method: 'GET' | 'POST';
  url: string;
  fields: Record<string, string>;
}

/** What a hosted pay page shows for an order. */
export interface PageModel {
  /** qr: a code to scan; h5: a mobile page; bank: an online-banking page; chooser: pick a method first. */
  kind: 'qr' | 'h5' | 'bank' | 'chooser';
  productLabel: string;
  goods: string;
  merchantName: string;
  /** For `chooser`: the methods offered (value → label). */
  choices?: Record<string, string>;
  /** For a long `chooser` (a bank list): the choices under headings, in order (`借记卡`: its values). */
  choiceGroups?: { label: string; values: string[] }[];
  /**
   * The provider's own wording for the page's labels (每个支付机构的说法): e.g.
   * `{ merchant: '收款方', amount: '应付金额', pay: '立即支付' }`. Absent labels keep the sandbox's.
   */
  labels?: Partial<Record<PageLabel, string>>;
  /** Extra rows the provider's page shows (交易类型, 支付银行, 通道…), in order. */
  details?: { label: string; value: string }[];
  /** The accent colour of the wallet or provider (`#07c160` for WeChat), for the amount and the Pay button. */
  accent?: string;
}

/** The labels of a hosted pay page a provider can reword. */
export type PageLabel =
  | 'merchant'
  | 'goods'
  | 'amount'
  | 'orderNo'
  | 'platformOrderNo'
  | 'createdAt'
  | 'expiresAt'
  | 'pay'
  | 'fail'
  | 'scanHint';

export interface SimulatorContext {
  readonly clock: Clock;
  readonly store: Store;
  readonly payments: Payments;
  /** The record engine, for kinds other than orders and refunds. */
  readonly records: Records;
  /** The simulator's own answers for a system error, a duplicate and a fault of the sandbox. */
  readonly errors: ProviderErrors;
  /**
   * Creates a record the way every provider does: a used number answers the
   * provider's `duplicate` error (naming the existing record), a scripted
   * system error answers its `system` error after the record exists (the
   * merchant must query). The request is annotated with the record.
   */
  create(c: Context, input: CreateRecordInput): SimRecord;
  /** {@link create} for a payment order. */
  placeOrder(c: Context, input: CreateOrderInput): Order;
  /** The provider's platform key pair, when it has one. */
  platformKeys(): KeyPairPem | null;
  /** PUBLIC_URL, or the origin the caller addressed (its port replaced by PORT on a provider's own port): core/public-origin.ts. */
  baseUrl(c: Context): string;
  /** The hosted pay page of an order. */
  payPageUrl(c: Context, order: Order): string;
}

/**
 * What a page hook or the signing tool may need besides the order and the
 * merchant: the provider's platform keys (a front notification signed with the
 * platform key, sensitive fields encrypted with its public key).
 */
export interface PlatformContext {
  platformKeys: KeyPairPem | null;
}

/** A test merchant the provider ships with. */
export interface DefaultMerchant {
  merchantId: string;
  terminalId?: string;
  md5Key?: string;
  name: string;
  settings?: Record<string, unknown>;
  /** Generate an RSA key pair for it (bits). */
  rsaBits?: number;
}

/** A code the provider answers with, for the README and dashboard. */
export interface CodeEntry {
  code: string;
  message: string;
  /** Where it comes from: the document section, or "sandbox" for codes the document does not define. */
  source: string;
}

/**
 * The provider's own answers for the three things every provider meets, in its
 * wire format (the reject phase encodes them): a scripted system error the
 * merchant must resolve by querying, a merchant number used twice, and a
 * fault of the sandbox itself (distinct from the scripted system error).
 */
export interface ProviderErrors {
  system(record: SimRecord): Error;
  duplicate(existing: SimRecord): Error;
  internal(): Error;
  /** The request could not be read at all: too large, an unknown path or method, an unreadable body. */
  malformed(reason: string): Error;
  /** A field's value is refused (a notify URL pointing at the sandbox itself). */
  badField(field: string, reason: string): Error;
}

export interface SimulatorDefinition {
  /** Provider id, used in `/_sim` routes: `mmsp`, `aggpay` … */
  id: string;
  title: string;
  /** Where its routes are mounted, e.g. `/mmsp`. */
  mount: string;
  routes(context: SimulatorContext): Hono;
  /** Every product its orders can have (what scenarios match on); the engine refuses any other. */
  products: readonly string[];
  /** The kinds of record it keeps, beyond or instead of the defaults (order, refund). */
  kinds?: readonly KindDefinition[];
  errors: ProviderErrors;
  /**
   * Encodes one of its errors in its wire format when no request phase is
   * under way (a body over the limit, an unknown path or method below the
   * mount): what the merchant sees instead of a bare HTTP error.
   */
  errorResponse(c: Context, error: Error, context: { platformKeys: KeyPairPem | null }): Response | Promise<Response>;
  /** Largest request body its routes read, in bytes (MAX_BODY_BYTES when absent). */
  maxBodyBytes?: number;
  merchants: DefaultMerchant[];
  keys?: { platform?: { bits: number; certificate: boolean } };
  notifications: Record<string, NotificationChannel>;
  /** Which state changes the provider announces (of any kind of record), and where. */
  announce(event: RecordEvent): NotificationRequest[];
  page?: {
    describe(order: Order, merchant: Merchant): PageModel;
    /** Where the browser goes after the payer acted; null to stay on the sandbox's result page. */
    browserReturn?(order: Order, merchant: Merchant, context: PlatformContext): BrowserReturn | null;
    /** For a `chooser` page: record the payer's choice. */
    choose?(order: Order, choice: string): Record<string, unknown>;
  };
  /**
   * The provider's own name of a record's state, as its answers write it
   * (`PAYSTATE 5 代付请求已受理，等待审核` for an accepted payout), shown beside
   * the engine's state on the dashboard's timeline; undefined where it has none.
   */
  stateLabel?(record: SimRecord, state: string): string | undefined;
  /** Merchant accounts (payout providers): `GET /_sim/accounts/{provider}/{merchantId}` and `…/fund`. */
  accounts?: AccountsHook;
  /**
   * Signature diagnosis (core/diagnosis.ts) for the dashboard — an order's
   * timeline, the signature workbench, `GET /_sim/requests/{id}/diagnosis`,
   * `POST /_sim/diagnose/{provider}`: reads a request as received (or pasted),
   * and says the string signed, the signature expected, the one given, and which
   * usual mistakes would explain it. Null when the request is nothing it signs.
   */
  diagnose?(request: DiagnoseRequest, context: DiagnoseContext): SignatureDiagnosis | null | Promise<SignatureDiagnosis | null>;
  /**
   * Present when the operator may refund a paid order from the dashboard
   * (`POST /_sim/orders/{provider}/{no}/refund`), as from the provider's
   * merchant portal: the platform refund number in the provider's format, and
   * the refund's first state.
   */
  refunds?: { platformNumber(sequence: number, now: number): string; natural?: 'accepted' | 'succeeded' };
  /** Developer tool behind `POST /_sim/sign/{provider}`: turns unsigned input into a signed request. */
  signRequest?(input: Record<string, unknown>, merchant: Merchant, context: PlatformContext): unknown;
  codes: CodeEntry[];
}

/**
 * Declares a provider simulator.
 *
 * @example
 * export default defineSimulator({ id: 'aggpay', mount: '/aggpay', routes, … });
 */
export function defineSimulator(definition: SimulatorDefinition): SimulatorDefinition {
  if (!/^[a-z][a-z0-9]*$/.test(definition.id)) throw new Error(`bad simulator id ${definition.id}`);
  const declared = definition.kinds ?? [];
  const names = declared.map((kind) => kind.name);
  if (new Set(names).size !== names.length) throw new Error(`simulator ${definition.id}: a kind is declared twice`);
  // The defaults stay unless the simulator declares its own version of them.
  definition = { ...definition, kinds: [...declared, ...DEFAULT_KINDS.filter((kind) => !names.includes(kind.name))] };
  if (!definition.mount.startsWith('/')) throw new Error(`simulator ${definition.id}: mount must start with /`);
  for (const [name, channel] of Object.entries(definition.notifications)) {
    if (channel.schedule.length === 0 || channel.schedule.some((s) => s < 0 || !Number.isFinite(s))) {
      throw new Error(`simulator ${definition.id}: channel ${name} needs a schedule of delays >= 0`);
    }
  }
  return definition;
}

/** Looks simulators up by id; implemented by the composition root. */
export interface SimulatorRegistry {
  get(id: string): SimulatorDefinition | undefined;
  all(): SimulatorDefinition[];
}
