/**
 * Charsets for the merchant-side helpers, with nothing but what Node ships:
 * the testkit is also built to CommonJS and may import only `node:` modules,
 * so there is no iconv-lite here.
 *
 * - Decoding GBK (GB2312, GB18030) is `TextDecoder`'s (Node's ICU).
 * - Encoding GBK, which `TextEncoder` cannot do, uses a table built once, on
 *   first use, by decoding every two-byte GBK sequence with `TextDecoder('gbk')`
 *   and keeping the first sequence of each character (as the WHATWG encoder
 *   takes the first pointer), plus `€` = 0x80. A character that table does not
 *   hold is unmappable: everything outside GBK, GBK's user-defined area
 *   (Private Use Area code points), and the 82 characters ICU decodes to the
 *   Private Use Area where iconv-lite uses GB18030-2005's real code points
 *   (⺁, ⿰, ḿ…; none of them a CJK Unified Ideograph). For every other
 *   character the bytes are iconv-lite's (the sandbox's): `charset.test.ts`
 *   compares the whole Basic Multilingual Plane.
 */

/** The charsets the providers let a merchant declare. */
export type Charset = 'UTF-8' | 'GBK' | 'GB2312' | 'GB18030';

/** `utf8`, `gbk`, `GB-2312`… → one spelling; undefined for another name. */
export function charsetName(name: string | null | undefined): Charset | undefined {
  const key = (name ?? '').trim().toUpperCase().replace(/[-_]/g, '');
  if (key === 'UTF8') return 'UTF-8';
  if (key === 'GBK' || key === 'CP936') return 'GBK';
  if (key === 'GB2312') return 'GB2312';
  if (key === 'GB18030') return 'GB18030';
  return undefined;
}

/** Thrown when text holds a character the charset cannot encode. */
export class UnmappableCharacterError extends Error {
  constructor(
    readonly character: string,
    readonly charset: string,
  ) {
    super(`${JSON.stringify(character)} (U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) has no ${charset} encoding: pass the bytes instead`);
  }
}

let gbkTable: Map<number, number> | null | undefined;

/** Code unit → GBK bytes (as lead << 8 | trail, or a single byte); null where this Node has no GBK decoder. */
function table(): Map<number, number> | null {
  if (gbkTable !== undefined) return gbkTable;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('gbk');
  } catch {
    // A Node built without full ICU: only ASCII can be encoded.
    return (gbkTable = null);
  }
  const map = new Map<number, number>([[0x20ac, 0x80]]);
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const text = decoder.decode(pair);
      if (text.length !== 1) continue;
      const code = text.charCodeAt(0);
      // U+FFFD: no character there; the Private Use Area: ICU's reading of GB18030-2005's remapped characters.
      if (code < 0x80 || code === 0xfffd || (code >= 0xe000 && code <= 0xf8ff)) continue;
      if (!map.has(code)) map.set(code, (lead << 8) | trail);
    }
  }
  return (gbkTable = map);
}

export interface EncodeOptions {
  /**
   * What an unmappable character becomes: `throw` (the default) an
   * {@link UnmappableCharacterError}; `replace` a `?`, as iconv-lite and
   * Java's `String.getBytes("GBK")` do (what a platform that signs with them
   * signed).
   */
  unmappable?: 'throw' | 'replace';
}

/**
 * Text → GBK bytes. GB2312 text is GBK's subset; GB18030 text that GBK can
 * encode has the same bytes (only characters outside GBK take GB18030's
 * four-byte form, and those are unmappable here).
 *
 * @example
 * encodeGbk('张三'); // <Buffer d5 c5 c8 fd>
 */
export function encodeGbk(text: string, options: EncodeOptions = {}): Buffer {
  const out: number[] = [];
  let map: Map<number, number> | null | undefined;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    map ??= table();
    const bytes = code <= 0xffff ? map?.get(code) : undefined;
    if (bytes === undefined) {
      if (options.unmappable === 'replace') out.push(0x3f);
      else throw new UnmappableCharacterError(ch, 'GBK');
    } else if (bytes > 0xff) out.push(bytes >> 8, bytes & 0xff);
    else out.push(bytes);
  }
  return Buffer.from(out);
}

/** Text → bytes in `charset` (UTF-8 when absent; GB2312 and GB18030 as GBK, see {@link encodeGbk}). */
export function encodeText(text: string, charset?: string | null, options: EncodeOptions = {}): Buffer {
  const name = charsetName(charset) ?? 'UTF-8';
  return name === 'UTF-8' ? Buffer.from(text, 'utf8') : encodeGbk(text, options);
}

/** Bytes → text in `charset` (UTF-8 when absent; GB2312 read as GBK, its superset). */
export function decodeText(bytes: Uint8Array, charset?: string | null): string {
  const name = charsetName(charset) ?? 'UTF-8';
  const label = name === 'UTF-8' ? 'utf-8' : name === 'GB18030' ? 'gb18030' : 'gbk';
  return new TextDecoder(label).decode(bytes);
}

/**
 * A percent-encoded part as text (`+` a space): each run of `%XX` bytes and of
 * raw bytes (`rawBytes`: a body read as latin1) is decoded in `charset`; raw
 * characters of a string body are text already and kept.
 */
function percentDecode(part: string, charset: string | null | undefined, rawBytes: boolean): string {
  const text = part.replace(/\+/g, ' ');
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) out += decodeText(Uint8Array.from(bytes), charset);
    bytes = [];
  };
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '%' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (rawBytes || text.charCodeAt(i) < 0x80) {
      bytes.push(text.charCodeAt(i) & 0xff);
    } else {
      flush();
      out += text[i];
    }
  }
  flush();
  return out;
}

/**
 * A form body or a query string (`a=1&b=%D5%C5`), percent-decoded to bytes and
 * read in `charset` — a GBK form writes 张 as `%D5%C5`, which
 * `URLSearchParams` would read as UTF-8 and break. `charset` may be a
 * function of the raw pairs (e.g. the form's own `charset` field). The first
 * of repeated names wins; own properties only, so `__proto__` is a field.
 */
export function parseForm(
  body: string | Uint8Array,
  charset?: string | null | ((raw: Map<string, string>) => string | null | undefined),
): Record<string, string> {
  const rawBytes = typeof body !== 'string';
  const text = rawBytes ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1') : body;
  const raw = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    // Names are ASCII on every provider's wire.
    const name = percentDecode(at === -1 ? pair : pair.slice(0, at), 'UTF-8', rawBytes);
    if (!raw.has(name)) raw.set(name, at === -1 ? '' : pair.slice(at + 1));
  }
  const chosen = typeof charset === 'function' ? charset(raw) : charset;
  return Object.fromEntries([...raw].map(([name, value]) => [name, percentDecode(value, chosen, rawBytes)]));
}
