/**
 * PHP's `json_encode($value, JSON_UNESCAPED_UNICODE)`, which MMSP's signature is
 * computed over (扫码 §3.3.2: "中文不需要转码，url连接需要对斜杠转定义"):
 * - Chinese and other non-ASCII text stays raw (JSON_UNESCAPED_UNICODE);
 * - `/` is escaped as `\/` (PHP's default; FAQ: the escaping is only for the
 *   signature, the submitted value keeps its plain slashes);
 * - U+2028 and U+2029 are still escaped, as PHP >= 7.1 does without
 *   JSON_UNESCAPED_LINE_TERMINATORS;
 * - control characters become `\u00xx` in lower-case hex;
 * - no whitespace; every value keeps its JSON type ("1" is not 1: FAQ item 3).
 *
 * @example
 * phpJsonEncode({ URL: 'http://a.cn/b', NAME: '张三' }); // '{"URL":"http:\/\/a.cn\/b","NAME":"张三"}'
 */
export function phpJsonEncode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('PHP json_encode cannot encode INF or NAN');
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (Array.isArray(value)) return `[${value.map(phpJsonEncode).join(',')}]`;
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([key, item]) => `${encodeString(key)}:${phpJsonEncode(item)}`)
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

function encodeString(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${text.replace(/["\\/\u0000-\u001f\u2028\u2029]/g, (ch) => {
    return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  })}"`;
}

/** The object with its top-level keys sorted A–Z by code unit (扫码 §3.3.2 step 2). */
export function sortKeys(body: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(body).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) sorted[key] = body[key];
  return sorted;
}
