import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { privateKeyOf } from '../../core/crypto/keys.js';
import { decodeBytes, encodeText } from '../../core/codec/charset.js';

/**
 * The fields a merchant encrypts with the platform's public key before signing
 * (§2.3.2 "当遇到需要加密的参数，需要先加密，后签名"): the public SDKs'
 * `Encrypt_Paramters` list (research brief §4).
 */
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
export type SensitiveField = (typeof SENSITIVE_FIELDS)[number];
export const isSensitive = (name: string): name is SensitiveField => SENSITIVE_FIELDS.includes(name as SensitiveField);

function privateKey(pem: string) {
  const key = privateKeyOf(pem);
  return { key, bytes: (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8 };
}

/**
 * Decrypts a sensitive field: base64 of one RSA block, PKCS#1 v1.5 (type 2)
 * over the GBK bytes of the value, as the SDKs send it (research brief §4).
 * Node 20 refuses PKCS#1 v1.5 in `privateDecrypt`, so the block is decrypted
 * raw and unpadded here. A plaintext that reads as Chinese in UTF-8 is taken
 * as UTF-8 (the Python and a Go SDK encrypt UTF-8 bytes); otherwise GBK.
 * Undefined when it does not decrypt.
 */
export function decryptField(cipher: string, privateKeyPem: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cipher)) return undefined;
  const { key, bytes } = privateKey(privateKeyPem);
  const block = Buffer.from(cipher, 'base64');
  if (block.length !== bytes) return undefined;
  let raw: Buffer;
  try {
    raw = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, block);
  } catch {
    return undefined;
  }
  const message = unpadPkcs1Type2(raw);
  if (message === undefined) return undefined;
  return readPlaintext(message);
}

/** EM = 0x00 || 0x02 || PS (≥ 8 non-zero bytes) || 0x00 || M (RFC 8017 §7.2.2). */
function unpadPkcs1Type2(em: Buffer): Buffer | undefined {
  if (em.length < 11 || em[0] !== 0x00 || em[1] !== 0x02) return undefined;
  const separator = em.indexOf(0x00, 2);
  if (separator < 10) return undefined;
  return em.subarray(separator + 1);
}

function readPlaintext(bytes: Buffer): string {
  if (!bytes.some((b) => b >= 0x80)) return bytes.toString('latin1');
  let utf8: string | undefined;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    utf8 = undefined;
  }
  // GBK pairs are often valid UTF-8 too (郑十 = D6 A3 CA AE reads as U+05A3 U+02AE; 鈥玜 = E2 80 AB 61 as U+202B
  // and "a"; 陇 = C2 B7 as "·"): only a reading that is Chinese text, with at least one CJK character, is taken as UTF-8.
  if (utf8 !== undefined && CHINESE_TEXT.test(utf8) && /[\u3000-\uffef]/.test(utf8)) return utf8;
  return decodeBytes(bytes, 'GBK');
}

/**
 * What a name, an address or a card holder written in Chinese holds beyond ASCII: CJK ideographs (and extension A,
 * compatibility), CJK punctuation, fullwidth forms, and the middle dot of transliterated names (阿依古丽·买买提).
 */
const CHINESE_TEXT = /^[\u0000-\u007f\u00b7\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]*$/;

/**
 * What a merchant's SDK does before signing: PKCS#1 v1.5 with the platform's
 * public key (or certificate) over the GBK bytes, base64. For the signing tool.
 */
export function encryptField(plain: string, publicKeyOrCertificatePem: string): string {
  return publicEncrypt({ key: publicKeyOrCertificatePem, padding: constants.RSA_PKCS1_PADDING }, encodeText(plain, 'GBK')).toString('base64');
}
