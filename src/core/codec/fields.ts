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

/** A JSON string and nothing else, for providers whose JSON types are part of the contract (the cashier's `string`). */
export const jsonText = (max: number) =>
  z.string({ error: '必须为字符串' }).min(1, '不能为空').max(max, `长度不能超过${max}`);

/** A string, or a number read as one. */
export const text = (max: number) => scalar.pipe(jsonText(max));

/** Absent, null and "" all mean "not sent" for an optional field. */
export const optional = <T extends z.ZodType>(type: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), type.optional());

/** An absolute http(s) URL; `base` chooses whether a number is read as text. */
export const url = (max: number, base: (max: number) => z.ZodType<string> = text) =>
  base(max).refine((value) => /^https?:\/\/[^\s/?#]+\S*$/i.test(value) && URL.canParse(value), '必须为http或https地址');

export const choice = (...values: string[]) =>
  text(16).refine((value) => values.includes(value), `取值必须为${values.join('或')}`);

/** Fen: a positive whole number, at most 12 digits. */
export const fen = () => scalar.pipe(z.string().regex(/^[1-9]\d{0,11}$/, '必须为正整数，单位：分')).transform(Number);

/** The first problem of a failed parse: the top-level field it concerns and a message that follows the field name. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0]!;
  return { field: String(issue.path[0] ?? ''), message: issue.message };
}
