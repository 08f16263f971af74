import { createHash, sign, verify, type KeyLike } from 'node:crypto';
import { encodeText } from '../../core/codec/charset.js';
import { privateKeyOf, publicKeyOf } from '../../core/crypto/keys.js';
import type { Fields } from './fields.js';

/**
 * The signing rules (§5). Requests are always MD5-signed by the merchant; the
 * platform signs its answers with MD5 (signType 0) or its certificate
 * (signType 1).
 */

/**
 * The signing source (§5.1): every non-empty field of `order` present in
 * `fields`, as `name=value`, joined with `&`, values raw (not URL-encoded).
 * No `&` at the head or tail, whatever the note "头部与尾部需要连接字符串&" says:
 * the document's own payData example reproduces only without them (ALP-5).
 *
 * @example
 * signSource({ version: 'v1.5', signType: '0', ext1: '' }, ['version', 'ext1', 'signType']); // 'version=v1.5&signType=0'
 */
export function signSource(fields: Fields, order: readonly string[]): string {
  return order
    .filter((name) => fields[name] !== undefined && fields[name] !== '')
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
}

/** MD5 of the text's bytes in `charset` (UTF-8 by default), upper-case hex (§5.2 "消息摘要中的字母需转换为大写字母"). */
export function md5Upper(text: string, charset?: string | null): string {
  return createHash('md5').update(encodeText(text, charset)).digest('hex').toUpperCase();
}

/** §5.2: MD5 of the source with `&key=<MD5 key>` appended, upper case. */
export function md5Sign(fields: Fields, order: readonly string[], key: string, charset?: string | null): string {
  return md5Upper(`${signSource(fields, order)}&key=${key}`, charset);
}

export interface Md5Check {
  ok: boolean;
  /** What the sandbox expected, in the declared charset. */
  expected: string;
  /** The source that was hashed, with the key masked: for the journal. */
  source: string;
}

/**
 * Checks a merchant's signMsg. Chinese values are hashed in the declared
 * charset (§5.1 c); the official Java SDK always hashes UTF-8, so a GBK
 * merchant signing with it is accepted too. Hex case is not compared: one
 * public H5 client sends lower case (research brief §2).
 */
export function verifyMd5(fields: Fields, order: readonly string[], key: string, signMsg: string, charset?: string | null): Md5Check {
  const source = signSource(fields, order);
  const expected = md5Upper(`${source}&key=${key}`, charset);
  const given = signMsg.toUpperCase();
  const ok = given === expected || given === md5Upper(`${source}&key=${key}`, 'UTF-8');
  return { ok, expected, source: `${source}&key=<MD5 key>` };
}

/** Base64 SHA1withRSA (PKCS#1 v1.5) over `data`. */
export function rsaSign(data: string | Uint8Array, privateKey: KeyLike): string {
  const key = typeof privateKey === 'string' ? privateKeyOf(privateKey) : privateKey;
  return sign('sha1', typeof data === 'string' ? Buffer.from(data, 'utf8') : data, key).toString('base64');
}

/** Verifies a Base64 SHA1withRSA signature with a public key or certificate. */
export function rsaVerify(data: string | Uint8Array, publicKey: KeyLike, signature: string): boolean {
  const key = typeof publicKey === 'string' ? publicKeyOf(publicKey) : publicKey;
  return verify('sha1', typeof data === 'string' ? Buffer.from(data, 'utf8') : data, key, Buffer.from(signature, 'base64'));
}

export interface ReplySigner {
  signType: string;
  md5Key: string;
  /** The platform's private key (PEM), for signType 1. */
  privateKey: string | null;
  charset?: string | null;
}

/**
 * signMsg of a `name=value` answer (§2.2.3 notification, §3.2 query, §3.6
 * refund). signType 0: §5.2's MD5 with the key. signType 1: the certificate —
 * SHA1withRSA over the bytes of the key-less source itself. §3.8 shows an MD5
 * taken first, but that is the text answers' rule; real signType 1
 * notifications verify only over the raw source (research brief §5: a real
 * 2018 test-gateway notification and the SDK's `verifySignMsg`).
 */
export function signFields(fields: Fields, order: readonly string[], signer: ReplySigner): string {
  if (signer.signType === '1') {
    if (!signer.privateKey) throw new Error('signType 1 needs the platform key');
    return rsaSign(encodeText(signSource(fields, order), signer.charset), signer.privateKey);
  }
  return md5Sign(fields, order, signer.md5Key, signer.charset);
}

/**
 * signMsg of a text answer (§3.8 refund status query, and by the brief's
 * recommendation the pre-authorisation replies, §4.2): signType 0 →
 * MD5(text + "|" + key), the key after a pipe; signType 1 → SHA1withRSA over
 * the 32 upper-case hex characters of MD5(text) ("verifyByRSA(cert,
 * MD5Encode(signString).getBytes(), …)").
 */
export function signText(text: string, signer: ReplySigner): string {
  if (signer.signType === '1') {
    if (!signer.privateKey) throw new Error('signType 1 needs the platform key');
    return rsaSign(md5Upper(text, signer.charset), signer.privateKey);
  }
  return md5Upper(`${text}|${signer.md5Key}`, signer.charset);
}

/**
 * §5.4 ext1 of an international card payment: the MD5 of the values of the
 * international fields concatenated in their order, no names, no separators;
 * empty values contribute nothing.
 *
 * @example
 * ext1Digest({ ship_to_country: 'US', ship_to_state: 'AL', … }); // 'B7C37324D6824A6FD029EE365BD0F5A8' for the document's example
 */
export function ext1Digest(fields: Fields, order: readonly string[], charset?: string | null): string {
  return md5Upper(order.map((name) => fields[name] ?? '').join(''), charset);
}
