import { decodeText, encodeGbk, encodeText, parseForm, type Charset } from './charset.js';
import { encryptBlocks, modulusBytes, publicKeyOf, sha1Sign, sha1Verify, type KeyInput } from './rsa.js';
import type { Verified } from './shared.js';

/**
 * UMPay 联动优势 4.0, the merchant's side: sign a request, encrypt its
 * sensitive fields, read the META answer, verify a notification and answer it
 * with a signed META. Rule (§2.3.1; the algorithm from the public SDKs,
 * PROVIDERS.md UMP-6): every parameter but `sign` and `sign_type`, sorted by
 * name, `k=v` joined with `&`, raw values; SHA1withRSA, Base64 — requests and
 * the merchant's acknowledgements with the merchant's private key, answers and
 * notifications with the platform's (verified with its certificate,
 * `GET /_sim/keys/umpay/platform.cer`).
 *
 * Which bytes are signed (docs/providers/umpay.md, "Which bytes are signed"):
 * the platform signs the **GBK** bytes of the string, whatever the transfer
 * charset; a merchant may sign UTF-8 (the Node SDK) or GBK (the Java and
 * Python SDKs). GBK is encoded without iconv (see `charset.ts`): characters
 * outside GBK cannot be signed or encrypted in GBK — sign in UTF-8, or pass
 * {@link encryptField} the bytes.
 */

/** The gateway path, under the sandbox's mount: `${sandbox.url}/umpay/spay/pay/payservice.do`. */
export const GATEWAY_PATH = '/umpay/spay/pay/payservice.do';

/** The fields a merchant encrypts with the platform's public key before signing (the SDKs' `Encrypt_Paramters`, §2.3.2). */
export const SENSITIVE_FIELDS = [
  'card_id',
  'valid_date',
  'cvv2',
  'pass_wd',
  'identity_code',
  'card_holder',
  'recv_account',
  'recv_user_name',
  'identity_holder',
  'mer_cust_name',
  'account_name',
  'bank_account',
] as const;

/** `trade_state` values (the SDKs'). */
export const TRADE_STATE = {
  waiting: 'WAIT_BUYER_PAY',
  success: 'TRADE_SUCCESS',
  fail: 'TRADE_FAIL',
  closed: 'TRADE_CLOSED',
  cancelled: 'TRADE_CANCEL',
} as const;

/** `ret_code` of success (the SDKs' `SUCCESS`); every other code is a refusal or a failure. */
export const RET_OK = '0000';

/**
 * The string to sign (§2.3.1): every field but `sign` and `sign_type`, sorted
 * by name (code-unit order), `k=v` joined with `&`, raw values (not
 * URL-encoded); a field sent empty is included as `k=`.
 *
 * @example
 * signingString({ service: 'query_order', sign_type: 'RSA', mer_id: '60000100', order_id: 'DEMO0001' });
 * // 'mer_id=60000100&order_id=DEMO0001&service=query_order'
 */
export function signingString(fields: Readonly<Record<string, string>>): string {
  return Object.keys(fields)
    .filter((name) => name !== 'sign' && name !== 'sign_type')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
}

export interface SignOptions {
  /**
   * The bytes signed: `UTF-8` (the Node SDK's choice) or `GBK` (the Java and
   * Python SDKs'; GB2312 and GB18030 sign the same bytes for text GBK can
   * encode). Default: the request's own `charset` field, else UTF-8. The
   * sandbox accepts the declared charset, UTF-8 and GBK.
   */
  charset?: Charset | string;
}

/**
 * Signs a request: answers the fields with `sign_type` (`RSA` unless given)
 * and `sign`. Encrypt the sensitive fields first ("先加密，后签名").
 *
 * @example
 * const form = signRequest({ service: 'query_order', charset: 'UTF-8', mer_id: '60000100', res_format: 'HTML',
 *   version: '4.0', order_id: 'DEMO0001', mer_date: '20260301' }, merchantPrivateKey);
 * const html = await (await fetch(sandbox.url + GATEWAY_PATH, { method: 'POST', body: new URLSearchParams(form) })).text();
 */
export function signRequest(fields: Readonly<Record<string, string>>, merchantPrivateKey: KeyInput, options: SignOptions = {}): Record<string, string> {
  const charset = options.charset ?? fields.charset ?? 'UTF-8';
  const copy: Record<string, string> = Object.fromEntries(Object.entries(fields));
  const { sign: _stale, ...unsigned } = copy;
  const signed: Record<string, string> = { ...unsigned, sign_type: unsigned.sign_type ?? 'RSA' };
  return { ...signed, sign: sha1Sign(encodeText(signingString(signed), charset), merchantPrivateKey) };
}

/**
 * Encrypts a sensitive field as the SDKs do: RSA PKCS#1 v1.5 with the
 * platform's public key (its certificate: PEM, or the `.cer` DER bytes) over
 * the value's **GBK** bytes, Base64. A value GBK cannot encode throws
 * (`UnmappableCharacterError`); pass the bytes you want encrypted instead.
 *
 * @example
 * encryptField('张三', platformCertificate); // 'kq3…=' (172 characters for a 1024-bit key)
 */
export function encryptField(value: string | Uint8Array, platformCertificateOrKey: KeyInput): string {
  const bytes = typeof value === 'string' ? encodeGbk(value) : value;
  const key = publicKeyOf(platformCertificateOrKey);
  if (bytes.length > modulusBytes(key) - 11) throw new RangeError(`a sensitive field fits one RSA block: at most ${modulusBytes(key) - 11} bytes`);
  return encryptBlocks(bytes, key).toString('base64');
}

export interface RequestOptions {
  merId: string;
  merchantPrivateKey: KeyInput;
  /** To encrypt the sensitive fields. */
  platformCertificate: KeyInput;
  /** The declared `charset` (default UTF-8); the form is then sent in it. */
  charset?: Charset;
  /** The bytes signed (see {@link SignOptions}); default the declared charset. */
  signCharset?: Charset;
}

/**
 * What an SDK builds for a service: the protocol parameters (`service`,
 * `charset`, `mer_id`, `sign_type`, `res_format`, `version` 4.0), the
 * business fields with the sensitive ones encrypted, and the `sign`. POST it
 * as a form (or GET it as a query) to {@link GATEWAY_PATH}.
 *
 * @example
 * const form = buildRequest('sms_req_shortcut', { trade_no, media_id: '13800138000', media_type: 'MOBILE',
 *   card_id: '6222021307418529630', card_holder: '张三', identity_type: 'IDENTITY_CARD', identity_code: '110105199003071239' },
 *   { merId: '60000100', merchantPrivateKey, platformCertificate });
 */
export function buildRequest(service: string, params: Readonly<Record<string, string>>, options: RequestOptions): Record<string, string> {
  const fields: Record<string, string> = { service, charset: options.charset ?? 'UTF-8', mer_id: options.merId, sign_type: 'RSA', res_format: 'HTML', version: '4.0' };
  for (const [name, value] of Object.entries(params)) {
    fields[name] = (SENSITIVE_FIELDS as readonly string[]).includes(name) && value !== '' ? encryptField(value, options.platformCertificate) : value;
  }
  return signRequest(fields, options.merchantPrivateKey, { charset: options.signCharset ?? fields.charset });
}

/** The CONTENT of the META tag named MobilePayPlatform (`CONTENT` upper case, §2.2.2), or undefined. */
function metaContent(html: string): string | undefined {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/\bname\s*=\s*["']?MobilePayPlatform["'\s/>]/i.test(tag)) continue;
    const content = /\sCONTENT\s*=\s*"([^"]*)"/.exec(tag);
    if (content) return content[1];
  }
  return undefined;
}

/**
 * Reads an answer page (§2.2.2): the items of its META tag's CONTENT (split
 * on `&`, each at its first `=`, values raw), and whether `sign` holds — the
 * platform's SHA1withRSA over the GBK bytes of the sorted items without `sign`
 * and `sign_type`. Pass the page as text, or its bytes with the answer's
 * charset (`Content-Type: text/html;charset=GBK`…). An empty page (the 504
 * of magic amount 2004) reads as `{ valid: false, fields: {} }`: the outcome
 * is unknown, query the order.
 *
 * @example
 * const { valid, fields } = readMeta(await response.text(), platformCertificate);
 * if (valid && fields.ret_code === RET_OK) tradeNo = fields.trade_no;
 */
export function readMeta(html: string | Uint8Array, platformCertificate: KeyInput, options: { charset?: string } = {}): Verified<Record<string, string>> {
  const text = typeof html === 'string' ? html : decodeText(html, options.charset);
  const content = metaContent(text);
  if (content === undefined) return { valid: false, fields: {} };
  const fields: Record<string, string> = {};
  for (const item of content.split('&')) {
    if (item === '') continue;
    const at = item.indexOf('=');
    const name = at === -1 ? item : item.slice(0, at);
    if (!Object.hasOwn(fields, name)) Object.defineProperty(fields, name, { value: at === -1 ? '' : item.slice(at + 1), enumerable: true, writable: true, configurable: true });
  }
  return { valid: verifyPlatform(fields, platformCertificate), fields };
}

/** The platform's sign over the GBK bytes (unmappable characters as `?`, as the platform's own GBK encoder writes them). */
function verifyPlatform(fields: Readonly<Record<string, string>>, platformCertificate: KeyInput): boolean {
  if (!fields.sign) return false;
  return sha1Verify(encodeGbk(signingString(fields), { unmappable: 'replace' }), platformCertificate, fields.sign);
}

/**
 * The signed META page a merchant answers with (§2.2.3 通知消息的响应: "CONTENT内容为
 * 商户验签后给联动的响应数据"): the fields and `sign_type=RSA` sorted by name, `sign`
 * last, the merchant's SHA1withRSA over the GBK bytes (`charset` to sign
 * UTF-8 instead: the sandbox accepts both). Values may not hold `&`, `<`,
 * `>` or `"` (§2.2.2): they throw.
 *
 * @example
 * metaReply({ mer_date: '20260301', mer_id: '60000100', order_id: 'DEMO0001', ret_code: '0000', ret_msg: 'success', version: '4.0' }, merchantPrivateKey);
 * // '<html><head><META NAME="MobilePayPlatform" CONTENT="mer_date=20260301&…&sign_type=RSA&version=4.0&sign=…"></head><body></body></html>'
 */
export function metaReply(fields: Readonly<Record<string, string>>, merchantPrivateKey: KeyInput, options: SignOptions = {}): string {
  for (const [name, value] of Object.entries(fields)) {
    if (/[&<>"=]/.test(name) || /[&<>"]/.test(value)) throw new TypeError(`META item ${name} may not hold &, <, > or " (§2.2.2)`);
  }
  const { sign: _stale, ...unsigned } = fields;
  const items: Record<string, string> = { ...unsigned, sign_type: 'RSA' };
  const sign = sha1Sign(encodeText(signingString(items), options.charset ?? 'GBK'), merchantPrivateKey);
  const content = [...Object.keys(items).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((name) => `${name}=${items[name]}`), `sign=${sign}`].join('&');
  return `<html><head><META NAME="MobilePayPlatform" CONTENT="${content}"></head><body></body></html>`;
}

/**
 * The acknowledgement of a notification, as the SDKs' demos write it:
 * `mer_date`, `mer_id`, `order_id` of the notification (a refund's: its
 * `mer_id`, `mer_date`, `order_id`), `ret_code=0000`, `ret_msg=success`,
 * `version=4.0`, signed ({@link metaReply}). Answer it only for a notification
 * whose signature held; anything else (plain `SUCCESS`, an unsigned META) is a
 * failed delivery and is retried.
 */
export function notificationAck(notification: Readonly<Record<string, string>>, merchantPrivateKey: KeyInput, options: SignOptions = {}): string {
  const echo: Record<string, string> = {};
  for (const name of ['mer_date', 'mer_id', 'order_id'] as const) if (notification[name]) echo[name] = notification[name]!;
  return metaReply({ ...echo, ret_code: RET_OK, ret_msg: 'success', version: '4.0' }, merchantPrivateKey, options);
}

/** A payment notification's fields (`service=pay_result_notify`), or a refund's (`refund_no`, `refund_state`…). */
export interface UmpayNotification {
  service?: string;
  mer_id?: string;
  order_id?: string;
  mer_date?: string;
  trade_no?: string;
  amount?: string;
  trade_state?: string;
  error_code?: string;
  refund_no?: string;
  refund_state?: string;
  [field: string]: string | undefined;
}

/**
 * Verifies a notification: an HTTP GET of notify_url with the fields in the
 * query string, URL-encoded in the order's charset (the query's own `charset`
 * field says which, unless `options.charset`), signed by the platform over the
 * GBK bytes of every parameter but `sign` and `sign_type` — notify_url's own
 * parameters included — sorted. Pass the request URL (or path + query), the
 * query string, or the parameters already decoded.
 *
 * @example
 * const { valid, fields } = verifyNotification(request.url, platformCertificate);
 * response.end(valid ? notificationAck(fields, merchantPrivateKey) : 'FAIL');
 */
export function verifyNotification(
  query: string | URL | URLSearchParams | Readonly<Record<string, string>>,
  platformCertificate: KeyInput,
  options: { charset?: string } = {},
): Verified<UmpayNotification> {
  let fields: Record<string, string>;
  if (query instanceof URL) fields = parseForm(query.search.slice(1), (raw) => options.charset ?? raw.get('charset'));
  else if (typeof query === 'string') {
    const at = query.indexOf('?');
    fields = parseForm(at === -1 ? query : query.slice(at + 1), (raw) => options.charset ?? raw.get('charset'));
  } else if (query instanceof URLSearchParams) fields = Object.fromEntries(query);
  else fields = Object.fromEntries(Object.entries(query));
  return { valid: verifyPlatform(fields, platformCertificate), fields };
}
