import type { Context } from 'hono';
import { recordToOrder, type Order } from '../../core/domain.js';
import { annotate } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { MAX_PAGE } from '../../core/store/records.js';
import { cstCompact } from '../../core/time-format.js';
import { allinpayAttributes, succeeded } from './attributes.js';
import { payAmountFen } from './currency.js';
import { GatewayError } from './errors.js';
import { BATCH_FIELDS, type Fields } from './fields.js';
import { checkSignature, errorAnswer, merchantOf } from './request.js';
import { signerFor } from './results.js';
import { signText } from './signature.js';
import { parseCompact } from './time.js';

/** "每页返回最大笔数为 500 笔" (§3.4). */
export const BATCH_PAGE_SIZE = 500;

const HOUR_MS = 3600_000;

/** The window a begin or end time names: `yyyyMMddHH` is the whole hour (ALP-19 accepts 10 or 14 digits). */
function window(text: string): { start: number; end: number } | undefined {
  const at = parseCompact(text, [10, 14]);
  if (at === undefined) return undefined;
  return text.length === 10 ? { start: at, end: at + HOUR_MS - 1 } : { start: at, end: at };
}

/**
 * §3.3 批量订单查询 (v1.6): the paid orders the merchant placed within the window,
 * which must lie within one day ("与 endDateTime 必须为同一天"), oldest first, 500
 * to a page. Answers the §3.4 text, Base64-encoded ("响应报文都是 Base64 编码后的内容").
 */
export function batchQuery(sim: SimulatorContext, fields: Fields, c: Context): string {
  annotate(c, { operation: '批量订单查询 v1.6', kind: 'query' });
  if (fields.version !== 'v1.6') throw new GatewayError('VERSION', 'version须为v1.6');
  const merchant = merchantOf(sim, fields.merchantId);
  annotate(c, { merchantId: merchant.merchantId });
  const begin = window(fields.beginDateTime ?? '');
  if (!begin) throw new GatewayError('BEGIN_TIME', 'beginDateTime须为yyyyMMddHH');
  const end = window(fields.endDateTime ?? '');
  if (!end) throw new GatewayError('END_TIME', 'endDateTime须为yyyyMMddHH');
  if (fields.endDateTime!.slice(0, 8) !== fields.beginDateTime!.slice(0, 8)) throw new GatewayError('END_TIME', '须与beginDateTime为同一天');
  if (end.end < begin.start) throw new GatewayError('END_TIME', '不能早于beginDateTime');
  if (!/^[1-9]\d{0,3}$/.test(fields.pageNo ?? '')) throw new GatewayError('MALFORMED', 'pageNo须为从1开始的数字');
  // "签名类型 固定值：1": the answer is always certificate-signed.
  if (fields.signType !== '1') throw new GatewayError('SIGN_TYPE', 'signType固定为1');
  checkSignature(fields, BATCH_FIELDS, merchant, 'UTF-8', (note) => new GatewayError('SIGN', undefined, note));

  const paid = paidOrders(sim, merchant.merchantId, begin.start, end.end);
  const pageNo = Number(fields.pageNo);
  const rows = paid.slice((pageNo - 1) * BATCH_PAGE_SIZE, pageNo * BATCH_PAGE_SIZE);
  // "如果查询结果无记录，则只有汇总信息（商户号，笔数为 0，页码为 0，是否有下一页为 N）".
  const summary = rows.length === 0 ? `${merchant.merchantId}|0|0|N` : `${merchant.merchantId}|${rows.length}|${pageNo}|${paid.length > pageNo * BATCH_PAGE_SIZE ? 'Y' : 'N'}`;
  const signed = [summary, ...rows.map(detailLine)].map((line) => `${line}\r\n`).join('');
  const signature = signText(signed, signerFor(merchant, sim.platformKeys(), '1'));
  return Buffer.from(`${signed}\r\n${signature}`, 'utf8').toString('base64');
}

/**
 * The merchant's orders placed in [from, to] whose payment succeeded ("批量查询
 * 只返回支付成功的订单"; a refunded order was paid), oldest first.
 */
function paidOrders(sim: SimulatorContext, merchantId: string, from: number, to: number): Order[] {
  const found: Order[] = [];
  for (let offset = 0; ; offset += MAX_PAGE) {
    const page = sim.store.records.list({ provider: 'allinpay', kind: 'order', merchantId, from, to, limit: MAX_PAGE, offset });
    for (const record of page) {
      const order = recordToOrder(record);
      if (succeeded(order.state)) found.push(order);
    }
    if (page.length < MAX_PAGE) break;
  }
  return found.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

/** 商户号|通联订单号|商户订单号|商户订单提交时间|商户订单金额|支付完成时间|订单实际支付金额|扩展字段1|扩展字段2|处理结果 (§3.4). */
function detailLine(order: Order): string {
  const attributes = allinpayAttributes(order)!;
  return [
    order.merchantId,
    order.platformOrderNo,
    order.orderNo,
    attributes.orderDatetime,
    order.amount,
    order.paidAt === null ? '' : cstCompact(order.paidAt),
    payAmountFen(order.amount, attributes.orderCurrency),
    attributes.ext1 ?? '',
    attributes.ext2 ?? '',
    '1',
  ].join('|');
}

/** §3.4 "异常响应报文：ERRORCODE=错误编码&ERRORMSG="错误信息"", the quotes as printed, Base64-encoded like every batch answer. */
export function batchError(code: string, message: string): string {
  return Buffer.from(errorAnswer(code, `"${message}"`), 'utf8').toString('base64');
}
