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
  // Every charset a provider declares reads ASCII as ASCII, so a part with nothing encoded is its own text.
  const asciiAsIs = !charset || normaliseCharset(charset) !== undefined;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = percentDecode(at === -1 ? pair : pair.slice(0, at), charset, asciiAsIs);
    const value = at === -1 ? '' : percentDecode(pair.slice(at + 1), charset, asciiAsIs);
    if (!fields.has(name)) fields.set(name, value);
  }
  return Object.fromEntries(fields);
}

function percentDecode(part: string, charset: string | null | undefined, asciiAsIs: boolean): string {
  if (asciiAsIs && !NEEDS_DECODING.test(part)) return part;
  return decodeBytes(percentDecodeBytes(part), charset);
}

/**
 * The bytes of one percent-encoded form part, given one byte per character (Latin-1): `+` is a space and `%XY` a
 * byte; a `%` not followed by two hex digits stays as it is (as the providers' servlet containers read it). Written
 * byte by byte into one buffer: a regular expression per character and an array of numbers made parsing a form cost
 * more than verifying its RSA signature.
 */
export function percentDecodeBytes(part: string): Buffer {
  const bytes = Buffer.allocUnsafe(part.length);
  let length = 0;
  for (let i = 0; i < part.length; i++) {
    const code = part.charCodeAt(i);
    const high = code === PERCENT ? hexValue(part.charCodeAt(i + 1)) : -1;
    const low = high >= 0 ? hexValue(part.charCodeAt(i + 2)) : -1;
    if (low >= 0) {
      bytes[length++] = high * 16 + low;
      i += 2;
    } else {
      // A character past Latin-1 keeps its low byte, as a Buffer would.
      bytes[length++] = code === PLUS ? SPACE : code & 0xff;
    }
  }
  return bytes.subarray(0, length);
}

const NEEDS_DECODING = /[%+\u0080-\u00ff]/;
const PERCENT = 0x25;
const PLUS = 0x2b;
const SPACE = 0x20;

/** 0–15 for a hex digit's character code, -1 for anything else (NaN past the end of the string included). */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** Encodes form fields with percent-encoding of the bytes of `charset`, for notifications and replies. */
export function encodeForm(fields: Record<string, string>, charset?: string | null): string {
  return Object.entries(fields)
    .map(([name, value]) => `${percentEncode(name, charset)}=${percentEncode(value, charset)}`)
    .join('&');
}

function percentEncode(text: string, charset?: string | null): string {
  let out = '';
  for (const byte of encodeText(text, charset)) out += ENCODED_BYTE[byte];
  return out;
}

/** Each byte as a form writes it: letters, digits and `*-._` as they are, a space as `+`, the rest as `%XY`. */
const ENCODED_BYTE = Array.from({ length: 256 }, (_, byte) => {
  const ch = String.fromCharCode(byte);
  return /[A-Za-z0-9*\-._]/.test(ch) ? ch : byte === 0x20 ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});
