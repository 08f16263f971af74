import type { Merchant } from '../../../core/domain.js';
import type { KeyPairPem } from '../../../core/simulator.js';
import type { MerchantRepository } from '../../../core/store/merchants.js';
import { decryptSegmented, DecryptError, encryptSegmented, signSha1, verifySha1 } from './crypto.js';
import { PayoutError } from './errors.js';
import { headerText, withAliases } from './fields.js';

/**
 * The payout envelope (代付 §3.1): `{"ENCRYPT": Base64(RSA(platform public key,
 * plaintext JSON)), "SIGN": Base64(SHA1withRSA(merchant private key, plaintext))}`.
 * Answers are the mirror image: encrypted with the merchant's public key and
 * signed with the platform's private key (PROVIDERS.md MMSP-2, MMSP-3).
 */
export interface Envelope {
  ENCRYPT: string;
  SIGN: string;
}

/** A request whose signature verified: the merchant and the plaintext it signed. */
export interface OpenedRequest {
  merchant: Merchant;
  /** The decrypted JSON object, the document's typo spellings folded into the table's (MMSP-8). */
  plaintext: Record<string, unknown>;
  /** The decrypted text, exactly as signed. */
  text: string;
}

/** Reads the HTTP body; anything but a JSON object with string ENCRYPT and SIGN is 0002 上送参数有问题. */
export function parseEnvelope(body: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new PayoutError('UPLOAD', '报文不是合法的JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new PayoutError('UPLOAD', '报文必须是JSON对象{"ENCRYPT","SIGN"}');
  const { ENCRYPT, SIGN } = value as Record<string, unknown>;
  if (typeof ENCRYPT !== 'string' || ENCRYPT === '') throw new PayoutError('UPLOAD', '缺少ENCRYPT字段');
  if (typeof SIGN !== 'string' || SIGN === '') throw new PayoutError('UPLOAD', '缺少SIGN字段');
  return { ENCRYPT, SIGN };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decrypts ENCRYPT with the platform key, reads the JSON, finds the merchant
 * by MERNO and verifies SIGN over the decrypted bytes with its public key —
 * in that order, each with its code: 1005, 1001, 1002, 1004, 1006.
 */
export function openEnvelope(
  envelope: Envelope,
  platform: KeyPairPem,
  merchants: MerchantRepository,
  /** Sees the decrypted plaintext before the merchant and SIGN are checked (the journal notes whom and what it names). */
  onPlaintext?: (plaintext: Record<string, unknown>) => void,
): OpenedRequest {
  let bytes: Buffer;
  try {
    bytes = decryptSegmented(envelope.ENCRYPT, platform.privateKey);
  } catch (error) {
    if (error instanceof DecryptError) throw new PayoutError('DECRYPT', error.message, {}, 'ENCRYPT must be the plaintext encrypted with the platform public key of GET /_sim/keys (platform.mmsp), PKCS#1 v1.5, in blocks of key bytes − 11, concatenated, Base64');
    throw error;
  }
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    throw new PayoutError('PARAM', 'ENCRYPT解密后不是UTF-8编码的JSON', {}, `decrypted ${bytes.length} bytes: ${bytes.toString('latin1').slice(0, 200)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new PayoutError('PARAM', 'ENCRYPT解密后不是JSON对象');
  const plaintext = withAliases(value as Record<string, unknown>);
  onPlaintext?.(plaintext);
  const merchantId = headerText(plaintext, 'MERNO');
  if (!merchantId) throw new PayoutError('PARAM', '缺少必填字段MERNO', {}, `decrypted plaintext: ${text}`);
  const merchant = merchants.get('mmsp', merchantId);
  if (!merchant) throw new PayoutError('MERCHANT', merchantId, {}, `decrypted plaintext: ${text}`);
  if (!merchant.publicKey) {
    throw new PayoutError('NO_CERT', merchantId, {}, 'register the merchant public key (POST /_sim/merchants with publicKey, or merchants.json)');
  }
  if (!verifySha1(bytes, envelope.SIGN, merchant.publicKey)) {
    throw new PayoutError(
      'SIGN',
      undefined,
      {},
      `SIGN must be Base64(SHA1withRSA) with merchant ${merchantId}'s private key over the ${bytes.length} decrypted bytes: ${text}`,
    );
  }
  return { merchant, plaintext, text };
}

/** Encrypts and signs an answer for the merchant. */
export function sealReply(plaintext: Record<string, unknown>, merchant: Merchant, platform: KeyPairPem): { body: Envelope; text: string } {
  const text = JSON.stringify(plaintext);
  return { body: { ENCRYPT: encryptSegmented(text, merchant.publicKey!), SIGN: signSha1(text, platform.privateKey) }, text };
}
