import { z } from 'zod';
import { choice, fen, firstIssue, optional, text, url } from '../../core/codec/fields.js';
import { BANK_CODES } from './codes.js';
import { AggError } from './errors.js';

/**
 * §5.1 统一下单. order_no is "字符长度20" yet the query example is 30 long
 * (PROVIDERS.md AGG-5): up to 64 is accepted, beyond 20 noted in the journal.
 */
export const unifiedOrder = z.looseObject({
  appid: text(32),
  order_no: text(64),
  amount: fen(),
  openid: optional(text(128)),
  product_name: text(128),
  bank_code: choice(...Object.keys(BANK_CODES)),
  attach: optional(text(255)),
  notify_url: url(255),
  return_url: url(255),
  sign: text(64),
});

/** §5.4 订单查询. */
export const orderQuery = z.looseObject({
  appid: text(32),
  order_no: text(64),
  sign: text(64),
});

/** Validates, or throws `status 0` naming the first bad parameter. */
export function parseParams<T extends z.ZodType>(schema: T, params: Record<string, string>): z.output<T> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const { field, message } = firstIssue(result.error);
  throw new AggError(params[field] === undefined || params[field] === '' ? `缺少参数${field}` : `参数${field}${message}`);
}
