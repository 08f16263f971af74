import { z } from 'zod';
import { parseCstDateTime } from '../../core/time-format.js';
import { EnvelopeError } from './errors.js';

/**
 * Body field validators written the way the document's tables read:
 * `text(15)` is `string(15)`, required unless wrapped in `optional`. A merchant
 * may send a number where the table says string: its type is part of what it
 * signed, so it is read as text here and signed as sent.
 */
const scalar = z.preprocess(
  (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
  z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? '不能为空' : '必须为字符串') }),
);

export const text = (max: number) => scalar.pipe(z.string().min(1, '不能为空').max(max, `长度不能超过${max}`));

/** Absent, null and "" all mean "not sent" for a conditional field. */
export const optional = <T extends z.ZodType>(type: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), type.optional());

export const url = (max: number) =>
  text(max).refine((value) => /^https?:\/\/\S+$/i.test(value), '必须为http或https地址');

export const choice = (...values: string[]) =>
  text(8).refine((value) => values.includes(value), `取值必须为${values.join('或')}`);

/** Fen: a positive whole number (the document's AMT is "金额，单位：分"). */
export const amount = () =>
  scalar.pipe(z.string().regex(/^[1-9]\d{0,11}$/, '必须为正整数，单位：分')).transform(Number);

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
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  const detail = `${field}${issue.message}`;
  if (field === 'AMT') throw new EnvelopeError('AMOUNT', detail);
  throw new EnvelopeError('FIELD', field ? `字段${detail}` : issue.message);
}
