import { base64Bytes, decryptBlocks, encryptBlocks, privateKeyOf, publicKeyOf, sha1Sign, sha1Verify, type KeyInput } from './rsa.js';
import { formFields, hexEqual, md5, type Verified } from './shared.js';

/**
 * MMSP open platform, the merchant's side.
 *
 * - Scan pay, quick pay and the online-banking gateway share one JSON envelope:
 *   sign a request, verify a reply, a 2324 push (scan) or a 35104
 *   notification (quick pay, gateway), the gateway's front notification, and
 *   the acknowledgement to print. Rule (扫码/快捷/网关 §3.3.2): `Sign =
 *   MD5(json_encode(Body, keys sorted A–Z) + "&key=" + KEY)` in upper case,
 *   where json_encode is PHP's with Chinese left raw and `/` escaped as `\/`,
 *   each value keeping its JSON type.
 * - Payouts (代付) have their own RSA envelope: {@link buildPayoutEnvelope},
 *   {@link openPayoutReply}.
 */

/** What a merchant prints to acknowledge a 2324 push: exactly this (扫码 §10.8 注: 打印一个"SUCCESS"). */
export const NOTIFY_ACK = 'SUCCESS';

/** CommandID of the generic negative reply (§3.1 错误响应报文示例): RetCode 0, unsigned, ErrorMsg `[-code] text`. */
export const NEGATIVE_REPLY = 32768;

/** CommandID of the payment push (§10.8). */
export const PUSH_COMMAND = 2324;

/**
 * CommandID of the quick-pay and gateway payment notifications (快捷 §5.5.2,
 * 网关 §5.2.2: the examples' 0x8920, which the command table does not list).
 */
export const PAYMENT_NOTIFY_COMMAND = 35104;

/** NodeID of quick pay and the gateway (§3.1: `openapi`; scan pay's is `openplat`, {@link signRequest}'s default). */
export const OPENAPI_NODE_ID = 'openapi';

/**
 * Whether a merchant's reply acknowledges a notification, as MMSP judges it:
 * a scan push (`scan`, 扫码 §10.8) needs the body `SUCCESS` exactly (surrounding
 * whitespace aside); a quick-pay or gateway notification (`payment`, 快捷
 * §5.5.3, 网关 §5.2.3 "必须以SUCCESS开头…（不区分大小写）") any body starting with
 * SUCCESS in any case (`success`, `Success: ok`). Either needs a 2xx status.
 *
 * @example
 * isAcknowledged('success, thanks', 'payment'); // true
 * isAcknowledged('success', 'scan');            // false
 */
export function isAcknowledged(body: string, notification: 'scan' | 'payment'): boolean {
  return notification === 'scan' ? body.trim() === NOTIFY_ACK : /^\uFEFF?\s*success/i.test(body);
}

export interface MmspCredentials {
  /** MERNO. */
  merchantId: string;
  /** TERMNO. */
  terminalId: string;
  /** The MD5 key: the agent's when `agentNo` is set (§3.1 签名要求). */
  key: string;
  /** AGENTNO, for an agent acting for the merchant; empty by default. */
  agentNo?: string;
}

export interface MmspEnvelope {
  CommandID: number;
  SeqID: number | string;
  NodeType: number | string;
  NodeID: string;
  Version: string;
  AGENTNO?: string | null;
  MERNO: string;
  TERMNO: string;
  Body: Record<string, unknown>;
  Sign: string;
  [field: string]: unknown;
}

export interface MmspReply {
  CommandID: number;
  RetCode: number;
  ErrorMsg: string;
  /** The business answer; `""` in a negative reply. */
  Body: Record<string, unknown> | '';
  Sign: string;
  [field: string]: unknown;
}

/** `Body` of a 2324 push (§10.8; `TRDETIME` is the document's spelling, `TRADETIME` is sent too). */
export interface MmspPush {
  AMT: number;
  ORDERNO: string;
  TRDETIME: string;
  TRADETIME?: string;
  PAYTIME: string;
  STATUS: string;
  TRADETYPE: string;
  MERORDERID: string;
  [field: string]: unknown;
}

function escapeString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '/') out += '\\/';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    // PHP escapes control characters, and U+2028/2029 even with JSON_UNESCAPED_UNICODE (PHP >= 7.1).
    else if (code < 0x20 || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * PHP's `json_encode($value, JSON_UNESCAPED_UNICODE)`: no whitespace, Chinese
 * raw, `/` as `\/` (the escaping is for the signature only: send values as they are, FAQ 2).
 *
 * @example
 * jsonEncode({ URL: 'http://a.cn/n', NAME: '张三' }); // '{"URL":"http:\/\/a.cn\/n","NAME":"张三"}'
 */
export function jsonEncode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return escapeString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('json_encode cannot encode INF or NAN');
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(jsonEncode).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${escapeString(key)}:${jsonEncode(item)}`)
      .join(',')}}`;
  }
  throw new TypeError(`json_encode cannot encode a ${typeof value}`);
}

/** The Body with its keys in ASCII order (§3.3.2 step 1). */
function sorted(body: Record<string, unknown>): Record<string, unknown> {
  // fromEntries defines own properties: a key named __proto__ is kept and signed like any other.
  return Object.fromEntries(Object.keys(body).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => [key, body[key]]));
}

/** The exact text that is hashed: `json_encode(sorted Body)&key=KEY`. */
export function signingString(body: Record<string, unknown>, key: string): string {
  return `${jsonEncode(sorted(body))}&key=${key}`;
}

/**
 * The Sign of a Body: 32 upper-case hex characters.
 *
 * @example
 * signBody({ TRADETYPE: '1', AMT: '100', MERORDERID: 'DEMO0001', RANDSTR: 'a1b2c3', GOODSNAME: '测试商品',
 *   NOTIFY_URL: 'http://127.0.0.1:9999/notify' }, 'ea21842eea24e448b991b1cb0a0294cf'); // '4524B9F3611FFA34ECD7C60F7FF44596'
 */
export function signBody(body: Record<string, unknown>, key: string): string {
  return md5(signingString(body, key)).toUpperCase();
}

/** True when `sign` is the Body's Sign (either hex case). */
export function verifyBody(body: Record<string, unknown>, key: string, sign: string): boolean {
  return typeof sign === 'string' && /^[0-9A-Fa-f]{32}$/.test(sign) && hexEqual(signBody(body, key), sign);
}

/**
 * A signed request envelope for `POST {gateway}/api` (the sandbox: `POST /mmsp/api`).
 *
 * @example
 * const request = signRequest(2310, { MERORDERID: 'DEMO0001', RANDSTR: 'q1' }, credentials);
 * const reply = await fetch(`${sandbox.url}/mmsp/api`, { method: 'POST', body: JSON.stringify(request) }).then((r) => r.json());
 */
export function signRequest(
  commandId: number,
  body: Record<string, unknown>,
  credentials: MmspCredentials,
  header: Partial<Omit<MmspEnvelope, 'Body' | 'Sign'>> = {},
): MmspEnvelope {
  return {
    CommandID: commandId,
    SeqID: 1,
    NodeType: 3,
    // Scan pay's node id (§3.1: openplat for scan, openapi for quick pay and the gateway).
    NodeID: 'openplat',
    Version: '1.0.0',
    AGENTNO: credentials.agentNo ?? '',
    MERNO: credentials.merchantId,
    TERMNO: credentials.terminalId,
    ...header,
    Body: body,
    Sign: signBody(body, credentials.key),
  };
}

/** A reply's CommandID: the request's + 0x8000 (§3.1). */
export const replyCommandId = (commandId: number) => commandId + 0x8000;

/** The negative reply's code: `[-2002] 没有该订单` → -2002; null for any other reply. */
export function negativeCode(reply: MmspReply): number | null {
  if (reply.CommandID !== NEGATIVE_REPLY && reply.RetCode === 1) return null;
  const match = /^\[(-?\d+)\]/.exec(reply.ErrorMsg ?? '');
  return match ? Number(match[1]) : null;
}

/** True when a reply carries a Body whose Sign holds. A negative reply is unsigned (§3.1) and never valid. */
export function verifyReply(reply: MmspReply, key: string): boolean {
  return reply.RetCode === 1 && typeof reply.Body === 'object' && reply.Body !== null && verifyBody(reply.Body, key, reply.Sign);
}

function readEnvelope(raw: string | Uint8Array | Record<string, unknown>, commandId: number, key: string) {
  let envelope: unknown = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    try {
      envelope = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
    } catch {
      return { valid: false, fields: {}, envelope: null };
    }
  }
  const value = envelope as Partial<MmspEnvelope> | null;
  if (!value || typeof value !== 'object' || !value.Body || typeof value.Body !== 'object') {
    return { valid: false, fields: {}, envelope: null };
  }
  const valid = value.CommandID === commandId && verifyBody(value.Body, key, String(value.Sign ?? ''));
  return { valid, fields: value.Body, envelope: value as MmspEnvelope };
}

/**
 * Reads a 2324 push as it arrived (the raw body text, or the parsed JSON) and
 * checks its Sign. A merchant answers {@link NOTIFY_ACK} only when `valid`.
 *
 * @example
 * const { valid, fields } = verifyNotification(rawBody, key);
 * if (valid && fields.STATUS === '1') markPaid(fields.MERORDERID);
 * res.end(valid ? NOTIFY_ACK : 'FAIL');
 */
export function verifyNotification(raw: string | Uint8Array | Record<string, unknown>, key: string): Verified<MmspPush> & { envelope: MmspEnvelope | null } {
  const read = readEnvelope(raw, PUSH_COMMAND, key);
  return { ...read, fields: read.fields as MmspPush };
}

/**
 * `Body` of a quick-pay notification (快捷 §5.5.2) or a gateway one (网关 §5.2.2):
 * sent only when the payment succeeded (`STATUS "1"`).
 */
export interface MmspPaymentResult {
  STATUS: string;
  LIST_ID: string;
  MERORDERID: string;
  PAY_DATE: string;
  NOTIFY_DATE: string;
  AMT: string;
  /** Quick pay: the attempt number (an int, §5.5.2 `int(2)`). */
  PUSH_COUNT?: number;
  /** Quick pay with a card: masked as `622202*********9630`. */
  CARDNO?: string;
  /** `1` 储蓄卡 (debit), `2` 信用卡 (credit). */
  CARDTYPE?: string;
  BANK_NAME?: string;
  /** Gateway. */
  PAY_CHANNEL?: string;
  GOODSNAME?: string;
  REMARK?: string;
  [field: string]: unknown;
}

/**
 * Reads a quick-pay or gateway payment notification (CommandID 35104, POSTed
 * as JSON to NOTIFY_URL) and checks its Sign. Answer a body starting with
 * `SUCCESS` only when `valid` (see {@link isAcknowledged}); anything else, and
 * MMSP retries at 1, 5, 10, 30, 90, 180 and 300 s.
 *
 * @example
 * const { valid, fields } = verifyPaymentNotification(rawBody, key);
 * if (valid && fields.STATUS === '1' && Number(fields.AMT) === order.amount) markPaid(fields.MERORDERID);
 * res.end(valid ? 'SUCCESS' : 'FAIL');
 */
export function verifyPaymentNotification(
  raw: string | Uint8Array | Record<string, unknown>,
  key: string,
): Verified<MmspPaymentResult> & { envelope: MmspEnvelope | null } {
  const read = readEnvelope(raw, PAYMENT_NOTIFY_COMMAND, key);
  return { ...read, fields: read.fields as MmspPaymentResult };
}

/**
 * The result fields the gateway's front notification (网关 §5.5) carries and
 * signs: the browser comes back to JUMP_URL by GET with these appended and a
 * `Sign` over them (the Body rule, values as strings). JUMP_URL's own
 * parameters are not signed.
 */
export const FRONT_FIELDS = ['STATUS', 'ERRCODE', 'ERRMSG', 'LIST_ID', 'MERORDERID', 'AMT', 'GOODSNAME', 'PAY_CHANNEL', 'PAY_DATE', 'NOTIFY_DATE', 'REMARK'] as const;

/**
 * Reads the gateway's front notification (网关 §5.5): the URL the browser
 * came back to (or its query string, or the parameters), checks its `Sign`
 * over the {@link FRONT_FIELDS} present. "此接口不能作为支付成功的凭据": show the
 * payer the result, but ship on the async notification or a 2323 query.
 *
 * @example
 * const { valid, fields } = verifyFrontNotification(request.url, key);
 * render(valid && fields.STATUS === '1' ? '支付成功' : '处理中');
 */
export function verifyFrontNotification(input: string | URL | URLSearchParams | Record<string, unknown>, key: string): Verified<Record<string, string>> {
  let params: Record<string, string>;
  if (input instanceof URL) params = formFields(input.searchParams);
  else if (typeof input === 'string') params = formFields(input.includes('?') ? input.slice(input.indexOf('?') + 1) : input);
  else params = formFields(input);
  const signed: Record<string, string> = {};
  for (const name of FRONT_FIELDS) if (params[name] !== undefined) signed[name] = params[name];
  const sign = params.Sign ?? '';
  return { valid: /^[0-9A-Fa-f]{32}$/.test(sign) && hexEqual(signBody(signed, key), sign), fields: params };
}

/**
 * The gateway's order form (网关 5.1.2, CommandID 2322): the browser POSTs one
 * field, `web_api`, holding the whole signed envelope, to the gateway
 * (`${sandbox.url}/mmsp/gateway`), which answers with the bank page.
 *
 * @example
 * const form = gatewayForm({ MERORDERID: 'G1', AMT: '666', NOTIFY_URL, JUMP_URL, PAY_CHANNEL: 'YLBILL-NET-B2C' }, credentials);
 * await fetch(`${sandbox.url}/mmsp/gateway`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
 */
export function gatewayForm(body: Record<string, unknown>, credentials: MmspCredentials, header: Partial<Omit<MmspEnvelope, 'Body' | 'Sign'>> = {}): { web_api: string } {
  return { web_api: JSON.stringify(signRequest(2322, body, credentials, { NodeID: OPENAPI_NODE_ID, ...header })) };
}

// ——— Payouts (代付接口规范) ———

/** The payout CMDIDs (§6.1.1, hex in the document, sent in decimal). */
export const PAYOUT_COMMANDS = {
  /** 0x1001 单笔代付 (§5.1). */
  payout: 4097,
  /** 0x1002 单笔代付结果查询 (§5.2). */
  query: 4098,
  /** 0x1003 账户余额查询 (§5.3). */
  balance: 4099,
} as const;

/** RETCODE (§6.2) a merchant must tell apart; the others are refusals. */
export const PAYOUT_RETCODES = {
  /** 交易成功: read PAYSTATE (注1). */
  ok: '0000',
  /** 系统异常，需要发起订单查询: query, whatever PAYSTATE says (注2). */
  queryRequired: '0001',
} as const;

/** PAYSTATE (§5.1.3, §5.2.3). */
export const PAYSTATE = {
  paid: '1',
  paying: '2',
  /** Failed: the reserved amount (and fee) goes back to the balance. */
  failed: '3',
  /** 4098 only: accepted, awaiting review. */
  review: '5',
} as const;

/** The keys of the payout envelope, from the merchant's side. */
export interface PayoutKeys {
  /** Signs requests and decrypts answers. */
  merchantPrivateKey: KeyInput;
  /** Encrypts requests and verifies answers: the platform's public key (or its certificate). */
  platformPublicKey: KeyInput;
}

/** What travels: `{"ENCRYPT": …, "SIGN": …}`. */
export interface PayoutEnvelope {
  ENCRYPT: string;
  SIGN: string;
}

/**
 * The payout envelope of a plaintext (代付 §3.1): `ENCRYPT` = Base64 of RSA
 * PKCS#1 v1.5 with the platform public key over the UTF-8 plaintext, in blocks
 * of (key bytes − 11) whose cipher blocks are concatenated (PROVIDERS.md
 * MMSP-2); `SIGN` = Base64 SHA1withRSA with the merchant private key over the
 * same plaintext bytes. An object is sent as its `JSON.stringify` text; a
 * string exactly as given (the signature covers those bytes, so key order and
 * spacing are the merchant's). POST it as JSON to `${sandbox.url}/mmsp/payout`.
 *
 * With the keys the other way round (the platform's private key, the
 * merchant's public key) it builds an answer, e.g. a forged one for a test.
 *
 * @example
 * const envelope = buildPayoutEnvelope({ CMDID: '4098', VERSION: '1.0', MERNO, ORDERNO, REQTIME }, keys);
 * const reply = await (await fetch(`${sandbox.url}/mmsp/payout`, { method: 'POST', body: JSON.stringify(envelope) })).json();
 */
export function buildPayoutEnvelope(plaintext: string | Record<string, unknown>, keys: PayoutKeys): PayoutEnvelope {
  const bytes = Buffer.from(typeof plaintext === 'string' ? plaintext : JSON.stringify(plaintext), 'utf8');
  return {
    ENCRYPT: encryptBlocks(bytes, publicKeyOf(keys.platformPublicKey)).toString('base64'),
    SIGN: sha1Sign(bytes, keys.merchantPrivateKey),
  };
}

/** An answer's plaintext (§5.1.3, §5.2.3, §5.3.3; every value a string, as the document's example). */
export interface PayoutReply {
  RETCODE?: string;
  /** RETMSG; the query's table spells it REMSG, the balance's RETMMSG (MMSP-8). */
  RETMSG?: string;
  MERNO?: string;
  ORDERNO?: string;
  BSORDERNO?: string;
  PAYSTATE?: string;
  DESC?: string;
  AMT?: string;
  /** 4099: one group per channel (BALANCEPAY, ADVANCEPAY, FREEZEBAL … in fen). */
  ACCINFO?: Array<Record<string, string>>;
  [field: string]: unknown;
}

/** An opened answer: its plaintext (`fields`, `text`) and whether the platform's SIGN holds over it. */
export interface OpenedPayoutReply extends Verified<PayoutReply> {
  /**
   * False for the plaintext refusal form `{"RETCODE":"1006","RETMSG":"签名错误"}`
   * (no ENCRYPT, unsigned: the platform refused before it knew the merchant,
   * MMSP-4): `fields` is that refusal and `valid` is false.
   */
  encrypted: boolean;
  /** The decrypted text, exactly as signed; null when nothing was decrypted. */
  text: string | null;
}

/**
 * Opens a payout answer (the HTTP body, or its parsed JSON): decrypts ENCRYPT
 * with the merchant private key — Node 20 refuses PKCS#1 v1.5 in
 * `privateDecrypt`, so this decrypts raw (`RSA_NO_PADDING`) and strips the
 * padding itself — and verifies SIGN over the decrypted bytes with the
 * platform public key. Believe `fields` only when `valid`; on RETCODE `0001`
 * query (4098) whatever PAYSTATE says.
 *
 * With the keys the other way round it opens a request, as the platform does.
 *
 * @example
 * const answer = openPayoutReply(await response.text(), keys);
 * if (!answer.encrypted) throw new Error(`refused: ${answer.fields.RETCODE} ${answer.fields.RETMSG}`);
 * if (!answer.valid) throw new Error('the answer is not the platform’s');
 * if (answer.fields.RETCODE === PAYOUT_RETCODES.queryRequired) scheduleQuery();
 */
export function openPayoutReply(reply: string | Uint8Array | Record<string, unknown>, keys: PayoutKeys): OpenedPayoutReply {
  let value: unknown = reply;
  if (typeof reply === 'string' || reply instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof reply === 'string' ? reply : Buffer.from(reply).toString('utf8'));
    } catch {
      return { valid: false, fields: {}, encrypted: false, text: null };
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { valid: false, fields: {}, encrypted: false, text: null };
  const envelope = value as Record<string, unknown>;
  if (typeof envelope.ENCRYPT !== 'string') return { valid: false, fields: envelope as PayoutReply, encrypted: false, text: null };
  const cipher = base64Bytes(envelope.ENCRYPT);
  const bytes = cipher && decryptBlocks(cipher, privateKeyOf(keys.merchantPrivateKey));
  if (!bytes) return { valid: false, fields: {}, encrypted: true, text: null };
  let text: string;
  let fields: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    fields = JSON.parse(text);
  } catch {
    return { valid: false, fields: {}, encrypted: true, text: null };
  }
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return { valid: false, fields: {}, encrypted: true, text };
  return { valid: sha1Verify(bytes, keys.platformPublicKey, envelope.SIGN), fields: fields as PayoutReply, encrypted: true, text };
}
