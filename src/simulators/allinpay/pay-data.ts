import type { Context } from 'hono';
import { charsetOfContentType, decodeBytes, normaliseCharset, parseForm } from '../../core/codec/charset.js';
import { annotate, rawBody } from '../../core/exchange.js';
import { GatewayError } from './errors.js';
import type { Fields } from './fields.js';
import type { Submission } from './order.js';
import { namedCharset } from './request.js';

/** payData's values as text: the document's example sends strings, its table types orderAmount as Number; both are read. */
function textFields(value: unknown): Fields {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new GatewayError('MALFORMED', 'payData须为JSON对象');
  const fields: Fields = {};
  for (const [name, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    if (typeof item === 'string') fields[name] = item;
    else if (typeof item === 'number' && Number.isFinite(item)) fields[name] = String(item);
    else throw new GatewayError('MALFORMED', `payData.${name}须为字符串`);
  }
  return fields;
}

function parseJson(text: string | undefined): Fields {
  if (text === undefined || text.trim() === '') throw new GatewayError('MALFORMED', '缺少payData');
  try {
    return textFields(JSON.parse(text));
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('MALFORMED', 'payData不是合法的JSON');
  }
}

/**
 * `POST /allinpay/mobile/pay` (DESIGN.md: the document gives no address for
 * what the control submits, ALP-1): payData as the JSON body, or as the form
 * field `payData` the way a WebView posts it. The international card fields
 * (§2.1's second table) travel inside payData or as form fields beside it
 * (ALP-7 leaves it open). A form is decoded in its Content-Type's charset,
 * else in the one payData's inputCharset names.
 */
export async function readPayData(c: Context): Promise<Submission> {
  const bytes = await rawBody(c);
  const declared = normaliseCharset(charsetOfContentType(c.req.header('content-type')));
  const isJson = /json/i.test(c.req.header('content-type') ?? '') || bytes[0] === 0x7b; // '{'
  let fields: Fields;
  if (isJson) {
    fields = parseJson(decodeBytes(bytes, declared));
  } else {
    let form = parseForm(bytes, declared);
    fields = { ...form, ...parseJson(form.payData) };
    const named = namedCharset(fields.inputCharset);
    if (!declared && named && named !== 'UTF-8') {
      form = parseForm(bytes, named);
      fields = { ...form, ...parseJson(form.payData) };
    }
    delete fields.payData;
  }
  const charset = namedCharset(fields.inputCharset) ?? 'UTF-8';
  annotate(c, { charset: declared ?? charset });
  return { channel: 'mobile', fields, charset };
}
