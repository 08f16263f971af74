import { hexEqual, md5, type Verified } from './shared.js';

/**
 * 数据管理平台 收银台 (the base64 cashier), the merchant's side: seal a
 * request, open a reply, verify the back notification, and the
 * acknowledgement. Rule (§2.2, §2.3): the JSON message travels as `req` (or
 * `resp`) = Base64(UTF-8 JSON), next to `sign` = md5(that Base64 text + KEY),
 * computed over the raw Base64 before any URL-encoding.
 */

/** What the merchant answers the back notification with (§3.3 "应返回内容"0000""). */
export const NOTIFY_ACK = '0000';

/** `resultcode` (§3.2): the order's state. */
export const RESULT_CODES = {
  paid: '0000',
  unpaid: '1001',
  /** Paid, settled to the unavailable account. */
  processing: '1002',
  failed: '1003',
  /** 协查调单: held for investigation. */
  held: '1004',
} as const;

/** The result fields of a back notification, a front return or a query reply (§3.2–§3.4). */
export interface CashierResult {
  respcode?: string;
  respmsg?: string;
  resultcode?: string;
  resultmsg?: string;
  queryid?: string;
  txnamt?: number;
  merid?: string;
  orderid?: string;
  paytime?: string;
  [field: string]: unknown;
}

/** Base64 of the UTF-8 JSON text of a message. */
export function encodeMessage(message: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
}

/** The sign of a Base64 text: md5(base64 + key), lower case. */
export function signOf(base64: string, key: string): string {
  return md5(base64 + key);
}

/**
 * A request's two parameters, for a form POST (`/api/icashier`, `/api/query`)
 * or a URL (`/apis/icashier?req=…&sign=…`, URL-encoded).
 *
 * @example
 * signRequest({ action: 'WeiXin', txnamt: 100, merid: 'M0001', orderid: 'ORDER0001', backurl: 'https://m.example/back' }, 'testkey');
 * // { req: 'eyJhY3Rpb24iOi…', sign: '5af33dd5ffd4078fc7500556f90edf89' }
 */
export function signRequest(message: Record<string, unknown>, key: string): { req: string; sign: string } {
  const req = encodeMessage(message);
  return { req, sign: signOf(req, key) };
}

function open<T>(base64: string | null | undefined, sign: string | null | undefined, key: string): Verified<T> {
  let fields = {} as T;
  try {
    fields = JSON.parse(Buffer.from(base64 ?? '', 'base64').toString('utf8')) as T;
  } catch {
    return { valid: false, fields };
  }
  const valid = typeof sign === 'string' && /^[0-9a-fA-F]{32}$/.test(sign) && hexEqual(signOf(base64 ?? '', key), sign);
  return { valid, fields };
}

/**
 * Opens a reply `{resp, sign}` (the query's JSON answer, or a refusal's).
 * `valid` is false when `sign` is empty: the platform signs nothing when it
 * did not know the merchant (§2.2 前置性错误).
 */
export function openReply(reply: { resp: string; sign: string }, key: string): Verified<CashierResult> {
  return open<CashierResult>(reply.resp, reply.sign, key);
}

/**
 * Reads a back notification (a GET to backurl with `resp` and `sign` in the
 * query; DMP-6) or a front return to fronturl: pass the request URL, its query
 * string, or the two parameters. Answer {@link NOTIFY_ACK} only when `valid`.
 *
 * @example
 * const { valid, fields } = verifyNotification(request.url, key);
 * if (valid && fields.resultcode === RESULT_CODES.paid) markPaid(fields.orderid);
 */
export function verifyNotification(
  input: string | URL | URLSearchParams | { resp: string; sign: string },
  key: string,
): Verified<CashierResult> {
  let params: URLSearchParams;
  if (input instanceof URL) params = input.searchParams;
  else if (input instanceof URLSearchParams) params = input;
  else if (typeof input === 'string') params = new URLSearchParams(input.includes('?') ? input.slice(input.indexOf('?') + 1) : input);
  else return open<CashierResult>(input.resp, input.sign, key);
  return open<CashierResult>(params.get('resp'), params.get('sign'), key);
}
