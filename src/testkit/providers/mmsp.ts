import { hexEqual, md5, type Verified } from './shared.js';

/**
 * MMSP open platform, the merchant's side (scan pay; quick pay and the gateway
 * share the envelope): sign a request, verify a reply or a 2324 push, and the
 * acknowledgement to print. Rule (扫码 §3.3.2): `Sign = MD5(json_encode(Body,
 * keys sorted A–Z) + "&key=" + KEY)` in upper case, where json_encode is PHP's
 * with Chinese left raw and `/` escaped as `\/`, each value keeping its JSON type.
 */

/** What a merchant prints to acknowledge a 2324 push: exactly this (扫码 §10.8 注: 打印一个"SUCCESS"). */
export const NOTIFY_ACK = 'SUCCESS';

/** CommandID of the generic negative reply (§3.1 错误响应报文示例): RetCode 0, unsigned, ErrorMsg `[-code] text`. */
export const NEGATIVE_REPLY = 32768;

/** CommandID of the payment push (§10.8). */
export const PUSH_COMMAND = 2324;

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

/** The negative reply's code: `[-9999] 系统繁忙` → -9999; null for any other reply. */
export function negativeCode(reply: MmspReply): number | null {
  if (reply.CommandID !== NEGATIVE_REPLY && reply.RetCode === 1) return null;
  const match = /^\[(-?\d+)\]/.exec(reply.ErrorMsg ?? '');
  return match ? Number(match[1]) : null;
}

/** True when a reply carries a Body whose Sign holds. A negative reply is unsigned (§3.1) and never valid. */
export function verifyReply(reply: MmspReply, key: string): boolean {
  return reply.RetCode === 1 && typeof reply.Body === 'object' && reply.Body !== null && verifyBody(reply.Body, key, reply.Sign);
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
  let envelope: unknown = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    try {
      envelope = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
    } catch {
      return { valid: false, fields: {} as MmspPush, envelope: null };
    }
  }
  const value = envelope as Partial<MmspEnvelope> | null;
  if (!value || typeof value !== 'object' || !value.Body || typeof value.Body !== 'object') {
    return { valid: false, fields: {} as MmspPush, envelope: null };
  }
  const valid = value.CommandID === PUSH_COMMAND && verifyBody(value.Body, key, String(value.Sign ?? ''));
  return { valid, fields: value.Body as MmspPush, envelope: value as MmspEnvelope };
}
