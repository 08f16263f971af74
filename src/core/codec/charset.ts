import iconv from 'iconv-lite';

/**
 * The charsets providers let a request declare (UMPay `charset`, Allinpay
 * `inputCharset`: UTF-8, GBK, GB2312, GB18030). Names are normalised to one
 * spelling; anything else is refused by the simulator in its own error form.
 */
export const CHARSETS = ['UTF-8', 'GBK', 'GB2312', 'GB18030'] as const;
export type Charset = (typeof CHARSETS)[number];

/** `utf8`, `gbk`, `GB-2312`… → the canonical name, or undefined when it is not one the providers accept. */
export function normaliseCharset(name: string | null | undefined): Charset | undefined {
  if (!name) return undefined;
  const key = name.trim().toUpperCase().replace(/[-_]/g, '');
  if (key === 'UTF8') return 'UTF-8';
  if (key === 'GBK' || key === 'CP936') return 'GBK';
  if (key === 'GB2312') return 'GB2312';
  if (key === 'GB18030') return 'GB18030';
  return undefined;
}

/** The `charset=` parameter of a Content-Type header, as written. */
export function charsetOfContentType(contentType: string | null | undefined): string | undefined {
  const match = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType) : null;
  return match?.[1];
}

/**
 * Bytes → text in `charset` (UTF-8 when absent or unknown to iconv-lite).
 * GB2312 is decoded as GBK, its superset, as the providers' servers do.
 */
export function decodeBytes(bytes: Uint8Array, charset?: string | null): string {
  const name = normaliseCharset(charset) ?? (charset && iconv.encodingExists(charset) ? charset : 'UTF-8');
  if (name === 'UTF-8') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name === 'GB2312' ? 'GBK' : name);
}

/** Text → bytes in `charset` (UTF-8 when absent). */
export function encodeText(text: string, charset?: string | null): Buffer {
  const name = normaliseCharset(charset) ?? 'UTF-8';
  if (name === 'UTF-8') return Buffer.from(text, 'utf8');
  return iconv.encode(text, name === 'GB2312' ? 'GBK' : name);
}

/** Text, or bytes decoded in `charset`: how the journal and the admin API show a body. */
export function bodyText(body: Uint8Array | string | null | undefined, charset?: string | null): string {
  if (body === null || body === undefined) return '';
  return typeof body === 'string' ? body : decodeBytes(body, charset);
}

/**
 * Decodes a form body (`k=v&…`, percent-encoded bytes) in `charset`: a GBK form
 * encodes 中 as `%D6%D0`, which `URLSearchParams` would read as UTF-8 and break.
 * Repeated keys keep the first value, as the providers' servlet containers do.
 */
export function parseForm(body: Uint8Array | string, charset?: string | null): Record<string, string> {
  // Latin-1 maps each byte to one character, so percent-decoding below works on exact bytes.
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const text = bytes.toString('latin1');
  // A Map, then own properties: a field named __proto__ is a field (it is signed), not the object's prototype.
  const fields = new Map<string, string>();
  if (text === '') return {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = percentDecode(at === -1 ? pair : pair.slice(0, at), charset);
    const value = at === -1 ? '' : percentDecode(pair.slice(at + 1), charset);
    if (!fields.has(name)) fields.set(name, value);
  }
  return Object.fromEntries(fields);
}

function percentDecode(part: string, charset?: string | null): string {
  const text = part.replace(/\+/g, ' ');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '%' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i));
    }
  }
  return decodeBytes(Uint8Array.from(bytes), charset);
}

/** Encodes form fields with percent-encoding of the bytes of `charset`, for notifications and replies. */
export function encodeForm(fields: Record<string, string>, charset?: string | null): string {
  return Object.entries(fields)
    .map(([name, value]) => `${percentEncode(name, charset)}=${percentEncode(value, charset)}`)
    .join('&');
}

function percentEncode(text: string, charset?: string | null): string {
  let out = '';
  for (const byte of encodeText(text, charset)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9*\-._]/.test(ch) ? ch : byte === 0x20 ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
