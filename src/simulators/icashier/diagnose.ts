import { md5Hex, sameHex } from '../../core/crypto/md5.js';
import {
  judgeSignature,
  looksLikeUrl,
  queryPairs,
  type DiagnoseContext,
  type DiagnoseRequest,
  type Mistake,
  type SignatureDiagnosis,
} from '../../core/diagnosis.js';

const RULE = 'sign = md5(req + key): req is the Base64 text exactly as sent, before URL-encoding; either hex case (§2.3)';

interface Spec {
  req: string;
  key: string;
  urlEncoded: boolean;
  overJson: boolean;
  keyFirst: boolean;
  joiner: string;
}

function decoded(req: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(req, 'base64'));
  } catch {
    return null;
  }
}

function sign(spec: Spec): { canonical: string; signature: string } {
  let text = spec.req;
  if (spec.overJson) text = decoded(spec.req) ?? spec.req;
  if (spec.urlEncoded) text = encodeURIComponent(text);
  const canonical = spec.keyFirst ? `${spec.key}${spec.joiner}${text}` : `${text}${spec.joiner}${spec.key}`;
  return { canonical, signature: md5Hex(canonical) };
}

const MISTAKES: Mistake<Spec>[] = [
  { label: 'signed the URL-encoded req (+ / = as %2B %2F %3D) instead of the raw Base64', apply: (s) => ({ ...s, urlEncoded: true }) },
  { label: 'signed the JSON before Base64 instead of the Base64 text', apply: (s) => ({ ...s, overJson: true }) },
  { label: 'key put before req', apply: (s) => ({ ...s, keyFirst: true }) },
  { label: '"&key=" between req and key', apply: (s) => ({ ...s, joiner: '&key=' }) },
];

async function readParams(request: DiagnoseRequest): Promise<Record<string, string>> {
  const text = Buffer.from(request.bytes).toString('utf8').trim();
  if (looksLikeUrl(text)) return Object.fromEntries(queryPairs(text));
  const fromQuery = Object.fromEntries(queryPairs(request.path));
  if (text.startsWith('{')) {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      return { ...fromQuery, ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v ?? '')])) };
    } catch {
      return fromQuery;
    }
  }
  // A form parameter wins over the same one in the query string, as the routes read them.
  return { ...fromQuery, ...Object.fromEntries(new URLSearchParams(text)) };
}

/** Diagnoses a cashier request (`req` + `sign`, §2.2/§2.3): submit (GET or POST) or query. */
export async function diagnose(request: DiagnoseRequest, context: DiagnoseContext): Promise<SignatureDiagnosis | null> {
  const params = await readParams(request);
  if (!params.req) return null;
  let message: Record<string, unknown> = {};
  const json = decoded(params.req);
  try {
    const value: unknown = json === null ? null : JSON.parse(json);
    if (value && typeof value === 'object' && !Array.isArray(value)) message = value as Record<string, unknown>;
  } catch {
    message = {};
  }
  const merid = typeof message.merid === 'string' ? message.merid : null;
  const merchantId = context.merchantId ?? merid;
  const merchant = merchantId ? context.merchant(merchantId) : undefined;
  const given = params.sign ? params.sign : null;
  const number = message.orderid ?? message.queryid;
  const base = {
    provider: 'icashier',
    merchantId,
    orderNo: typeof number === 'string' ? number : null,
    operation: request.path.includes('/query') ? '交易查询' : request.path.includes('icashier') ? '交易提交' : null,
    rule: RULE,
    given,
    comparison: 'case-insensitive' as const,
  };
  if (!merchant?.md5Key) return { ...base, canonical: null, expected: null, verdict: 'unknown-merchant', variants: [] };
  const correct: Spec = { req: params.req, key: merchant.md5Key, urlEncoded: false, overJson: false, keyFirst: false, joiner: '' };
  return { ...base, ...judgeSignature(correct, MISTAKES, sign, given, sameHex) };
}
