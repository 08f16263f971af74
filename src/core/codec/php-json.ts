export interface PhpJsonOptions {
  /** JSON_UNESCAPED_UNICODE: leave non-ASCII text raw instead of `\uXXXX`. */
  unescapedUnicode?: boolean;
}

/**
 * PHP's `json_encode`, byte for byte, for providers written in PHP: MMSP signs
 * over `json_encode($body, JSON_UNESCAPED_UNICODE)`; the aggregated platform
 * answers with plain `json_encode` (Chinese as `\u67e5…`).
 * - `/` is escaped as `\/` (PHP's default, no JSON_UNESCAPED_SLASHES);
 * - without JSON_UNESCAPED_UNICODE, every non-ASCII UTF-16 unit becomes
 *   `\uxxxx` in lower-case hex (astral characters as surrogate pairs);
 * - with it, U+2028 and U+2029 are still escaped, as PHP >= 7.1 does without
 *   JSON_UNESCAPED_LINE_TERMINATORS;
 * - control characters become `\u00xx`;
 * - no whitespace; every value keeps its JSON type ("1" is not 1).
 *
 * @example
 * phpJsonEncode({ URL: 'http://a.cn/b', NAME: '张三' }, { unescapedUnicode: true }); // '{"URL":"http:\/\/a.cn\/b","NAME":"张三"}'
 * phpJsonEncode({ message: '查询成功' }); // '{"message":"\u67e5\u8be2\u6210\u529f"}'
 */
export function phpJsonEncode(value: unknown, options: PhpJsonOptions = {}): string {
  const escape = options.unescapedUnicode ? RAW_UNICODE : ESCAPED_UNICODE;
  return encode(value, escape);
}

function encode(value: unknown, escape: RegExp): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return encodeString(value, escape);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('PHP json_encode cannot encode INF or NAN');
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (Array.isArray(value)) return `[${value.map((item) => encode(item, escape)).join(',')}]`;
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([key, item]) => `${encodeString(key, escape)}:${encode(item, escape)}`)
        .join(',')}}`;
    default:
      throw new TypeError(`PHP json_encode cannot encode a ${typeof value}`);
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

// eslint-disable-next-line no-control-regex
const RAW_UNICODE = /["\\/\u0000-\u001f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const ESCAPED_UNICODE = /["\\/\u0000-\u001f\u0080-\uffff]/g;

function encodeString(text: string, escape: RegExp): string {
  return `"${text.replace(escape, (ch) => {
    return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  })}"`;
}

/** The object with its top-level keys sorted A–Z by code unit (扫码 §3.3.2 step 2). */
export function sortKeys(body: Record<string, unknown>): Record<string, unknown> {
  // fromEntries defines own properties: a key named __proto__ (JSON.parse makes it an own one) is kept, not lost to the prototype.
  return Object.fromEntries(Object.keys(body).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => [key, body[key]]));
}
