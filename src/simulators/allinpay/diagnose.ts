import { parseForm, type Charset } from '../../core/codec/charset.js';
import { judgeSignature, looksLikeUrl, type DiagnoseContext, type DiagnoseRequest, type Mistake, type SignatureDiagnosis } from '../../core/diagnosis.js';
import {
  BATCH_FIELDS,
  CANCEL_FIELDS,
  CONFIRM_FIELDS,
  PAY_DATA_SIGNED,
  QUERY_FIELDS,
  REFUND_FIELDS,
  REFUND_QUERY_FIELDS,
  WEB_ORDER_SIGNED,
  WEB_ORDER_V2_SIGNED,
  type Fields,
} from './fields.js';
import { charsetOf, INPUT_CHARSETS } from './request.js';
import { md5Upper } from './signature.js';

const RULE =
  'signMsg = MD5(every non-empty field in the order of the interface\'s table (never sorted), as name=value joined with &, ' +
  'then "&key=" + MD5 key), upper case; orders hash the bytes of the charset inputCharset names (or UTF-8), the other interfaces UTF-8; ' +
  'compared without regard to case (§5.1, §5.2)';

/** An interface that takes a signMsg: its name, the fields it signs in order, the charset its Chinese is hashed in. */
interface Interface {
  operation: string;
  order: readonly string[];
  /** True for the orders (payData, the web form): hashed in the inputCharset's bytes. */
  hashesInputCharset: boolean;
}

const BY_VERSION: Record<string, Interface> = {
  'v1.5': { operation: '单笔订单查询 v1.5', order: QUERY_FIELDS, hashesInputCharset: false },
  'v1.6': { operation: '批量订单查询 v1.6', order: BATCH_FIELDS, hashesInputCharset: false },
  'v2.3': { operation: '单笔订单退款 v2.3', order: REFUND_FIELDS, hashesInputCharset: false },
  'v2.4': { operation: '退款状态查询 v2.4', order: REFUND_QUERY_FIELDS, hashesInputCharset: false },
  'v1.8': { operation: '外卡预授权撤销 v1.8', order: CANCEL_FIELDS, hashesInputCharset: false },
  'v1.9': { operation: '外卡预授权确认 v1.9', order: CONFIRM_FIELDS, hashesInputCharset: false },
};
const PAY_DATA: Interface = { operation: 'payData 支付请求 v1.0', order: PAY_DATA_SIGNED, hashesInputCharset: true };
const web = (version: string): Interface => ({
  operation: `网关订单 ${version}`,
  order: version === 'v2.0' ? WEB_ORDER_V2_SIGNED : WEB_ORDER_SIGNED,
  hashesInputCharset: true,
});

/** Which interface a request is: by its path where it has one (the workbench may paste a bare body), else by version. */
function interfaceOf(path: string, fields: Fields): Interface | undefined {
  const route = path.split('?')[0] ?? '';
  const version = fields.version ?? '';
  if (/\/mobile\/pay$/.test(route)) return PAY_DATA;
  if (/\/mchtoq\/refundQuery$/.test(route)) return BY_VERSION['v2.4'];
  if (/\/mchtoq\/index\.do$/.test(route)) return BY_VERSION['v1.6'];
  if (version === 'v1.0' || version === 'v2.0') return fields.pickupUrl !== undefined || /\/gateway\/index\.do$/.test(route) || version === 'v2.0' ? web(version) : PAY_DATA;
  return BY_VERSION[version];
}

function jsonFields(text: string | undefined): Fields | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    return Object.fromEntries(
      Object.entries(value).filter(([, item]) => typeof item === 'string' || typeof item === 'number').map(([name, item]) => [name, String(item)]),
    );
  } catch {
    return null;
  }
}

/**
 * The fields as the gateway reads them: payData as a JSON body or as the form
 * field `payData` (with any fields beside it), a form body, or the query
 * string of a GET (or of a POST without a body); Chinese decoded in the
 * charset inputCharset names.
 */
function readFields(request: DiagnoseRequest): Fields | null {
  let bytes: Uint8Array = request.bytes;
  let path = request.path;
  const text = Buffer.from(bytes).toString('utf8').trim();
  if (looksLikeUrl(text)) {
    path = text;
    bytes = new Uint8Array(0);
  }
  if (text.startsWith('{')) return jsonFields(text);
  const source = bytes.byteLength > 0 ? bytes : Buffer.from(path.includes('?') ? path.slice(path.indexOf('?') + 1) : '', 'latin1');
  const first = parseForm(source);
  const charset = INPUT_CHARSETS[first.inputCharset ?? jsonFields(first.payData)?.inputCharset ?? ''];
  const form = charset && charset !== 'UTF-8' ? parseForm(source, charset) : first;
  if (form.payData === undefined) return form;
  const { payData, ...beside } = form;
  const inner = jsonFields(payData);
  return inner ? { ...beside, ...inner } : null;
}

interface Spec {
  fields: Fields;
  order: readonly string[];
  key: string;
  charset: Charset;
  keepEmpty: boolean;
  sortedByName: boolean;
  keyJoin: string;
  ampersands: boolean;
  withCardNo: boolean;
  urlEncoded: boolean;
  gbk: boolean;
}

function canonicalOf(spec: Spec): string {
  let names = [...spec.order];
  if (spec.withCardNo) names.push('cardNo');
  if (spec.sortedByName) names = names.sort();
  const source = names
    .filter((name) => spec.fields[name] !== undefined && (spec.keepEmpty || spec.fields[name] !== ''))
    .map((name) => `${name}=${spec.urlEncoded ? encodeURIComponent(spec.fields[name]!) : spec.fields[name]}`)
    .join('&');
  return spec.ampersands ? `&${source}&${spec.keyJoin}${spec.key}` : `${source}${spec.keyJoin}${spec.key}`;
}

const sign = (spec: Spec) => {
  const canonical = canonicalOf(spec);
  return { canonical, signature: md5Upper(canonical, spec.gbk ? 'GBK' : spec.charset) };
};

/** The gateway's check: the declared charset's bytes, or UTF-8's (the official SDK always hashes UTF-8), either hex case. */
function accepted(spec: Spec, given: string): boolean {
  const canonical = canonicalOf(spec);
  const charsets: string[] = spec.gbk ? ['GBK'] : [spec.charset, 'UTF-8'];
  return charsets.some((charset) => md5Upper(canonical, charset) === given.toUpperCase());
}

const MISTAKES: Mistake<Spec>[] = [
  { label: 'empty fields kept as name= (§5.1: only non-empty fields are signed)', apply: (s) => ({ ...s, keepEmpty: true }) },
  { label: 'fields sorted by name, not in the order of the interface\'s table (§5.1 按照报文字段的先后顺序)', apply: (s) => ({ ...s, sortedByName: true }) },
  { label: 'the key appended without "&key="', apply: (s) => ({ ...s, keyJoin: '' }) },
  { label: '"&" added at the head and tail of the source, as §5.1\'s note reads (no client does: the example reproduces without)', apply: (s) => ({ ...s, ampersands: true }) },
  { label: 'cardNo signed too (§2.1: "该字段不参与 signMsg 的计算")', apply: (s) => ({ ...s, withCardNo: true }) },
  { label: 'values URL-encoded (the source takes raw values)', apply: (s) => ({ ...s, urlEncoded: true }) },
  { label: 'Chinese hashed as GBK bytes while inputCharset says UTF-8', apply: (s) => ({ ...s, gbk: true }) },
];

/**
 * Diagnoses an Allinpay request (§5): payData, the web order form, the
 * queries, refund and pre-authorisation requests — the fixed field order of
 * the interface's table, the string hashed (the key included: this is a
 * sandbox), and which usual mistakes give the signMsg sent.
 */
export function diagnose(request: DiagnoseRequest, context: DiagnoseContext): SignatureDiagnosis | null {
  const fields = readFields(request);
  if (!fields || (fields.signMsg === undefined && fields.merchantId === undefined)) return null;
  const which = interfaceOf(request.path, fields);
  if (!which) return null;
  const merchantId = context.merchantId ?? fields.merchantId ?? null;
  const merchant = merchantId ? context.merchant(merchantId) : undefined;
  const given = fields.signMsg ? fields.signMsg : null;
  const base = {
    provider: 'allinpay',
    merchantId,
    orderNo: fields.orderNo || null,
    operation: which.operation,
    rule: RULE,
    given,
    comparison: 'case-insensitive' as const,
  };
  if (!merchant?.md5Key) return { ...base, canonical: null, expected: null, verdict: 'unknown-merchant', variants: [] };
  const correct: Spec = {
    fields,
    order: which.order,
    key: merchant.md5Key,
    charset: which.hashesInputCharset ? charsetOf(fields.inputCharset) : 'UTF-8',
    keepEmpty: false,
    sortedByName: false,
    keyJoin: '&key=',
    ampersands: false,
    withCardNo: false,
    urlEncoded: false,
    gbk: false,
  };
  return { ...base, ...judgeSignature(correct, MISTAKES, sign, given, (_variant, signMsg, spec) => accepted(spec, signMsg)) };
}
