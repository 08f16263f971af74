import { formFields, hexEqual, md5, type Verified } from './shared.js';

/**
 * 综合支付平台 (the aggregated pay platform), the merchant's side: sign the
 * unified order and the query, verify the notification and the sync return,
 * and the acknowledgement. Rule (§4 签名规则): every parameter but `sign`,
 * plus `secret=SECRET`, sorted by name, joined `k=v&…` with raw values, MD5 in
 * lower case. A request drops empty values ("去除空值"); what the platform sends
 * keeps them ("不删除空值": an empty attach is signed as `attach=`).
 */

/** What the merchant answers a notification with: upper case, nothing else (§5.2 "请返回"SUCCESS"（全部大写)"). */
export const NOTIFY_ACK = 'SUCCESS';

/** `pay_status` (§5.2, §5.4). */
export const PAY_STATUS = { paying: -1, failed: 0, paid: 1 } as const;

/** The fields of a payment notification (§5.2). */
export interface AggpayNotification {
  appid: string;
  order_no: string;
  /** Fen with two decimals as the document's examples write it (`"10000.00"`). */
  amount: string;
  platform_order_no: string;
  attach: string;
  pay_time: string;
  /** `"-1"`, `"0"` or `"1"`. */
  pay_status: string;
  actual_amount: string;
  sign: string;
  [field: string]: string;
}

/** The sync return the browser posts to return_url (§5.3): not proof of payment. */
export interface AggpayReturn {
  order_no: string;
  pay_status: string;
  sign: string;
  [field: string]: string;
}

/** The exact text hashed. `keepEmpty`: false for requests, true for what the platform sends. */
export function signingString(params: Record<string, unknown>, secret: string, keepEmpty: boolean): string {
  const fields: Record<string, string> = { ...formFields(params), secret };
  return Object.keys(fields)
    .filter((key) => key !== 'sign' && (keepEmpty || fields[key] !== ''))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
}

/**
 * The sign of a merchant's request (empty values dropped).
 *
 * @example
 * requestSign({ appid: 'gpu10000000', order_no: '2019xxxxxxxxxxxx', amount: '10000', … }, 'c1277xxxxxxxxx');
 */
export function requestSign(params: Record<string, unknown>, secret: string): string {
  return md5(signingString(params, secret, false));
}

/** The sign of what the platform sends: notification, sync return (empty values kept). */
export function callbackSign(params: Record<string, unknown>, secret: string): string {
  return md5(signingString(params, secret, true));
}

/**
 * A request's parameters with their `sign`: the unified order (a form POST to
 * `/api/order/unified`) or the order query (GET `/api/order/check_order?…`).
 *
 * @example
 * const form = signRequest({ appid, order_no: 'A0001', amount: '100', product_name: 'onlinepay', bank_code: '912',
 *   notify_url, return_url }, secret);
 * await fetch(`${sandbox.url}/aggpay/api/order/unified`, { method: 'POST', body: new URLSearchParams(form) });
 */
export function signRequest<T extends Record<string, unknown>>(params: T, secret: string): Record<string, string> & { sign: string } {
  const fields = formFields(params);
  delete fields.sign;
  return { ...fields, sign: requestSign(fields, secret) };
}

function verifyCallback<T>(input: string | URLSearchParams | Record<string, unknown>, secret: string): Verified<T> {
  const fields = formFields(input);
  const sign = fields.sign ?? '';
  // The platform writes lower case; compare exactly as its verifier does.
  const valid = /^[0-9a-f]{32}$/.test(sign) && hexEqual(callbackSign(fields, secret), sign);
  return { valid, fields: fields as T };
}

/**
 * Reads a notification (the form body as text, or its parsed fields) and
 * checks its sign. Answer {@link NOTIFY_ACK} only when `valid`.
 *
 * @example
 * const { valid, fields } = verifyNotification(await request.text(), secret);
 * if (valid && fields.pay_status === '1') markPaid(fields.order_no);
 */
export function verifyNotification(input: string | URLSearchParams | Record<string, unknown>, secret: string): Verified<AggpayNotification> {
  return verifyCallback<AggpayNotification>(input, secret);
}

/** Reads the browser's sync return to return_url (§5.3). Show a page; do not ship goods on it. */
export function verifyReturn(input: string | URLSearchParams | Record<string, unknown>, secret: string): Verified<AggpayReturn> {
  return verifyCallback<AggpayReturn>(input, secret);
}
