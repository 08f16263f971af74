import { constants, createPrivateKey, createPublicKey, KeyObject, privateDecrypt, publicEncrypt, sign, verify, X509Certificate } from 'node:crypto';

/**
 * RSA for the merchant-side helpers (MMSP payouts, UMPay, Allinpay), on
 * node:crypto only. Written apart from the simulators' code on purpose.
 */

/**
 * A key as a merchant has it: PEM text (a public or private key, or an X.509
 * certificate), the DER bytes of a `.cer` certificate, or a KeyObject.
 */
export type KeyInput = string | Uint8Array | KeyObject;

const cache = new Map<string, KeyObject>();

function cached(kind: 'public' | 'private', pem: string, make: () => KeyObject): KeyObject {
  const id = `${kind}\n${pem}`;
  let key = cache.get(id);
  if (!key) {
    key = make();
    // A test suite sees a handful of keys; a bound keeps a long run from growing it.
    if (cache.size > 64) cache.clear();
    cache.set(id, key);
  }
  return key;
}

/** The public key of any {@link KeyInput}: a certificate's, or the public half of a private key. */
export function publicKeyOf(input: KeyInput): KeyObject {
  if (input instanceof KeyObject) return input.type === 'public' ? input : createPublicKey(input);
  if (typeof input === 'string') {
    return cached('public', input, () => (input.includes('CERTIFICATE') ? new X509Certificate(input).publicKey : createPublicKey(input)));
  }
  const der = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  try {
    // A .cer file, as providers hand them out.
    return new X509Certificate(der).publicKey;
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
}

/** The private key of a PEM text, PKCS#8 DER bytes or a KeyObject. */
export function privateKeyOf(input: KeyInput): KeyObject {
  if (input instanceof KeyObject) return input;
  if (typeof input === 'string') return cached('private', input, () => createPrivateKey(input));
  return createPrivateKey({ key: Buffer.from(input.buffer, input.byteOffset, input.byteLength), format: 'der', type: 'pkcs8' });
}

/** The modulus length in bytes: 128 for the 1024-bit keys the providers use. */
export function modulusBytes(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

/**
 * RSA PKCS#1 v1.5 encryption, the bytes cut into blocks of (key bytes − 11),
 * each encrypted to one key-sized block, the blocks concatenated (what Java's
 * `Cipher("RSA/ECB/PKCS1Padding")` loops produce). One block at least.
 */
export function encryptBlocks(bytes: Uint8Array, publicKey: KeyObject): Buffer {
  const chunk = modulusBytes(publicKey) - 11;
  const blocks: Buffer[] = [];
  for (let offset = 0; offset === 0 || offset < bytes.length; offset += chunk) {
    blocks.push(publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, bytes.subarray(offset, offset + chunk)));
  }
  return Buffer.concat(blocks);
}

/**
 * Reverses {@link encryptBlocks}. Node 20 refuses PKCS#1 v1.5 padding in
 * `privateDecrypt` (the Marvin-attack fix, CVE-2023-46809), so each block is
 * decrypted raw (`RSA_NO_PADDING`) and the EME-PKCS1-v1_5 padding removed here
 * (RFC 8017 §7.2.2: 0x00 0x02, at least eight non-zero bytes, 0x00, the
 * message). Undefined when the bytes are not whole blocks made for this key.
 */
export function decryptBlocks(cipher: Uint8Array, privateKey: KeyObject): Buffer | undefined {
  const k = modulusBytes(privateKey);
  if (k === 0 || cipher.length === 0 || cipher.length % k !== 0) return undefined;
  const parts: Buffer[] = [];
  for (let offset = 0; offset < cipher.length; offset += k) {
    let block: Buffer;
    try {
      block = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, cipher.subarray(offset, offset + k));
    } catch {
      return undefined;
    }
    if (block[0] !== 0x00 || block[1] !== 0x02) return undefined;
    const separator = block.indexOf(0x00, 2);
    if (separator < 10) return undefined;
    parts.push(block.subarray(separator + 1));
  }
  return Buffer.concat(parts);
}

/** Strict Base64 to bytes (line breaks and spaces a MIME encoder inserts are allowed); undefined otherwise. */
export function base64Bytes(text: unknown): Buffer | undefined {
  if (typeof text !== 'string') return undefined;
  const compact = text.replace(/[\r\n\t ]/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** SHA1withRSA (PKCS#1 v1.5) over the bytes, Base64. */
export function sha1Sign(bytes: Uint8Array, privateKey: KeyInput): string {
  return sign('sha1', bytes, privateKeyOf(privateKey)).toString('base64');
}

/** Verifies a Base64 SHA1withRSA signature; false for anything that is not one, or a key that does not parse. */
export function sha1Verify(bytes: Uint8Array, publicKey: KeyInput, signature: unknown): boolean {
  const raw = base64Bytes(signature);
  if (!raw) return false;
  try {
    return verify('sha1', bytes, publicKeyOf(publicKey), raw);
  } catch {
    return false;
  }
}
