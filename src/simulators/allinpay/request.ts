import type { Context } from 'hono';
import { parseForm, type Charset } from '../../core/codec/charset.js';
import type { Merchant } from '../../core/domain.js';
import { annotate, rawBody } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { GatewayError } from './errors.js';
import type { Fields } from './fields.js';
import { verifyMd5 } from './signature.js';

/** inputCharset: "1 代表 UTF-8、2 代表 GBK、3 代表 GB2312" (§2.1). */
export const INPUT_CHARSETS: Record<string, Charset> = { '1': 'UTF-8', '2': 'GBK', '3': 'GB2312' };

/** The charset an inputCharset value names, if any: the table's own keys only (`__proto__` or `toString` name none). */
export const namedCharset = (inputCharset: string | undefined): Charset | undefined =>
  inputCharset !== undefined && Object.hasOwn(INPUT_CHARSETS, inputCharset) ? INPUT_CHARSETS[inputCharset] : undefined;

/** The charset an inputCharset value names; UTF-8 for the interfaces that have none. */
export const charsetOf = (inputCharset: string | undefined): Charset => namedCharset(inputCharset ?? '1') ?? 'UTF-8';

/**
 * The parameters of a gateway request: the form body of a POST, or the query
 * string of a GET ("订单可以通过post方式或get方式提交"); a POST with an empty body
 * is read from its query string. Decoded in `charset` when given; otherwise
 * first as UTF-8 to find inputCharset, then again in the charset it names
 * (a GBK form encodes 中 as %D6%D0, which UTF-8 would break).
 */
export async function readParams(c: Context): Promise<{ fields: Fields; charset: Charset }> {
  const body = c.req.method === 'GET' ? new Uint8Array(0) : await rawBody(c);
  const query = new URL(c.req.url).search.replace(/^\?/, '');
  const source = body.byteLength > 0 ? body : Buffer.from(query, 'latin1');
  const first = parseForm(source);
  const charset = namedCharset(first.inputCharset);
  if (charset === undefined || charset === 'UTF-8') return { fields: first, charset: 'UTF-8' };
  const fields = parseForm(source, charset);
  annotate(c, { charset });
  return { fields, charset };
}

/** A merchant of this provider, or ZF30005 (商户号不存在或配置错误). */
export function merchantOf(sim: SimulatorContext, merchantId: string | undefined): Merchant {
  const merchant = merchantId ? sim.store.merchants.get('allinpay', merchantId) : undefined;
  if (!merchant?.md5Key) throw new GatewayError('MERCHANT', merchantId ? `商户号${merchantId}` : '商户号为空');
  return merchant;
}

/**
 * Checks signMsg, the MD5 every request is signed with, whatever its signType
 * (§2.1 "1 表示商户用使用 MD5 算法验签上送订单"). The journal gets the source
 * that was expected, with the key masked.
 */
export function checkSignature(
  fields: Fields,
  order: readonly string[],
  merchant: Merchant,
  charset: string,
  error: (note: string) => Error,
): void {
  const signMsg = fields.signMsg ?? '';
  const check = verifyMd5(fields, order, merchant.md5Key!, signMsg, charset);
  if (signMsg === '' || !check.ok) {
    throw error(`expected signMsg ${check.expected} = MD5(${charset} bytes of "${check.source}"), upper case`);
  }
}

/**
 * A `name=value&…` answer (§3.2, §3.6): the fields in table order, empty ones
 * left out, signMsg last. Clients read it three ways: the official Java demo
 * URL-decodes the whole answer before splitting it (a raw `+` in a Base64
 * signMsg would become a space), PHP's parse_str decodes each value, and a
 * public Node client only `decodeURI`s it (which leaves `%2F` and `%3C` as
 * they are). So only `%`, `+` and `&` are percent-encoded: what decoding would
 * change or splitting would cut; everything else, Chinese included, is raw UTF-8.
 */
export function fieldsAnswer(fields: Fields, order: readonly string[], signMsg: string): string {
  const escape = (value: string) => value.replace(/[%+&]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  const present = order.filter((name) => fields[name]).map((name) => `${name}=${escape(fields[name]!)}`);
  return [...present, `signMsg=${escape(signMsg)}`].join('&');
}

/** `ERRORCODE=<code>&ERRORMSG=<message>` (§3.4, §3.8), the message raw UTF-8 as the demos read it. */
export function errorAnswer(code: string, message: string): string {
  return `ERRORCODE=${code}&ERRORMSG=${message}`;
}

/**
 * A text answer: UTF-8 bytes under a Content-Type with no charset. The official
 * refund demo reads the body as ISO-8859-1 (commons-httpclient's default when
 * none is declared) and turns ERRORMSG back into UTF-8 itself
 * (`new String(msg.getBytes("iso8859-1"), "utf-8")`, refundResult.jsp), which a
 * declared UTF-8 would break.
 */
export function textResponse(c: Context, text: string): Response {
  return c.body(text, 200, { 'content-type': 'text/plain' });
}
