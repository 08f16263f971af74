import { createHash, createSign } from 'node:crypto';
import { encodeText } from '../../core/codec/charset.js';
import { judgeSignature, type DiagnoseContext, type DiagnoseRequest, type Mistake, type SignatureDiagnosis } from '../../core/diagnosis.js';
import { readFields } from './params.js';
import { decryptField, isSensitive } from './sensitive.js';
import { orderNumber } from './services/common.js';
import { SERVICES } from './services/index.js';
import { verifyBytes } from './signature.js';

const RULE =
  'sign = Base64(SHA1withRSA(merchant private key, every parameter but sign and sign_type, sorted a–z, as k=v joined with &, ' +
  'raw values (not URL-encoded), a parameter sent empty kept as k=)); sensitive fields encrypted first, then signed (§2.3). ' +
  'The sandbox verifies with the merchant public key over the bytes of the declared charset, or of UTF-8 or GBK (the SDKs sign either).';

/** The charsets whose bytes the gateway accepts a merchant's signature over (signature.ts verifyMerchantSign). */
const ACCEPTED = (declared: string) => [...new Set([declared, 'UTF-8', 'GBK'])];

interface Spec {
  /** The parameters in the order sent. */
  pairs: [string, string][];
  /** The sensitive fields' plaintext, where the sandbox could decrypt them. */
  plain: Record<string, string>;
  declared: string;
  sorted: boolean;
  withSignType: boolean;
  dropEmpty: boolean;
  urlEncoded: boolean;
  latin1: boolean;
  beforeEncryption: boolean;
}

function canonicalOf(spec: Spec): string {
  let pairs = spec.pairs.filter(([name]) => name !== 'sign' && (spec.withSignType || name !== 'sign_type'));
  if (spec.dropEmpty) pairs = pairs.filter(([, value]) => value !== '');
  if (spec.beforeEncryption) pairs = pairs.map(([name, value]) => [name, spec.plain[name] ?? value]);
  if (spec.sorted) pairs = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // As Java's URLEncoder writes them: spaces as +.
  const encode = (value: string) => (spec.urlEncoded ? encodeURIComponent(value).replace(/%20/g, '+') : value);
  const text = pairs.map(([name, value]) => `${name}=${encode(value)}`).join('&');
  // getBytes("ISO-8859-1") turns every character it cannot write into "?".
  return spec.latin1 ? text.replace(/[^\u0000-\u00ff]/g, '?') : text;
}

/** The byte strings a spec stands for: the accepted charsets, or the ISO-8859-1 bytes of a latin1 mistake. */
function bytesOf(spec: Spec): Buffer[] {
  const text = canonicalOf(spec);
  return spec.latin1 ? [Buffer.from(text, 'latin1')] : ACCEPTED(spec.declared).map((charset) => encodeText(text, charset));
}

const MISTAKES: Mistake<Spec>[] = [
  { label: 'values URL-encoded (the string to sign takes raw values: media_id=test@msn.com, §2.3.1 注意(2))', apply: (s) => ({ ...s, urlEncoded: true }) },
  { label: 'sign_type signed too (§2.3.1: sign and sign_type are left out)', apply: (s) => ({ ...s, withSignType: true }) },
  { label: 'empty parameters left out (§2.3.1 注意(1): a parameter sent empty is signed as k=)', apply: (s) => ({ ...s, dropEmpty: true }) },
  { label: 'parameters in the order sent, not sorted a–z', apply: (s) => ({ ...s, sorted: false }) },
  { label: 'signed the ISO-8859-1 bytes (Chinese became ?) instead of the declared charset, UTF-8 or GBK', apply: (s) => ({ ...s, latin1: true }) },
  { label: 'sensitive fields signed before they were encrypted (§2.3.2: encrypt first, then sign)', apply: (s) => ({ ...s, beforeEncryption: true }) },
];

/** The parameters as the gateway reads them: the query string of a GET (or of a POST without a body), else the form body. */
function readParameters(request: DiagnoseRequest) {
  const query = request.path.includes('?') ? request.path.slice(request.path.indexOf('?') + 1) : '';
  const fromQuery = request.method === 'GET' || request.bytes.byteLength === 0;
  return readFields(fromQuery ? Buffer.from(query, 'latin1') : Buffer.from(request.bytes), fromQuery);
}

/**
 * Diagnoses a UMPay request (§2.3): the sorted string the merchant signs, the
 * bytes of which charset, and whether `sign` verifies over them with the
 * merchant's public key. RSA is checked, not recomputed: the expected sign is
 * shown when the sandbox holds the merchant's private key (a pair it
 * generated); otherwise the string and the verdict. Each usual mistake is
 * tried by verifying the given sign over that mistake's bytes.
 */
export function diagnose(request: DiagnoseRequest, context: DiagnoseContext): SignatureDiagnosis | null {
  const read = readParameters(request);
  const { fields } = read;
  if (!fields.service || !fields.mer_id) return null;
  const declared = read.charset ?? 'UTF-8';
  const merchantId = context.merchantId ?? fields.mer_id;
  const merchant = context.merchant(merchantId);
  const given = fields.sign ? fields.sign : null;
  const service = SERVICES.get(fields.service);
  const base = {
    provider: 'umpay',
    merchantId,
    orderNo: fields.order_id && fields.mer_date ? orderNumber(fields.order_id, fields.mer_date) : (fields.trade_no ?? null),
    operation: service ? `${service.name} ${service.title}` : fields.service,
    rule: RULE,
    given,
    comparison: 'exact' as const,
  };
  const publicKey = merchant?.publicKey;
  if (!publicKey) return { ...base, canonical: null, expected: null, verdict: 'unknown-merchant', variants: [] };
  const privateKey = merchant.privateKey;

  const platform = context.platformKeys?.();
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    const decrypted = isSensitive(name) && value !== '' && platform ? decryptField(value, platform.privateKey) : undefined;
    if (decrypted !== undefined) plain[name] = decrypted;
  }
  const correct: Spec = {
    pairs: Object.entries(fields),
    plain,
    declared,
    sorted: true,
    withSignType: false,
    dropEmpty: false,
    urlEncoded: false,
    latin1: false,
    beforeEncryption: false,
  };
  const render = (spec: Spec) => {
    const canonical = canonicalOf(spec);
    const bytes = bytesOf(spec)[0]!;
    const signature = privateKey
      ? createSign('RSA-SHA1').update(bytes).sign(privateKey, 'base64')
      : `(SHA1 ${createHash('sha1').update(bytes).digest('hex')})`;
    return { canonical, signature };
  };
  const verifies = (spec: Spec, signature: string) => bytesOf(spec).some((bytes) => verifyBytes(bytes, signature, publicKey));
  const judged = judgeSignature(correct, MISTAKES, render, given, (_variant, sign, spec) => verifies(spec, sign));
  // Without the merchant's private key the sandbox cannot make the signature: it shows none.
  return { ...base, ...judged, expected: privateKey ? judged.expected : null };
}
