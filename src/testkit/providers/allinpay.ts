import { createHash } from 'node:crypto';
import { encodeText, parseForm } from './charset.js';
import { sha1Verify, type KeyInput } from './rsa.js';
import { hexEqual, type Verified } from './shared.js';

/**
 * 通联支付 Allinpay (移动支付支付控件版 v2.7), the merchant's side: sign
 * payData, the web order, queries and refunds; verify the payment result
 * (notification, browser return, single query answer); read the batch query
 * and the refund status query; the international ext1 digest.
 *
 * Requests are MD5-signed (§5.1–§5.2): every **non-empty** field of the
 * interface's table **in the table's order** (never sorted), `name=value`
 * joined with `&`, then `&key=` + the MD5 key; MD5 of the bytes in the
 * `inputCharset`'s charset, upper-case hex. Answers are signed by `signType`:
 * 0 the same MD5, 1 the platform certificate (docs/providers/allinpay.md,
 * "Signatures").
 */

/** Every interface's fields in its table's order: the order they are signed in. */
export const FIELD_ORDERS = {
  /** §2.1 payData (`cardNo` is not signed). */
  payData: ['inputCharset', 'receiveUrl', 'version', 'language', 'signType', 'merchantId', 'orderNo', 'orderAmount', 'orderCurrency', 'orderDatetime', 'productName', 'ext1', 'payType', 'issuerId', 'tradeNature'],
  /** The web gateway order form, `version=v1.0` (the official SDK's order; `customsExt` is not signed). */
  webOrder: [
    'inputCharset', 'pickupUrl', 'receiveUrl', 'version', 'language', 'signType', 'merchantId', 'payerName', 'payerEmail', 'payerTelephone', 'payerIDCard', 'pid',
    'orderNo', 'orderAmount', 'orderCurrency', 'orderDatetime', 'orderExpireDatetime', 'productName', 'productPrice', 'productNum', 'productId', 'productDesc',
    'ext1', 'ext2', 'extTL', 'payType', 'issuerId', 'pan', 'tradeNature',
  ],
  /** The web order, `version=v2.0`: as v1.0 without payType and issuerId (the SDK). */
  webOrderV2: [
    'inputCharset', 'pickupUrl', 'receiveUrl', 'version', 'language', 'signType', 'merchantId', 'payerName', 'payerEmail', 'payerTelephone', 'payerIDCard', 'pid',
    'orderNo', 'orderAmount', 'orderCurrency', 'orderDatetime', 'orderExpireDatetime', 'productName', 'productPrice', 'productNum', 'productId', 'productDesc',
    'ext1', 'ext2', 'extTL', 'pan', 'tradeNature',
  ],
  /** §3.1 single order query (`version=v1.5`). */
  query: ['merchantId', 'version', 'signType', 'orderNo', 'orderDatetime', 'queryDatetime'],
  /** §3.3 batch order query (`version=v1.6`, signType fixed 1). */
  batch: ['version', 'merchantId', 'beginDateTime', 'endDateTime', 'pageNo', 'signType'],
  /** §3.5 refund (`version=v2.3`). */
  refund: ['version', 'signType', 'merchantId', 'orderNo', 'refundAmount', 'mchtRefundOrderNo', 'orderDatetime'],
  /** §3.7 refund status query (`version=v2.4`). */
  refundQuery: ['version', 'signType', 'merchantId', 'orderNo', 'refundAmount', 'refundDatetime', 'mchtRefundOrderNo'],
  /** §4.1 pre-authorisation cancel (`version=v1.8`). */
  preauthCancel: ['merchantId', 'version', 'orderAmount', 'currency', 'orderNo', 'orderDatetime', 'signType'],
  /** §4.3 pre-authorisation confirm (`version=v1.9`). */
  preauthConfirm: ['version', 'merchantId', 'orderAmount', 'confirmAmount', 'currency', 'orderNo', 'orderDatetime', 'signType'],
  /** §2.2.3 the payment result: notification, browser return, single query answer. */
  result: ['merchantId', 'version', 'language', 'signType', 'payType', 'issuerId', 'paymentOrderId', 'orderNo', 'orderDatetime', 'orderAmount', 'payDatetime', 'payAmount', 'ext1', 'ext2', 'payResult', 'errorCode', 'returnDatetime'],
  /** §3.6 the refund answer. */
  refundReply: ['merchantId', 'version', 'signType', 'orderNo', 'orderAmount', 'orderDatetime', 'refundAmount', 'refundDatetime', 'refundResult', 'mchtRefundOrderNo', 'returnDatetime'],
} as const satisfies Record<string, readonly string[]>;

export type FieldOrderName = keyof typeof FIELD_ORDERS;

/** §5.4: the international card fields whose values, concatenated in this order, ext1 is the MD5 of. */
export const INTERNATIONAL_FIELDS = [
  'ship_to_country', 'ship_to_state', 'ship_to_city', 'ship_to_street1', 'ship_to_street2', 'ship_to_phonenumber', 'ship_to_postalcode', 'ship_to_firstname',
  'ship_to_lastname', 'registration_name', 'registration_email', 'registration_phone', 'buyerid_period', 'fnpay_mode', 'bill_firstname', 'bill_lastname',
  'expireddate', 'cvv2', 'bill_email', 'bill_country', 'bill_address', 'bill_city', 'bill_state', 'bill_zip',
  'mdd07', 'mdd08', 'mdd09', 'mdd10', 'mdd11', 'mdd12', 'mdd13', 'mdd14', 'mdd15', 'mdd16', 'mdd17', 'mdd18',
] as const;

/** §3.8 refundResult. */
export const REFUND_RESULTS = {
  TKSUCC0001: '未受理',
  TKSUCC0002: '待通联审核',
  TKSUCC0003: '通联审核通过',
  TKSUCC0004: '冲销',
  TKSUCC0005: '处理中',
  TKSUCC0006: '退款成功',
  TKSUCC0007: '退款失败',
  TKSUCC0008: '通联审核不通过',
} as const;

/** `inputCharset` → the charset its bytes are in (§2.1: 1 UTF-8, 2 GBK, 3 GB2312). */
export function charsetOf(inputCharset: string | undefined): 'UTF-8' | 'GBK' | 'GB2312' {
  return inputCharset === '2' ? 'GBK' : inputCharset === '3' ? 'GB2312' : 'UTF-8';
}

type Fields = Readonly<Record<string, string | number | null | undefined>>;

const orderOf = (order: FieldOrderName | readonly string[]): readonly string[] => (typeof order === 'string' ? FIELD_ORDERS[order] : order);

const md5Upper = (text: string, charset?: string | null) => createHash('md5').update(encodeText(text, charset)).digest('hex').toUpperCase();

/**
 * The signing source: every non-empty field of `order`, `name=value`, joined
 * with `&`, values raw. No `&` at the head or tail, whatever §5.1's note
 * says: the document's own payData example reproduces only without them.
 *
 * @example
 * signSource({ version: 'v1.5', signType: '0', ext1: '' }, ['version', 'ext1', 'signType']); // 'version=v1.5&signType=0'
 */
export function signSource(fields: Fields, order: FieldOrderName | readonly string[]): string {
  return orderOf(order)
    .filter((name) => Object.hasOwn(fields, name) && fields[name] !== undefined && fields[name] !== null && String(fields[name]) !== '')
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
}

/**
 * The signMsg of a request (§5.2): MD5(source + `&key=` + key), upper case,
 * over the bytes of `charset` (default: the fields' own `inputCharset`, else
 * UTF-8; the sandbox also takes UTF-8 from a GBK merchant, as the Java SDK
 * hashes).
 *
 * @example
 * signMsg({ inputCharset: '1', receiveUrl: 'http://www', version: 'v1.0', signType: '1', merchantId: '100020091218001',
 *   orderNo: 'NOM20141125141040856', orderAmount: '1', orderDatetime: '20141125141040', productName: '笔记本电脑', payType: '0' },
 *   'payData', '1234567890'); // '4F521B6E630C4806A2D7388A014C1123'
 */
export function signMsg(fields: Fields, order: FieldOrderName | readonly string[], key: string, options: { charset?: string } = {}): string {
  const charset = options.charset ?? charsetOf(fields.inputCharset === undefined || fields.inputCharset === null ? undefined : String(fields.inputCharset));
  return md5Upper(`${signSource(fields, order)}&key=${key}`, charset);
}

/** The fields with their `signMsg` (values as strings): a payData, a form to POST. */
export function signRequest(fields: Fields, order: FieldOrderName | readonly string[], key: string, options: { charset?: string } = {}): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) if (name !== 'signMsg' && value !== undefined && value !== null) strings[name] = String(value);
  return { ...strings, signMsg: signMsg(fields, order, key, options) };
}

/** How an answer is checked: the merchant's MD5 key (signType 0) and/or the platform certificate (signType 1). */
export interface AnswerKeys {
  key?: string;
  /** The platform certificate (PEM or `.cer` bytes) or its public key. */
  certificate?: KeyInput;
  /** The charset the signed bytes are in (the order's inputCharset); default UTF-8. */
  charset?: string;
}

/** `signMsg` over `name=value` fields: signType 0 MD5 with the key; 1 SHA1withRSA over the raw source's bytes. */
function verifyFields(fields: Readonly<Record<string, string>>, order: readonly string[], keys: AnswerKeys): boolean {
  const source = signSource(fields, order);
  const given = fields.signMsg ?? '';
  if (fields.signType === '1') return keys.certificate !== undefined && sha1Verify(encodeText(source, keys.charset), keys.certificate, given);
  if (fields.signType === '0') {
    return keys.key !== undefined && /^[0-9A-Fa-f]{32}$/.test(given) && hexEqual(md5Upper(`${source}&key=${keys.key}`, keys.charset), given);
  }
  return false;
}

/** The payment result (§2.2.3). */
export interface AllinpayResult {
  merchantId?: string;
  version?: string;
  signType?: string;
  payType?: string;
  paymentOrderId?: string;
  orderNo?: string;
  orderDatetime?: string;
  orderAmount?: string;
  payDatetime?: string;
  payAmount?: string;
  ext1?: string;
  ext2?: string;
  /** `1` paid: the only result ever notified. */
  payResult?: string;
  errorCode?: string;
  returnDatetime?: string;
  signMsg?: string;
  [field: string]: string | undefined;
}

function fieldsOf(form: string | Uint8Array | URLSearchParams | Readonly<Record<string, unknown>>, charset: string | undefined): Record<string, string> {
  if (typeof form === 'string' || form instanceof Uint8Array) return parseForm(form, charset);
  if (form instanceof URLSearchParams) return Object.fromEntries(form);
  return Object.fromEntries(Object.entries(form).map(([name, value]) => [name, value === null || value === undefined ? '' : String(value)]));
}

/**
 * Verifies the payment result: the notification POSTed to receiveUrl (a form,
 * in the order's inputCharset: pass the body's bytes and that `charset`), the
 * browser's return to pickupUrl, or the single query's answer (§3.2, the same
 * format). signType 0: MD5 of the source with `&key=`; signType 1:
 * SHA1withRSA with the platform certificate over the bytes of the raw source
 * (as the real gateway signs: docs/providers/allinpay.md). Any 2xx answers it;
 * act only when `valid` and `payResult` is `1`.
 *
 * @example
 * const { valid, fields } = verifyNotification(body, { key: '1234567890', certificate: platformCer, charset: 'UTF-8' });
 * if (valid && fields.payResult === '1') markPaid(fields.orderNo, Number(fields.orderAmount));
 */
export function verifyNotification(form: string | Uint8Array | URLSearchParams | Readonly<Record<string, unknown>>, keys: AnswerKeys): Verified<AllinpayResult> {
  const fields = fieldsOf(form, keys.charset);
  return { valid: verifyFields(fields, FIELD_ORDERS.result, keys), fields };
}

/**
 * Reads the refund answer (§3.6, `name=value&…`, `refundResult=20` accepted),
 * or a gateway refusal (`ERRORCODE=…&ERRORMSG=…`, never valid), and checks
 * its signMsg as {@link verifyNotification} does.
 */
export function verifyRefundReply(text: string | Uint8Array, keys: AnswerKeys): Verified<Record<string, string>> {
  const fields = fieldsOf(text, keys.charset);
  if (fields.ERRORCODE !== undefined) return { valid: false, fields };
  return { valid: verifyFields(fields, FIELD_ORDERS.refundReply, keys), fields };
}

/** signType 0: MD5(text + "|" + key); signType 1: SHA1withRSA over the 32 upper-case hex characters of MD5(text) (§3.8). */
function verifyText(text: string, signType: string, signature: string, keys: AnswerKeys): boolean {
  if (signType === '1') return keys.certificate !== undefined && sha1Verify(Buffer.from(md5Upper(text, keys.charset), 'latin1'), keys.certificate, signature);
  return keys.key !== undefined && /^[0-9A-Fa-f]{32}$/.test(signature) && hexEqual(md5Upper(`${text}|${keys.key}`, keys.charset), signature);
}

/** A gateway refusal: `ERRORCODE=<code>&ERRORMSG=<text>` (the batch's text in quotes). */
export interface AllinpayError {
  code: string;
  message: string;
}

function errorOf(text: string): AllinpayError | undefined {
  if (!text.startsWith('ERRORCODE=')) return undefined;
  const fields = parseForm(text.replace(/\r?\n$/, ''), 'UTF-8');
  return { code: fields.ERRORCODE ?? '', message: (fields.ERRORMSG ?? '').replace(/^"(.*)"$/s, '$1') };
}

/** One paid order of a batch answer (§3.4). */
export interface BatchOrder {
  merchantId: string;
  paymentOrderId: string;
  orderNo: string;
  orderDatetime: string;
  orderAmount: string;
  payDatetime: string;
  payAmount: string;
  ext1: string;
  ext2: string;
  /** `1`: only paid orders are listed. */
  payResult: string;
}

export interface BatchAnswer {
  /** The certificate's signature holds (always false for an error, or without a certificate). */
  valid: boolean;
  /** The summary line: merchant, count on this page, page number (0 when empty), another page (`Y`/`N`). */
  summary: { merchantId: string; count: number; pageNo: number; hasNext: boolean } | null;
  orders: BatchOrder[];
  error?: AllinpayError;
  /** The decoded text. */
  text: string;
}

const BATCH_COLUMNS = ['merchantId', 'paymentOrderId', 'orderNo', 'orderDatetime', 'orderAmount', 'payDatetime', 'payAmount', 'ext1', 'ext2', 'payResult'] as const;

/**
 * Decodes a batch query answer (§3.4, Base64): the summary line, one line per
 * paid order, a blank line, then the signature — always the certificate's
 * (signType 1): SHA1withRSA over MD5HEX of the summary and detail lines, each
 * with its CRLF. An error answer (`ERRORCODE=…&ERRORMSG="…"`) is `error`.
 *
 * @example
 * const batch = decodeBatch(await response.text(), platformCertificate);
 * if (batch.valid) for (const order of batch.orders) reconcile(order.orderNo, order.payAmount);
 */
export function decodeBatch(base64: string, certificate?: KeyInput): BatchAnswer {
  const text = Buffer.from(base64.replace(/\s+/g, ''), 'base64').toString('utf8');
  const error = errorOf(text);
  if (error) return { valid: false, summary: null, orders: [], error, text };
  const lines = text.split(/\r?\n/);
  const blank = lines.indexOf('');
  const records = blank === -1 ? lines : lines.slice(0, blank);
  const signature = blank === -1 ? '' : (lines.slice(blank + 1).find((line) => line !== '') ?? '');
  const [merchantId = '', count = '0', pageNo = '0', hasNext = 'N'] = (records[0] ?? '').split('|');
  const orders = records.slice(1).map((line) => {
    const values = line.split('|');
    return Object.fromEntries(BATCH_COLUMNS.map((name, i) => [name, values[i] ?? ''])) as unknown as BatchOrder;
  });
  const signed = records.map((line) => `${line}\r\n`).join('');
  const valid = records.length > 0 && certificate !== undefined && verifyText(signed, '1', signature, { certificate });
  return { valid, summary: records[0] ? { merchantId, count: Number(count), pageNo: Number(pageNo), hasNext: hasNext === 'Y' } : null, orders, text };
}

/** One refund of a refund status answer (§3.8). */
export interface RefundStatus {
  version: string;
  signType: string;
  merchantId: string;
  orderNo: string;
  refundAmount: string;
  refundDatetime: string;
  mchtRefundOrderNo: string;
  /** `TKSUCC0002`…`TKSUCC0008`: {@link REFUND_RESULTS}. */
  refundResult: string;
  returnDatetime: string;
}

export interface RefundQueryAnswer {
  valid: boolean;
  refunds: RefundStatus[];
  /** §3.8's `ERRORCODE=001…011`, or a gateway code. */
  error?: AllinpayError;
}

const REFUND_COLUMNS = ['version', 'signType', 'merchantId', 'orderNo', 'refundAmount', 'refundDatetime', 'mchtRefundOrderNo', 'refundResult', 'returnDatetime'] as const;

/**
 * Reads a refund status answer (§3.8): one `v2.4|signType|…` line per refund,
 * CRLF between them and before the signMsg. signType 0: MD5 of the records
 * with `|` + key; 1: the certificate over the MD5 hex. The records are signed
 * joined by CRLF without a trailing one (the 2015 example, the official demo,
 * the sandbox); the 2014 examples sign each record with its CRLF — both are
 * accepted.
 *
 * @example
 * const answer = parseRefundQuery(await response.text(), { key: '1234567890' });
 * if (answer.valid && answer.refunds.at(-1)?.refundResult === 'TKSUCC0006') markRefunded();
 */
export function parseRefundQuery(text: string, keys: AnswerKeys): RefundQueryAnswer {
  const error = errorOf(text);
  if (error) return { valid: false, refunds: [], error };
  const lines = text.split(/\r?\n/).filter((line) => line !== '');
  const signature = lines.length > 1 ? lines.at(-1)! : '';
  const records = lines.slice(0, -1);
  const refunds = records.map((line) => {
    const values = line.split('|');
    return Object.fromEntries(REFUND_COLUMNS.map((name, i) => [name, values[i] ?? ''])) as unknown as RefundStatus;
  });
  const signType = refunds[0]?.signType ?? '';
  const joined = records.join('\r\n');
  const valid = records.length > 0 && (verifyText(joined, signType, signature, keys) || verifyText(`${joined}\r\n`, signType, signature, keys));
  return { valid, refunds };
}

/**
 * §5.4 ext1 of an international card payment: the upper-case MD5 of the
 * {@link INTERNATIONAL_FIELDS}' values concatenated, no names, no separators;
 * an empty field contributes nothing (`fnpay_mode` `0` is a value).
 *
 * @example
 * ext1Digest({ ship_to_country: 'US', ship_to_state: 'AL', … }); // 'B7C37324D6824A6FD029EE365BD0F5A8' for the document's example
 */
export function ext1Digest(fields: Fields, options: { charset?: string } = {}): string {
  return md5Upper(
    INTERNATIONAL_FIELDS.map((name) => (Object.hasOwn(fields, name) && fields[name] !== null && fields[name] !== undefined ? String(fields[name]) : '')).join(''),
    options.charset,
  );
}
