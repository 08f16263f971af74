import { md5Hex } from '../../core/crypto/md5.js';
import {
  judgeSignature,
  looksLikeUrl,
  queryPairs,
  type DiagnoseContext,
  type DiagnoseRequest,
  type Mistake,
  type SignatureDiagnosis,
} from '../../core/diagnosis.js';

const RULE =
  'sign = md5 of every parameter but sign, empty values removed, plus secret=SECRET, sorted by name (ksort), ' +
  'joined as k=v&k=v with raw values (not URL-encoded), lower case; compared exactly (§4 签名规则)';

interface Spec {
  pairs: [string, string][];
  secret: string;
  dropEmpty: boolean;
  sorted: boolean;
  secretSorted: boolean;
  secretName: string;
  encodeValues: boolean;
  upper: boolean;
}

function sign(spec: Spec): { canonical: string; signature: string } {
  let entries = spec.pairs.filter(([key, value]) => key !== 'sign' && (!spec.dropEmpty || value !== ''));
  const byName = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const secret: [string, string] = [spec.secretName, spec.secret];
  if (spec.secretSorted) entries = [...entries, secret];
  if (spec.sorted) entries = [...entries].sort(byName);
  if (!spec.secretSorted) entries = [...entries, secret];
  const canonical = entries.map(([key, value]) => `${key}=${spec.encodeValues ? encodeURIComponent(value) : value}`).join('&');
  const hex = md5Hex(canonical);
  return { canonical, signature: spec.upper ? hex.toUpperCase() : hex };
}

const MISTAKES: Mistake<Spec>[] = [
  { label: 'empty values kept (that is the callback rule, not the request rule)', apply: (s) => ({ ...s, dropEmpty: false }) },
  { label: 'parameters in the order sent, not sorted by name', apply: (s) => ({ ...s, sorted: false }) },
  { label: 'secret appended last instead of sorted in with the others', apply: (s) => ({ ...s, secretSorted: false }) },
  { label: 'MD5 in upper case (the platform compares the lower-case hex exactly)', apply: (s) => ({ ...s, upper: true }) },
  { label: 'values URL-encoded ("url不用encode")', apply: (s) => ({ ...s, encodeValues: true }) },
  { label: 'the secret named key= instead of secret=', apply: (s) => ({ ...s, secretName: 'key' }) },
];

function stringPairs(value: Record<string, unknown>): [string, string][] {
  return Object.entries(value).map(([key, item]) => [key, item === null || item === undefined ? '' : String(item)]);
}

/** The parameters in the order sent: the query of a GET, a JSON object, a multipart or URL-encoded form. */
async function readPairs(request: DiagnoseRequest): Promise<[string, string][] | null> {
  const text = Buffer.from(request.bytes).toString('utf8');
  if (request.method === 'GET' || (text.trim() === '' && request.path.includes('?'))) return queryPairs(request.path);
  if (looksLikeUrl(text)) return queryPairs(text.trim());
  const type = request.contentType ?? '';
  if (type.includes('application/json') || text.trim().startsWith('{')) {
    try {
      const value: unknown = JSON.parse(text);
      return value && typeof value === 'object' && !Array.isArray(value) ? stringPairs(value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  if (type.includes('multipart/form-data')) {
    try {
      const form = await new Response(Buffer.from(request.bytes), { headers: { 'content-type': type } }).formData();
      return [...form.entries()].map(([key, value]) => [key, typeof value === 'string' ? value : '']);
    } catch {
      return null;
    }
  }
  return [...new URLSearchParams(text.trim()).entries()];
}

/** Diagnoses a unified order or an order query (§4): the sign of a request drops empty values; a callback's keeps them. */
export async function diagnose(request: DiagnoseRequest, context: DiagnoseContext): Promise<SignatureDiagnosis | null> {
  const pairs = await readPairs(request);
  if (!pairs) return null;
  const params = Object.fromEntries(pairs);
  if (params.appid === undefined && params.sign === undefined) return null;
  const merchantId = context.merchantId ?? params.appid ?? null;
  const merchant = merchantId ? context.merchant(merchantId) : undefined;
  const given = params.sign ? params.sign : null;
  const base = {
    provider: 'aggpay',
    merchantId,
    orderNo: params.order_no || null,
    operation: request.path.includes('check_order') ? 'check_order 订单查询' : request.path.includes('unified') ? 'unified 统一下单' : null,
    rule: RULE,
    given,
    comparison: 'exact' as const,
  };
  if (!merchant?.md5Key) return { ...base, canonical: null, expected: null, verdict: 'unknown-merchant', variants: [] };
  const correct: Spec = {
    pairs,
    secret: merchant.md5Key,
    dropEmpty: true,
    sorted: true,
    secretSorted: true,
    secretName: 'secret',
    encodeValues: false,
    upper: false,
  };
  return { ...base, ...judgeSignature(correct, MISTAKES, sign, given, (a, b) => a === b) };
}
