import { cstCompact } from './time-format.js';

export interface NumberFormat {
  /** Total length, prefix and stamp included. */
  length: number;
  prefix?: string;
  /** China-time stamp after the prefix: `date` yyyyMMdd, `datetime` yyyyMMddHHmmss, `none`. */
  stamp?: 'date' | 'datetime' | 'none';
}

/**
 * A platform number inside a provider's documented format: prefix, a China-time
 * stamp, then the record's sequence value zero-padded to fill the length. The
 * sequence alone tells numbers apart, so they never collide whatever the clock
 * does (a frozen CI clock included), with no retry loop.
 *
 * @example
 * sequenceNumber(Date.parse('2026-03-01T02:00:00Z'), 42, { length: 18, stamp: 'date' }); // '202603010000000042'
 */
export function sequenceNumber(now: number, sequence: number, format: NumberFormat): string {
  const prefix = format.prefix ?? '';
  const full = cstCompact(now);
  const stamp = format.stamp === 'none' ? '' : format.stamp === 'datetime' ? full : full.slice(0, 8);
  const room = format.length - prefix.length - stamp.length;
  const digits = String(sequence);
  if (room < 1 || digits.length > room) {
    throw new RangeError(`sequence ${sequence} does not fit ${format.length} characters after ${prefix}${stamp}`);
  }
  return `${prefix}${stamp}${digits.padStart(room, '0')}`;
}
