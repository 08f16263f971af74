import { createSign, createVerify } from 'node:crypto';
import { privateKeyOf, publicKeyOf } from '../../core/crypto/keys.js';
import { encodeText } from '../../core/codec/charset.js';

/**
 * The string to sign (§2.3.1): every parameter but `sign` and `sign_type`,
 * sorted by name ("从 a 到 z 的顺序排序…看第二个字母"), `k=v` joined with
 * `&`, raw values (`media_id=test@msn.com`, not `%40`). A parameter sent empty
 * is included as `k=` ("如果传递需包含到待签名数据中").
 *
 * @example
 * signingString({ service: 'query_order', sign_type: 'RSA', mer_id: '60000100', sign: '…' });
 * // 'mer_id=60000100&service=query_order'
 */
export function signingString(fields: Readonly<Record<string, string>>): string {
  return Object.keys(fields)
    .filter((name) => name !== 'sign' && name !== 'sign_type')
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
}

/**
 * The sandbox's signature over what it sends (answers, notifications):
 * SHA1withRSA, PKCS#1 v1.5, base64, over the **GBK** bytes of the string,
 * whatever the transfer charset — the public SDKs verify the platform's data
 * over GBK bytes (research brief §3; PROVIDERS.md UMP-6).
 */
export function platformSign(text: string, privateKeyPem: string): string {
  return createSign('RSA-SHA1').update(encodeText(text, 'GBK')).sign(privateKeyOf(privateKeyPem), 'base64');
}

/**
 * Verifies a merchant's `sign` over `text`: tries the bytes of the request's
 * declared charset, then UTF-8 and GBK — the public SDKs sign requests over
 * UTF-8 (Node) or GBK (Java, Python) bytes while all declaring `charset=UTF-8`
 * (research brief §3, §11.1). Answers the encoding that verified, or null.
 */
export function verifyMerchantSign(text: string, sign: string, publicKeyPem: string, declared: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sign)) return null;
  const tried: Buffer[] = [];
  for (const charset of [declared, 'UTF-8', 'GBK']) {
    const bytes = encodeText(text, charset);
    if (tried.some((done) => done.equals(bytes))) continue;
    tried.push(bytes);
    if (verifyBytes(bytes, sign, publicKeyPem)) return charset;
  }
  return null;
}

/** SHA1withRSA over exact bytes (a merchant's reply, read as it arrived). */
export function verifyBytes(bytes: Uint8Array, sign: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA1').update(bytes).verify(publicKeyOf(publicKeyPem), sign, 'base64');
  } catch {
    // A key that does not parse verifies nothing.
    return false;
  }
}
