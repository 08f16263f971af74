import type { z } from 'zod';
import { firstIssue, text } from '../../core/codec/fields.js';
import { parseCstDateTime } from '../../core/time-format.js';
import { EnvelopeError } from './errors.js';

export { choice, fen as amount, optional, text, url } from '../../core/codec/fields.js';

/** `yyyy-mm-dd hh24:mi:ss`, China time; the H5 tables print only `yyyy-mm-dd` (end of that day). */
export const cstTime = () =>
  text(30).refine((value) => parseCstDateTime(value) !== undefined, '格式必须为yyyy-mm-dd hh24:mi:ss');

/** CUR: the document only knows CNY ("默认人民币，上送CNY"). */
export const currency = () => text(4).refine((value) => value === 'CNY', '只支持CNY');

/**
 * Validates a Body, or throws the envelope error naming the first bad field.
 * An AMT problem answers the FAQ's own code, [-3005] 交易金额不符.
 */
export function parseFields<T extends z.ZodType>(schema: T, body: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const { field, message } = firstIssue(result.error);
  if (field === 'AMT') throw new EnvelopeError('AMOUNT', `${field}${message}`);
  throw new EnvelopeError('FIELD', field ? `字段${field}${message}` : message);
}
