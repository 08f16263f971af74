import { md5Hex, sameHex } from '../../core/crypto/md5.js';
import { phpJsonEncode, sortKeys } from '../../core/codec/php-json.js';

/**
 * The string MMSP signs: `json_encode(Body sorted A–Z) + "&key=" + key`
 * (扫码/快捷/网关 §3.3.2: "sign = Md5(json_encode(原字符串)&key=商户密钥).toUpperCase").
 */
export function signingString(body: Record<string, unknown>, key: string): string {
  return `${phpJsonEncode(sortKeys(body), { unescapedUnicode: true })}&key=${key}`;
}

/**
 * The Sign of a Body: 32 upper-case hex characters.
 *
 * @example
 * signBody({ AMT: '1' }, 'ea21842eea24e448b991b1cb0a0294cf');
 */
export function signBody(body: Record<string, unknown>, key: string): string {
  return md5Hex(signingString(body, key)).toUpperCase();
}

/** Compares case-insensitively (PROVIDERS.md §2.3 verifier REC). */
export function verifyBody(body: Record<string, unknown>, key: string, sign: string): boolean {
  return sameHex(signBody(body, key), sign);
}
