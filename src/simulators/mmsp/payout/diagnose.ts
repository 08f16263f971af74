import { createHash, sign, verify } from 'node:crypto';
import { encodeText } from '../../../core/codec/charset.js';
import { judgeSignature, type DiagnoseContext, type Mistake, type SignatureDiagnosis } from '../../../core/diagnosis.js';
import { PAYOUT_COMMANDS } from './commands.js';
import { decodeBase64, decryptSegmented } from './crypto.js';
import { commandIdOf, headerText, withAliases } from './fields.js';

const RULE =
  'SIGN = Base64(SHA1withRSA(merchant private key, the UTF-8 bytes of the plaintext JSON exactly as encrypted)); ' +
  'ENCRYPT = Base64 of the plaintext encrypted with the platform public key, PKCS#1 v1.5 in blocks of key bytes − 11 (代付 §3.1). ' +
  'The sandbox decrypts ENCRYPT with its platform private key and verifies SIGN with the merchant public key: ' +
  'the string below is the decrypted plaintext.';

interface Spec {
  /** The decrypted plaintext, exactly as received. */
  bytes: Buffer;
  ciphertext: string;
  overCiphertext: boolean;
  gbk: boolean;
  sha256: boolean;
}

const signedBytes = (spec: Spec): { canonical: string; bytes: Buffer } => {
  const canonical = spec.overCiphertext ? spec.ciphertext : spec.bytes.toString('utf8');
  if (spec.overCiphertext) return { canonical, bytes: Buffer.from(canonical, 'utf8') };
  return { canonical, bytes: spec.gbk ? encodeText(canonical, 'GBK') : spec.bytes };
};

const MISTAKES: Mistake<Spec>[] = [
  { label: 'signed the Base64 ENCRYPT instead of the plaintext', apply: (s) => ({ ...s, overCiphertext: true }) },
  { label: 'signed the GBK bytes of the plaintext (Java getBytes() on a Chinese Windows) instead of UTF-8', apply: (s) => ({ ...s, gbk: true }) },
  { label: 'SHA256withRSA instead of SHA1withRSA', apply: (s) => ({ ...s, sha256: true }) },
];

/**
 * Diagnoses a payout envelope `{"ENCRYPT","SIGN"}` (代付 §3.1): decrypts it
 * with the platform key, shows the plaintext, and says whether SIGN verifies
 * over it with the merchant's public key. RSA signatures are checked, not
 * recomputed: the expected SIGN is shown when the sandbox holds the merchant's
 * private key (a pair it generated), and each usual mistake is tried by
 * verifying the given SIGN over that mistake's bytes. Null when the envelope
 * cannot be opened (the journal's note says why).
 */
export function diagnosePayout(envelope: Record<string, unknown>, context: DiagnoseContext): SignatureDiagnosis | null {
  const { ENCRYPT, SIGN } = envelope;
  if (typeof ENCRYPT !== 'string' || ENCRYPT === '') return null;
  const platform = context.platformKeys?.();
  if (!platform) return null;
  let bytes: Buffer;
  let plaintext: Record<string, unknown>;
  try {
    bytes = decryptSegmented(ENCRYPT, platform.privateKey);
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    plaintext = withAliases(value as Record<string, unknown>);
  } catch {
    return null;
  }
  const named = headerText(plaintext, 'MERNO') ?? null;
  const merchantId = context.merchantId ?? named;
  const merchant = merchantId ? context.merchant(merchantId) : undefined;
  const given = typeof SIGN === 'string' && SIGN !== '' ? SIGN : null;
  const commandId = commandIdOf(plaintext);
  const base = {
    provider: 'mmsp',
    merchantId,
    orderNo: headerText(plaintext, 'ORDERNO') ?? headerText(plaintext, 'BSORDERNO') ?? null,
    operation: PAYOUT_COMMANDS.find((command) => command.id === commandId)?.name ?? '代付',
    rule: RULE,
    given,
    comparison: 'exact' as const,
  };
  const publicKey = merchant?.publicKey;
  if (!publicKey) return { ...base, canonical: null, expected: null, verdict: 'unknown-merchant', variants: [] };
  const privateKey = merchant.privateKey;

  const render = (spec: Spec) => {
    const { canonical, bytes: signed } = signedBytes(spec);
    const algorithm = spec.sha256 ? 'sha256' : 'sha1';
    const signature = privateKey
      ? sign(algorithm, signed, privateKey).toString('base64')
      : `(${algorithm.toUpperCase()} ${createHash(algorithm).update(signed).digest('hex')})`;
    return { canonical, signature };
  };
  const verifies = (spec: Spec, signature: string): boolean => {
    const decoded = decodeBase64(signature);
    if (!decoded) return false;
    try {
      return verify(spec.sha256 ? 'sha256' : 'sha1', signedBytes(spec).bytes, publicKey, decoded);
    } catch {
      return false;
    }
  };
  const correct: Spec = { bytes, ciphertext: ENCRYPT, overCiphertext: false, gbk: false, sha256: false };
  const judged = judgeSignature(correct, MISTAKES, render, given, (_variant, given, spec) => verifies(spec, given));
  // Without the merchant's private key the sandbox cannot make the signature: it shows none.
  return { ...base, ...judged, canonical: bytes.toString('utf8'), expected: privateKey ? judged.expected : null };
}
