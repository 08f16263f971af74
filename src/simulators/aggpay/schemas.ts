import { z } from 'zod';
import type { Merchant } from '../../core/domain.js';
import { choice, fen, firstIssue, optional, text, url } from '../../core/codec/fields.js';
import { BANK_CODES } from './codes.js';
import { AggError } from './errors.js';

/**
 * §5.1 统一下单. order_no is "字符长度20": longer ones are refused. The query
 * example is 30 long (PROVIDERS.md AGG-5), so a merchant whose production
 * account takes longer numbers sets `settings.lenientLengths`: up to 64.
 */
const unifiedOrderOf = (orderNoLength: number) =>
  z.looseObject({
    appid: text(32),
    order_no: text(orderNoLength),
    amount: fen(),
    openid: optional(text(128)),
    product_name: text(128),
    bank_code: choice(...Object.keys(BANK_CODES)),
    attach: optional(text(255)),
    notify_url: url(255),
    return_url: url(255),
    sign: text(64),
  });

export const ORDER_NO_LENGTH = 20;
const UNIFIED = { documented: unifiedOrderOf(ORDER_NO_LENGTH), lenient: unifiedOrderOf(64) };

/** The unified-order schema a merchant is held to. */
export const unifiedOrderFor = (merchant: Merchant) => (merchant.settings.lenientLengths === true ? UNIFIED.lenient : UNIFIED.documented);

/** §5.4 订单查询: "上送订单编号", no length stated; up to 64 (an unknown number answers 订单不存在). */
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
