import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * MD5 of UTF-8 text as 32 hex characters (lower case; callers upper-case where the provider does).
 *
 * @example
 * md5Hex('abc'); // '900150983cd24fb0d6963f7d28e17f72'
 */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Compares two hex digests without regard to case, in constant time. */
export function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase());
  const right = Buffer.from(b.toLowerCase());
  return left.length === right.length && timingSafeEqual(left, right);
}
