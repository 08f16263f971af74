import type { Context } from 'hono';
import { decodeBytes, normaliseCharset, percentDecodeBytes, type Charset } from '../../core/codec/charset.js';
import { rawBody } from '../../core/exchange.js';
import { isSensitive } from './sensitive.js';

/** A request as it arrived, decoded in the charset it declares. */
export interface UmpayRequest {
  method: string;
  /** Every parameter, decoded; the first of a repeated name wins. */
  fields: Record<string, string>;
  /** The `charset` parameter as sent (undefined when absent). */
  declaredCharset: string | undefined;
  /** The declared charset when it is one of the four (§1.1), else null: answers then go out in UTF-8. */
  charset: Charset | null;
  /** A field whose bytes are not valid in the declared UTF-8 (a GBK body declared as UTF-8), if any. */
  undecodable: string | undefined;
  /** Fields whose spaces were read back as `+` (a base64 value posted without URL-encoding). */
  plusRestored: string[];
}

interface RawField {
  name: string;
  bytes: Buffer;
}

/**
 * Reads the parameters of the gateway (§2.2.1): a GET carries them URL-encoded
 * in the query string, a POST as a form body. The body is read as bytes and
 * decoded in the charset the request declares (`charset`): a GBK form encodes
 * 中 as `%D6%D0` and must not pass through UTF-8. A GET's values are
 * URL-encoded in UTF-8 whatever the charset ("编码字符集UTF-8"); a GET whose
 * bytes are not UTF-8 is read in the declared charset instead.
 */
export async function readRequest(c: Context): Promise<UmpayRequest> {
  const query = new URL(c.req.url).search.replace(/^\?/, '');
  let source: Buffer = Buffer.from(query, 'latin1');
  let fromQuery = true;
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const body = await rawBody(c);
    // A POST with an empty body and its parameters in the URL is read from the URL.
    if (body.byteLength > 0 || query === '') {
      source = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      fromQuery = false;
    }
  }
  return { method: c.req.method, ...readFields(source, fromQuery) };
}

/**
 * The parameters in `source` (a query string, or a form body when `fromQuery`
 * is false), decoded as {@link readRequest} says: the gateway's reading, also
 * used by the signature diagnosis on the bytes the journal kept.
 */
export function readFields(source: Buffer, fromQuery: boolean): Omit<UmpayRequest, 'method'> {
  const raw = splitForm(source);
  const declared = raw.find((field) => field.name === 'charset')?.bytes.toString('latin1');
  const charset = normaliseCharset(declared) ?? null;

  const fields: Record<string, string> = {};
  const plusRestored: string[] = [];
  let undecodable: string | undefined;
  for (const { name, bytes } of raw) {
    if (Object.hasOwn(fields, name)) continue;
    let value: string;
    const utf8 = strictUtf8(bytes);
    if (fromQuery && utf8 !== undefined) value = utf8;
    else if (charset === 'UTF-8' || charset === null) {
      if (utf8 === undefined && charset === 'UTF-8') undecodable ??= name;
      value = utf8 ?? decodeBytes(bytes, 'UTF-8');
    } else value = decodeBytes(bytes, charset);
    // "POST时参数值不需要做URL编码" (§2.2.1): a base64 `+` posted as is arrives as a space; base64 has no spaces.
    if ((name === 'sign' || isSensitive(name)) && value.includes(' ')) {
      value = value.replace(/ /g, '+');
      plusRestored.push(name);
    }
    fields[name] = value;
  }
  return { fields, declaredCharset: declared, charset, undecodable, plusRestored };
}

/** `k=v&…` into names and percent-decoded value bytes (`+` is a space, as in any form). */
function splitForm(bytes: Buffer): RawField[] {
  const text = bytes.toString('latin1');
  if (text === '') return [];
  return text
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const name = percentDecodeBytes(at === -1 ? pair : pair.slice(0, at)).toString('latin1');
      return { name, bytes: at === -1 ? Buffer.alloc(0) : percentDecodeBytes(pair.slice(at + 1)) };
    });
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function strictUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
