import { Hono, type Context } from 'hono';
import { phpJsonEncode } from '../../core/codec/php-json.js';
import { annotate, exchange } from '../../core/exchange.js';
import { sequenceNumber } from '../../core/numbers.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { cstDateTime } from '../../core/time-format.js';
import { autoSubmitForm } from '../../web/layout.js';
import { BANK_CODES, MESSAGES, type BankCode } from './codes.js';
import { AggError } from './errors.js';
import { attributesOf, formatAmount, payStatus, payTime, type AggAttributes } from './order-view.js';
import { readParams } from './params.js';
import { orderQuery, parseParams, unifiedOrderFor } from './schemas.js';
import { verify, type Verified } from './verify.js';

/** No expiry is stated (PROVIDERS.md AGG-12): an unpaid order closes after 24 hours, and that is notified (notify.ts). */
export const EXPIRY_MS = 24 * 3600 * 1000;

/** The platform is PHP: its JSON is plain json_encode, Chinese as \u escapes (§5.4 返回示例). */
function reply(c: Context, value: Record<string, unknown>): Response {
  return c.body(phpJsonEncode(value), 200, { 'content-type': 'application/json; charset=utf-8' });
}

/** A failure: status "0" and the message; the note (e.g. the string expected to be signed) goes to the journal. */
export function reject(error: AggError, c: Context): Response {
  const { message } = error;
  if (error.note) annotate(c, { note: error.note });
  // "data … 以下字段只有status=1才返回": a failure carries an empty data object.
  return reply(c, { status: '0', message, data: {} });
}

export function aggpayRoutes(sim: SimulatorContext): Hono {
  const app = new Hono();

  /** Both interfaces: parameters, then merchant and sign, then the operation; PHP JSON out, status 0 on failure. */
  const handle = (operation: string, resolve: (verified: Verified, c: Context) => Record<string, unknown>) =>
    exchange<Record<string, string>, Verified, Record<string, unknown>>({
      parse: readParams,
      verify: (params, c) => {
        annotate(c, { operation });
        return verify(params, sim, c);
      },
      resolve,
      encode: (value, _verified, c) => reply(c, value),
      reject: (error, c) => reject(error as AggError, c),
      internal: sim.errors.internal,
    });

  /** §5.1 统一下单: creates the order and answers the hosted page as redirect_url and as an auto-submitting form. */
  app.post(
    '/api/order/unified',
    handle('unified 统一下单', ({ params, merchant }, c) => {
      const fields = parseParams(unifiedOrderFor(merchant), params);
      const bankCode = fields.bank_code as BankCode;
      const attributes: AggAttributes = {
        bankCode,
        productName: fields.product_name,
        attach: fields.attach ?? '',
        openid: fields.openid ?? '',
      };
      const order = sim.placeOrder(c, {
          provider: 'aggpay',
          merchantId: merchant.merchantId,
          orderNo: fields.order_no,
          product: BANK_CODES[bankCode].product,
          amount: fields.amount,
          notifyUrl: fields.notify_url,
          returnUrl: fields.return_url,
          attributes: attributes as unknown as Record<string, unknown>,
          expiresAt: sim.clock.now() + EXPIRY_MS,
          natural: 'awaiting',
          // The example's platform_order_no: "A" + yyyyMMddHHmmss + 10 digits (the order sequence).
          platformOrderNo: (sequence, now) => sequenceNumber(now, sequence, { length: 25, prefix: 'A', stamp: 'datetime' }),
        });
      const redirectUrl = sim.payPageUrl(c, order);
      return {
        status: '1',
        message: MESSAGES.ORDERED,
        data: {
          order_no: order.orderNo,
          platform_order_no: order.platformOrderNo,
          pay_status: payStatus(order),
          bank_code: bankCode,
          amount: formatAmount(order.amount, merchant),
          content: String(autoSubmitForm('GET', redirectUrl, {})),
          redirect_url: redirectUrl,
        },
      };
    }),
  );

  /** §5.4 订单查询 (GET): data only when status is 1; pay_time null unless paid. */
  app.get(
    '/api/order/check_order',
    handle('check_order 订单查询', ({ params, merchant }, c) => {
      const fields = parseParams(orderQuery, params);
      const order = sim.store.orders.findByOrderNo('aggpay', merchant.merchantId, fields.order_no);
      if (!order) throw new AggError(MESSAGES.NOT_FOUND);
      annotate(c, { order, kind: 'query' });
      // A scenario's fail-queries (the first query after 2004): the platform's system error, a lost answer.
      if (sim.payments.consumeQueryError(order)) throw sim.errors.system(sim.store.records.get(order.id)!);
      const attributes = attributesOf(order);
      return {
        status: '1',
        message: MESSAGES.QUERIED,
        data: {
          order_no: order.orderNo,
          amount: formatAmount(order.amount, merchant),
          attach: attributes.attach,
          pay_status: payStatus(order),
          bank_code: attributes.bankCode,
          platform_order_no: order.platformOrderNo,
          created_at: cstDateTime(order.createdAt),
          pay_time: payTime(order),
        },
      };
    }),
  );

  return app;
}
