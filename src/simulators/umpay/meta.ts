import { platformSign, signingString } from './signature.js';

/**
 * The response carrier of every answer (§2.2.2 响应, `res_format=HTML`): an
 * HTML page whose data sits in the CONTENT attribute of the META tag named
 * MobilePayPlatform — CONTENT upper-case, items `k=v` joined with `&`, no
 * `<`, `>` or `&` inside an item.
 */

const META_NAME = 'MobilePayPlatform';

/**
 * Values the sandbox echoes may hold characters the CONTENT attribute cannot
 * carry (§2.2.2 "不能出现“<”和“>”的字符，每个数据项内不允许出现“&”"): they
 * become their full-width forms, and the signature covers the value as sent.
 */
export function metaSafe(value: string): string {
  return value.replace(/[&<>"\r\n]/g, (ch) => ({ '&': '＆', '<': '＜', '>': '＞', '"': '＂', '\r': ' ', '\n': ' ' })[ch]!);
}

/**
 * Signs answer fields with the platform key: every value made META-safe, keys
 * sorted with `sign_type` among them, `sign` last (research brief §5: the
 * Java SDK sorts the items and drops those starting with `sign`; the Node SDK
 * deletes sign and sign_type) — so the sandbox never emits another key
 * starting with `sign`.
 */
export function signFields(fields: Readonly<Record<string, string>>, privateKeyPem: string): [string, string][] {
  const safe: Record<string, string> = { ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, metaSafe(v)])), sign_type: 'RSA' };
  const sign = platformSign(signingString(safe), privateKeyPem);
  return [...Object.keys(safe).sort().map((k) => [k, safe[k]!] as [string, string]), ['sign', sign]];
}

/**
 * The page. Its shape is what every public SDK's parser needs (research brief
 * §5): the Node SDK reads from the first `CONTENT` + 9 characters up to
 * `</head` and cuts at the first `">`, so the tag ends with `">` (not `"/>`),
 * nothing before it says CONTENT, and `</head` is lower-case; the Java SDK
 * takes the first META tag with an upper-case ` CONTENT`.
 */
export function metaPage(entries: readonly [string, string][], visibleText = ''): string {
  const content = entries.map(([k, v]) => `${k}=${v}`).join('&');
  const body = visibleText ? `\n<p>${escapeHtml(visibleText)}</p>` : '';
  return [
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">',
    '<html>',
    '<head>',
    `<META NAME="${META_NAME}" CONTENT="${content}">`,
    '</head>',
    `<body>${body}`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** One item of a CONTENT attribute, as bytes (latin1 text: one character per byte). */
export interface RawItem {
  name: string;
  /** The value's exact bytes, as a latin1 string. */
  raw: string;
}

/**
 * Finds the CONTENT of the META tag named MobilePayPlatform in a reply, as
 * bytes (a latin1 string), or undefined. The tag may end with `">`, `"/>` or
 * `" />`, and sit anywhere (the merchants' demos write all three, research
 * brief §7); `CONTENT` must be upper-case (§2.2.2 "CONTENT必须大写").
 */
export function findMetaContent(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  for (const tag of text.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/\bname\s*=\s*["']?MobilePayPlatform["'\s/>]/i.test(tag)) continue;
    const content = /\sCONTENT\s*=\s*"([^"]*)"/.exec(tag);
    if (content) return content[1];
  }
  return undefined;
}

/** `k=v&k=v`: split on `&`, each item at its first `=` (research brief §5); values not URL-decoded. */
export function splitContent(content: string): RawItem[] {
  return content
    .split('&')
    .filter((item) => item !== '')
    .map((item) => {
      const at = item.indexOf('=');
      return at === -1 ? { name: item, raw: '' } : { name: item.slice(0, at), raw: item.slice(at + 1) };
    });
}
