import { md5Hex, sameHex } from '../../core/crypto/md5.js';

/**
 * The base64 + MD5 envelope of every message (§2.2, §2.3): a JSON business
 * message travels as `req` (requests) or `resp` (replies, notifications) =
 * Base64(JSON), next to `sign` = md5(that Base64 text + key).
 */

/**
 * Standard RFC 4648 alphabet with `=` padding, nothing else (PROVIDERS.md DMP-1 REC).
 * Checked in linear time without a repeated group: a regular expression of
 * quadruplets overflows the stack on a request of a few megabytes.
 */
function isStrictBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]=|==)?$/.test(text) && !/=[^=]/.test(text);
}

/** Why a `req` could not be read. */
export type DecodeFailure = 'base64' | 'json';

export class DecodeError extends Error {
  constructor(
    readonly failure: DecodeFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Base64 of the UTF-8 JSON text of `message`. */
export function encodeMessage(message: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
}

/**
 * Reads a Base64(JSON object) text. Throws a {@link DecodeError} when it is not
 * strict padded Base64, not UTF-8, not JSON, or JSON but not an object.
 */
export function decodeMessage(text: string): Record<string, unknown> {
  if (text.length === 0 || !isStrictBase64(text)) {
    // A '+' sent without URL-encoding arrives as a space: say so, it is the usual cause.
    const hint = text.includes(' ') ? '；含空格：Base64中的+需URL编码为%2B' : '';
    throw new DecodeError('base64', `须为RFC 4648标准Base64，含=填充${hint}`);
  }
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'base64'));
  } catch {
    throw new DecodeError('json', '不是UTF-8文本');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new DecodeError('json', 'JSON解析失败');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new DecodeError('json', '须为JSON对象');
  }
  return value as Record<string, unknown>;
}

/**
 * md5(Base64 text + key), 32 lower-case hex characters. The MD5 is over the raw
 * Base64, before any URL-encoding (§2.3; DMP-1 REC).
 *
 * @example
 * signOf('eyJhY3Rpb24iOi…', 'testkey'); // '5af33dd5…'
 */
export function signOf(base64: string, key: string): string {
  return md5Hex(base64 + key);
}

/** Accepts either hex case (DMP-1 REC); anything but 32 hex characters fails. */
export function verifySign(base64: string, key: string, sign: string): boolean {
  return /^[0-9a-fA-F]{32}$/.test(sign) && sameHex(signOf(base64, key), sign);
}

/** A signed message: `{resp, sign}`; `sign` is empty when no key is known (§2.2 前置性错误). */
export function seal(message: Record<string, unknown>, key: string | null): { resp: string; sign: string } {
  const resp = encodeMessage(message);
  return { resp, sign: key ? signOf(resp, key) : '' };
}

/** The request side, for the signing tool and tests: `{req, sign}`. */
export function signRequestMessage(message: Record<string, unknown>, key: string): { req: string; sign: string } {
  const req = encodeMessage(message);
  return { req, sign: signOf(req, key) };
}
