import type { Context } from 'hono';
import type { Merchant, Order } from '../../core/domain.js';
import { annotate } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { allinpayAttributes, succeeded } from './attributes.js';
import { GatewayError } from './errors.js';
import { QUERY_FIELDS, RESULT_FIELDS, type Fields } from './fields.js';
import { RECEIVE_CHANNEL } from './notify.js';
import { ORDER_NO } from './order.js';
import { charsetOf, checkSignature, fieldsAnswer, merchantOf } from './request.js';
import { resultFields, signerFor } from './results.js';
import { signFields } from './signature.js';
import { oneMonthBefore, parseCompact } from './time.js';

/** "此时间不能与系统当前时间相差 15 分钟" (§3.1). */
export const QUERY_SKEW_MS = 15 * 60_000;

/** Checks a request's signType: "0、1". */
export function checkSignType(fields: Fields): void {
  if (fields.signType !== '0' && fields.signType !== '1') throw new GatewayError('SIGN_TYPE', 'signType须为0或1');
}

/** Checks orderNo and orderDatetime, which every interface about an order carries. */
export function checkOrderKey(fields: Fields): void {
  if (!fields.orderNo || !ORDER_NO.test(fields.orderNo)) throw new GatewayError('ORDER_NO', 'orderNo须为1-50位字母、数字、-、_');
  if (!fields.orderDatetime || parseCompact(fields.orderDatetime) === undefined) {
    throw new GatewayError('ORDER_DATETIME', 'orderDatetime须为yyyyMMddHHmmss');
  }
}

/**
 * The merchant's order named by orderNo and orderDatetime ("与提交订单时的商户订单
 * 提交时间保持一致"); ZF10027 when there is none, another merchant's included.
 */
export function findOrder(sim: SimulatorContext, merchant: Merchant, fields: Fields, c: Context): Order {
  const order = sim.store.orders.findByOrderNo('allinpay', merchant.merchantId, fields.orderNo!);
  if (!order) throw new GatewayError('NOT_FOUND', fields.orderNo);
  annotate(c, { order });
  if (allinpayAttributes(order)?.orderDatetime !== fields.orderDatetime) {
    throw new GatewayError('NOT_FOUND', `orderDatetime与下单时不一致（${allinpayAttributes(order)?.orderDatetime}）`);
  }
  return order;
}

/**
 * §3.1 单笔订单查询 (v1.5). Answers synchronously in the §2.2.3 format, as the
 * official demo parses it, and pushes the same result to receiveUrl as §3.2
 * says ("异步方式将交易结果通知到原交易发起时上送的 receiveUrl"). "单笔查询只返回支付
 * 成功的订单": an unpaid order, like an unknown one or one older than a month
 * ("仅支持查询一个月以内的订单"), is ZF10027.
 */
export function queryOrder(sim: SimulatorContext, fields: Fields, c: Context): string {
  annotate(c, { operation: '单笔订单查询 v1.5', orderNo: fields.orderNo });
  const merchant = merchantOf(sim, fields.merchantId);
  annotate(c, { merchantId: merchant.merchantId });
  checkSignType(fields);
  checkOrderKey(fields);
  const now = sim.clock.now();
  const queried = parseCompact(fields.queryDatetime ?? '');
  if (queried === undefined) throw new GatewayError('QUERY_TIME', 'queryDatetime须为yyyyMMddHHmmss');
  if (Math.abs(queried - now) > QUERY_SKEW_MS) throw new GatewayError('QUERY_TIME', '与系统当前时间相差超过15分钟');
  checkSignature(fields, QUERY_FIELDS, merchant, 'UTF-8', (note) => new GatewayError('SIGN', undefined, note));

  const order = findOrder(sim, merchant, fields, c);
  annotate(c, { kind: 'query' });
  if (order.createdAt < oneMonthBefore(now)) throw new GatewayError('NOT_FOUND', '仅支持查询一个月以内的订单');
  // A scenario's fail-queries (magic amount 2004): this query fails and must be repeated.
  if (sim.payments.consumeQueryError(order)) throw new GatewayError('SYSTEM');
  if (!succeeded(order.state)) throw new GatewayError('NOT_FOUND', `订单未支付成功（${order.state}）`);

  const result = resultFields(order, now, fields.signType);
  const charset = charsetOf(allinpayAttributes(order)!.inputCharset);
  const signMsg = signFields(result, RESULT_FIELDS, signerFor(merchant, sim.platformKeys(), fields.signType!, charset));
  if (order.notifyUrl) sim.records.push(order.id, [{ channel: RECEIVE_CHANNEL, url: order.notifyUrl, data: { signType: fields.signType } }]);
  return fieldsAnswer(result, RESULT_FIELDS, signMsg);
}
