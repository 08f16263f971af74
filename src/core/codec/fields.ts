import { z } from 'zod';

/**
 * zod builders that read like the providers' field tables: `text(15)` is
 * `string(15)`, required unless wrapped in `optional`. Messages are Chinese,
 * written to follow the field name ("GOODSNAME长度不能超过15"), so a provider
 * can put them straight into its own error format with {@link firstIssue}.
 *
 * A number where the table says string is read as text: for MMSP its JSON
 * type is part of what the merchant signed, so it is kept as sent elsewhere.
 */
const scalar = z.preprocess(
  (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
  z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? '不能为空' : '必须为字符串') }),
);

export const text = (max: number) => scalar.pipe(z.string().min(1, '不能为空').max(max, `长度不能超过${max}`));

/** Absent, null and "" all mean "not sent" for an optional field. */
export const optional = <T extends z.ZodType>(type: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), type.optional());

export const url = (max: number) =>
  text(max).refine((value) => /^https?:\/\/\S+$/i.test(value), '必须为http或https地址');

export const choice = (...values: string[]) =>
  text(16).refine((value) => values.includes(value), `取值必须为${values.join('或')}`);

/** Fen: a positive whole number, at most 12 digits. */
export const fen = () => scalar.pipe(z.string().regex(/^[1-9]\d{0,11}$/, '必须为正整数，单位：分')).transform(Number);

/** The first problem of a failed parse: the top-level field it concerns and a message that follows the field name. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0]!;
  return { field: String(issue.path[0] ?? ''), message: issue.message };
}
