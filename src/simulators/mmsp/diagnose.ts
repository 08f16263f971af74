import { phpJsonEncode, sortKeys } from '../../core/codec/php-json.js';
import { md5Hex, sameHex } from '../../core/crypto/md5.js';
import { judgeSignature, type DiagnoseContext, type DiagnoseRequest, type Mistake, type SignatureDiagnosis } from '../../core/diagnosis.js';
import { GATEWAY_PAY_COMMAND } from './gateway/pay.js';
import { diagnosePayout } from './payout/diagnose.js';
import { COMMANDS } from './routes.js';
import { qqMicropayByDocument } from './scan/micropay.js';

const RULE =
  'Sign = MD5(json_encode(Body with its keys sorted A–Z, JSON_UNESCAPED_UNICODE) + "&key=" + MD5 key), upper case; ' +
  '"/" stays escaped as "\\/" (PHP\'s default); compared without regard to case (扫码 §3.3.2)';

interface Spec {
  body: Record<string, unknown>;
  key: string;
  sorted: boolean;
  escapeSlashes: boolean;
  escapeUnicode: boolean;
  dropEmpty: boolean;
  numbersAsStrings: boolean;
  keyJoin: string;
}

function sign(spec: Spec): { canonical: string; signature: string } {
  let entries = Object.entries(spec.body);
  if (spec.dropEmpty) entries = entries.filter(([, value]) => value !== '' && value !== null);
  if (spec.numbersAsStrings) entries = entries.map(([key, value]) => [key, typeof value === 'number' ? String(value) : value]);
  let body = Object.fromEntries(entries);
  if (spec.sorted) body = sortKeys(body);
  let json = phpJsonEncode(body, { unescapedUnicode: !spec.escapeUnicode });
  if (!spec.escapeSlashes) json = json.replaceAll('\\/', '/');
  const canonical = `${json}${spec.keyJoin}${spec.key}`;
  return { canonical, signature: md5Hex(canonical).toUpperCase() };
}

/** The mistakes merchants make with this rule, most common first. */
const MISTAKES: Mistake<Spec>[] = [
  { label: '"/" left unescaped (JSON_UNESCAPED_SLASHES, or a JSON library that does not escape it)', apply: (s) => ({ ...s, escapeSlashes: false }) },
  { label: 'Chinese written as \\u escapes (json_encode without JSON_UNESCAPED_UNICODE)', apply: (s) => ({ ...s, escapeUnicode: true }) },
  { label: 'keys in the order sent, not sorted A–Z', apply: (s) => ({ ...s, sorted: false }) },
  { label: 'empty values dropped', apply: (s) => ({ ...s, dropEmpty: true }) },
  { label: 'numbers signed as strings ("1" instead of 1)', apply: (s) => ({ ...s, numbersAsStrings: true }) },
  { label: 'the key appended without "&key="', apply: (s) => ({ ...s, keyJoin: '' }) },
];

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : null);

/** The form field of the gateway's browser form (网关 §5.1.2) that carries the envelope. */
const WEB_API = 'web_api';

/**
 * The envelope's text: the body itself (scan, quick pay, gateway queries,
 * payouts), or the `web_api` field of the gateway's form, URL-encoded or
 * multipart as a browser posts it.
 */
async function envelopeText(request: DiagnoseRequest): Promise<string | null> {
  const text = Buffer.from(request.bytes).toString('utf8');
  if (text.trimStart().startsWith('{')) return text;
  const type = request.contentType ?? '';
  if (type.includes('multipart/form-data')) {
    try {
      const form = await new Response(Buffer.from(request.bytes), { headers: { 'content-type': type } }).formData();
      const value = form.get(WEB_API);
      return typeof value === 'string' ? value : null;
    } catch {
      return null;
    }
  }
  return new URLSearchParams(text.trim()).get(WEB_API);
}

/**
 * Diagnoses an MMSP JSON envelope (扫码 §3.1, 快捷 §3.1, 网关 §5.1's `web_api`
 * form): whose key signs it (the agent's when AGENTNO names another merchant,
 * §3.1 签名要求), the string signed, and which usual mistakes would give the
 * Sign the merchant sent. A payout envelope (`ENCRYPT` + `SIGN`) is opened and
 * checked by payout/diagnose.ts.
 */
export async function diagnose(request: DiagnoseRequest, context: DiagnoseContext): Promise<SignatureDiagnosis | null> {
  const raw = await envelopeText(request);
  if (raw === null) return null;
  let envelope: unknown;
  try {
    envelope = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!envelope || typeof envelope !== 'object' || Array.isArray(envelope)) return null;
  const header = envelope as Record<string, unknown>;
  if (header.ENCRYPT !== undefined && header.Body === undefined) return diagnosePayout(header, context);
  const body = header.Body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const fields = body as Record<string, unknown>;
  const merno = text(header.MERNO ?? header.MERNNO ?? header.MERN0);
  const agent = text(header.AGENTNO);
  const signerId = context.merchantId ?? (agent && agent !== merno ? agent : merno);
  const signer = signerId ? context.merchant(signerId) : undefined;
  const given = typeof header.Sign === 'string' && header.Sign !== '' ? header.Sign : null;
  const commandId = Number(header.CommandID);
  const base = {
    provider: 'mmsp',
    merchantId: signerId,
    orderNo: text(fields.MERORDERID) ?? text(fields.ORDERNO) ?? text(fields.REFUND_MERORDERID) ?? text(fields.LIST_ID),
    operation:
      commandId === GATEWAY_PAY_COMMAND
        ? `${GATEWAY_PAY_COMMAND} 网关支付请求`
        : // 776 with CODE is the scan document's QQ micropay, any other quick pay's 绑卡查询 (MMSP-12), as the router reads it.
          commandId === qqMicropayByDocument.id && fields.CODE !== undefined
          ? qqMicropayByDocument.name
          : (COMMANDS.find((command) => command.id === commandId)?.name ?? (Number.isFinite(commandId) ? `CommandID ${commandId}` : null)),
    rule: RULE,
    given,
    comparison: 'case-insensitive' as const,
  };
  if (!signer?.md5Key) return { ...base, canonical: null, expected: null, verdict: 'unknown-merchant', variants: [] };
  const correct: Spec = {
    body: fields,
    key: signer.md5Key,
    sorted: true,
    escapeSlashes: true,
    escapeUnicode: false,
    dropEmpty: false,
    numbersAsStrings: false,
    keyJoin: '&key=',
  };
  return { ...base, ...judgeSignature(correct, MISTAKES, sign, given, sameHex) };
}
