import { z } from 'zod';
import { jsonText, optional, url as urlOf } from '../../core/codec/fields.js';
import { ACTIONS } from './actions.js';
import { IcashierError } from './errors.js';

/**
 * The business JSON inside `req`, validated with the types the tables print:
 * `string` fields must be JSON strings and `int` fields JSON numbers
 * (PROVIDERS.md DMP-1 REC: txnamt is a number). Fields the tables do not list
 * are ignored; they are still covered by the sign, which is over the Base64.
 */

const isAbsent = (value: unknown) => value === undefined || value === null || value === '';

/** 商户订单号: "长度 8-32 位,由字母和数字组成" (§3.1.3). */
export const ORDER_ID = /^[A-Za-z0-9]{8,32}$/;

/** 身份证号: 15 digits, or 17 digits and a digit or X (DMP-4: accno is labelled 身份证号). */
const ID_NUMBER = /^(?:\d{15}|\d{17}[\dXx])$/;

export const MERID = jsonText(32);

/** 3.1.3 交易提交接口. */
export const submitSchema = z
  .looseObject({
    action: z.enum(ACTIONS, { error: '取值必须为Bank、WeiXin、AliPay或Arbi' }),
    txnamt: z
      .number({ error: '必须为JSON数字（整数，单位：分）' })
      .int('必须为整数，单位：分')
      .positive('必须大于0')
      .max(Number.MAX_SAFE_INTEGER, '过大'),
    merid: MERID,
    orderid: z.string({ error: '必须为字符串' }).regex(ORDER_ID, '必须为8-32位字母或数字'),
    backurl: urlOf(1024, jsonText),
    fronturl: optional(urlOf(1024, jsonText)),
    accname: optional(jsonText(64)),
    accno: optional(z.string({ error: '必须为字符串' }).regex(ID_NUMBER, '必须为15或18位身份证号')),
  })
  .superRefine((body, ctx) => {
    // "姓名/身份证号 绑卡付必填": bind-card mode needs both (DMP-4).
    if (body.accname && !body.accno) ctx.addIssue({ code: 'custom', path: ['accno'], message: '绑卡付必填' });
    if (body.accno && !body.accname) ctx.addIssue({ code: 'custom', path: ['accname'], message: '绑卡付必填' });
  });
export type SubmitFields = z.output<typeof submitSchema>;

/** The message of the one problem that names two fields. */
const EITHER_ID = 'queryid或orderid至少上送一个';

/**
 * 3.4.3 交易查询接口: "queryid 和 orderid 至少传一个,若有上送流水号,将忽略商户订单号" —
 * so orderid is not even validated when queryid is sent.
 */
export const querySchema = z
  .looseObject({
    merid: MERID,
    queryid: optional(jsonText(64)),
    orderid: z.unknown().optional(),
  })
  .transform((body, ctx) => {
    if (body.queryid !== undefined) return { merid: body.merid, queryid: body.queryid };
    if (isAbsent(body.orderid)) {
      ctx.addIssue({ code: 'custom', path: ['queryid'], message: EITHER_ID });
      return z.NEVER;
    }
    if (typeof body.orderid !== 'string' || !ORDER_ID.test(body.orderid)) {
      ctx.addIssue({ code: 'custom', path: ['orderid'], message: '必须为8-32位字母或数字' });
      return z.NEVER;
    }
    return { merid: body.merid, orderid: body.orderid };
  });
export type QueryFields = { merid: string; queryid: string } | { merid: string; orderid: string };

/** The text document writes `frontUrl`/`backUrl`, the table `fronturl`/`backurl` (DMP-5): both are read, lower case wins. */
export function withUrlAliases(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  if (isAbsent(copy.backurl) && !isAbsent(copy.backUrl)) copy.backurl = copy.backUrl;
  if (isAbsent(copy.fronturl) && !isAbsent(copy.frontUrl)) copy.fronturl = copy.frontUrl;
  return copy;
}

/**
 * Validates a business message, or throws the respcode naming the first bad
 * field: 12 when it is missing, 13 when it is malformed.
 */
export function parseFields<T extends z.ZodType>(schema: T, body: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  if (issue.message === EITHER_ID) throw new IcashierError('MISSING_FIELD', EITHER_ID);
  if (isAbsent(body[field])) {
    throw new IcashierError('MISSING_FIELD', issue.code === 'custom' ? `${field}（${issue.message}）` : field);
  }
  throw new IcashierError('BAD_FIELD', `${field}${issue.message}`);
}
