import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Small pieces the merchant-side helpers share. Written apart from the
 * simulators' own code on purpose: the testkit is a second, independent
 * implementation of each signing rule, so a bug in one shows against the other.
 */

/** MD5 of UTF-8 text, 32 lower-case hex characters. */
export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Two hex digests equal regardless of case, compared in constant time. */
export function hexEqual(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b.toLowerCase(), 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A form body (`a=1&b=2`), a URLSearchParams or an object, as a flat record of strings. */
export function formFields(input: string | URLSearchParams | Record<string, unknown>): Record<string, string> {
  if (typeof input === 'string' || input instanceof URLSearchParams) {
    return Object.fromEntries(new URLSearchParams(input));
  }
  // fromEntries defines own properties: a field named __proto__ stays a field, as it is on the wire.
  return Object.fromEntries(Object.entries(input).map(([key, value]) => [key, value === null || value === undefined ? '' : String(value)]));
}

/** What a `verifyNotification` helper answers: whether the signature holds, and what was sent. */
export interface Verified<T> {
  valid: boolean;
  fields: T;
}
