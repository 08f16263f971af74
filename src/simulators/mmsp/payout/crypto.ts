import { constants, privateDecrypt, publicEncrypt, sign, verify } from 'node:crypto';
import { privateKeyOf, publicKeyOf } from '../../../core/crypto/keys.js';

/**
 * The payout envelope's RSA (代付 §3.1, PROVIDERS.md MMSP-2): PKCS#1 v1.5
 * encryption in blocks of (key bytes − 11) plaintext bytes, the cipher blocks
 * concatenated and Base64-encoded as one; SHA1withRSA signatures over the
 * exact plaintext bytes. Everything runs on node:crypto.
 */

/** The modulus length in bytes (128 for the document's 1024-bit keys). */
export function keyBytes(pem: string): number {
  const key = pem.includes('PRIVATE') ? privateKeyOf(pem) : publicKeyOf(pem);
  return Math.ceil(key.asymmetricKeyDetails!.modulusLength! / 8);
}

/**
 * Encrypts with a public key: PKCS#1 v1.5 per block of at most k − 11 bytes,
 * blocks concatenated, Base64. Splitting is by bytes, so a UTF-8 character may
 * straddle two blocks (as the Java merchants' `Cipher.doFinal` loops do).
 *
 * @example
 * const ENCRYPT = encryptSegmented(JSON.stringify(plaintext), platformPublicKeyPem);
 */
export function encryptSegmented(plaintext: string | Uint8Array, publicKeyPem: string): string {
  const key = publicKeyOf(publicKeyPem);
  const bytes = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : Buffer.from(plaintext);
  const chunk = keyBytes(publicKeyPem) - 11;
  const blocks: Buffer[] = [];
  const count = Math.max(1, Math.ceil(bytes.length / chunk));
  for (let i = 0; i < count; i++) {
    blocks.push(publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, bytes.subarray(i * chunk, (i + 1) * chunk)));
  }
  return Buffer.concat(blocks).toString('base64');
}

/** Why a ciphertext could not be decrypted, for the journal. */
export class DecryptError extends Error {}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict Base64 (standard alphabet, padded, whitespace and line breaks
 * allowed as Java's MIME encoders insert them); undefined when it is not.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n\t ]/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/**
 * Decrypts what {@link encryptSegmented} produced, with a private key. Node 20
 * refuses PKCS#1 v1.5 in `privateDecrypt` (the Marvin-attack fix), so each
 * block is decrypted raw (`RSA_NO_PADDING`) and unpadded here. The unpadding
 * reads every byte of the block whatever it finds; the sandbox holds no secret
 * worth a timing attack, but it costs nothing.
 */
export function decryptSegmented(ciphertextBase64: string, privateKeyPem: string): Buffer {
  const bytes = decodeBase64(ciphertextBase64);
  if (!bytes) throw new DecryptError('ENCRYPT不是合法的Base64');
  const key = privateKeyOf(privateKeyPem);
  const k = keyBytes(privateKeyPem);
  if (bytes.length % k !== 0) {
    throw new DecryptError(`ENCRYPT解码后${bytes.length}字节，不是密钥长度${k}字节的整数倍（每段密文${k}字节）`);
  }
  const parts: Buffer[] = [];
  for (let offset = 0, index = 1; offset < bytes.length; offset += k, index++) {
    let raw: Buffer;
    try {
      raw = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, bytes.subarray(offset, offset + k));
    } catch {
      // The block is numerically not below the modulus: not made with this key.
      throw new DecryptError(`第${index}段密文不是用平台公钥加密的`);
    }
    const message = unpadPkcs1Type2(raw);
    if (!message) throw new DecryptError(`第${index}段密文解密后不是PKCS#1 v1.5填充（不是用平台公钥加密的，或填充方式不对）`);
    parts.push(message);
  }
  return Buffer.concat(parts);
}

/**
 * EME-PKCS1-v1_5 decoding (RFC 8017 §7.2.2): 0x00 0x02, at least eight
 * non-zero padding bytes, 0x00, the message. Undefined when malformed.
 */
export function unpadPkcs1Type2(block: Uint8Array): Buffer | undefined {
  let bad = (block[0]! !== 0 ? 1 : 0) | (block[1]! !== 2 ? 1 : 0);
  let separator = 0;
  for (let i = 2; i < block.length; i++) {
    const isZero = block[i] === 0 ? 1 : 0;
    // Remember the first zero only; keep scanning to the end either way.
    if (isZero && separator === 0) separator = i;
  }
  bad |= separator === 0 || separator < 10 ? 1 : 0;
  return bad ? undefined : Buffer.from(block.subarray(separator + 1));
}

/** SHA1withRSA over the bytes, Base64 (代付 §3.1 "签名哈希算法SHA1withRSA"). */
export function signSha1(data: string | Uint8Array, privateKeyPem: string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return sign('sha1', bytes, privateKeyOf(privateKeyPem)).toString('base64');
}

/** Verifies a Base64 SHA1withRSA signature; false for anything that is not one. */
export function verifySha1(data: Uint8Array, signatureBase64: string, publicKeyPem: string): boolean {
  const signature = decodeBase64(signatureBase64);
  if (!signature) return false;
  try {
    return verify('sha1', data, publicKeyOf(publicKeyPem), signature);
  } catch {
    return false;
  }
}
