import { createSign, createVerify } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { encodeText, parseForm } from '../../src/core/codec/charset.js';
import { isSandboxError, ProviderError } from '../../src/core/errors.js';
import { annotate, exchange, rawBody } from '../../src/core/exchange.js';
import { defineKind, REFUND_KIND, withTimers } from '../../src/core/kinds.js';
import { sequenceNumber } from '../../src/core/numbers.js';
import { defineSimulator, type SimulatorContext } from '../../src/core/simulator.js';

/**
 * A simulator that exists only in the tests: it declares a kind of its own
 * (a voucher that expires on a timer and is announced), keeps deferred
 * refunds, reads GBK forms and answers in GBK, and acknowledges notifications
 * only with an RSA-signed reply — all without a line of core changed.
 */

class ToyError extends ProviderError {}

const VOUCHER = defineKind({
  name: 'voucher',
  states: ['issued', 'redeemed', 'expired'],
  transitions: { issued: ['redeemed', 'expired'], redeemed: [], expired: [] },
  initial: 'issued',
  completedOn: ['redeemed'],
  closedOn: ['expired'],
  timers: { issued: { afterMs: 60_000, to: 'expired' } },
});

/** Refunds finish 30 s after they are accepted. */
const DEFERRED_REFUND = withTimers(REFUND_KIND, { accepted: { afterMs: 30_000, to: 'succeeded' } });

/** What the merchant signs to acknowledge a voucher notification. */
export const ackText = (number: string) => `OK:${number}`;

export function signAck(number: string, privateKey: string): string {
  return `OK;sign=${createSign('RSA-SHA1').update(ackText(number)).sign(privateKey, 'base64')}`;
}

const json = async (c: Context) => JSON.parse(Buffer.from(await rawBody(c)).toString('utf8')) as Record<string, any>;

function routes(sim: SimulatorContext): Hono {
  const app = new Hono();
  const reject = (error: unknown, c: Context) => c.json({ error: (error as Error).message }, 400);
  const handle = (resolve: (body: Record<string, any>, c: Context) => unknown) =>
    exchange<Record<string, any>, Record<string, any>, unknown>({
      parse: json,
      verify: (body) => body,
      resolve,
      encode: (result, _body, c) => c.json(result),
      reject,
      internal: sim.errors.internal,
    });

  app.post(
    '/vouchers',
    handle((body, c) => {
      const record = sim.create(c, {
        provider: 'toy',
        kind: 'voucher',
        merchantId: String(body.merchantId),
        number: String(body.number),
        platformNumber: (sequence, now) => sequenceNumber(now, sequence, { length: 12, prefix: 'V', stamp: 'none' }),
        amount: Number(body.amount),
        notifyUrl: body.notifyUrl ?? null,
      });
      return { number: record.number, platformNumber: record.platformNumber, state: record.state };
    }),
  );

  app.post(
    '/orders',
    handle((body, c) => {
      const order = sim.placeOrder(c, {
        provider: 'toy',
        merchantId: 'T1',
        orderNo: String(body.orderNo),
        product: 'toy.order',
        amount: Number(body.amount),
        notifyUrl: body.notifyUrl ?? null,
        expiresAt: null,
        natural: 'awaiting',
        platformOrderNo: (sequence, now) => sequenceNumber(now, sequence, { length: 18, stamp: 'date' }),
      });
      return { orderNo: order.orderNo, platformOrderNo: order.platformOrderNo, state: order.state };
    }),
  );

  app.post(
    '/refunds',
    handle((body) => {
      const order = sim.store.orders.findByOrderNo('toy', 'T1', String(body.orderNo));
      if (!order) throw new ToyError('no such order');
      let result;
      try {
        result = sim.payments.refund({
          order,
          refundNo: String(body.refundNo),
          amount: Number(body.amount),
          platformRefundNo: (sequence, now) => sequenceNumber(now, sequence, { length: 20, stamp: 'date' }),
          natural: 'accepted',
        });
      } catch (error) {
        if (isSandboxError(error)) throw new ToyError(error.code);
        throw error;
      }
      const { refund, order: after } = result;
      return { refundNo: refund.refundNo, state: refund.state, orderState: after.state };
    }),
  );

  /** A GBK form: `charset=GBK&name=…`, read in the charset it declares and answered in it. */
  app.post('/gbk', async (c) => {
    const bytes = await rawBody(c);
    const charset = parseForm(bytes).charset ?? 'UTF-8';
    const form = parseForm(bytes, charset);
    annotate(c, { charset, operation: 'gbk echo' });
    return c.body(encodeText(`你好，${form.name ?? ''}`, charset) as Uint8Array<ArrayBuffer>, 200, {
      'content-type': `text/plain; charset=${charset}`,
    });
  });

  return app;
}

export const toySimulator = defineSimulator({
  id: 'toy',
  title: 'a simulator defined in the tests',
  mount: '/toy',
  routes,
  products: ['toy.order'],
  kinds: [VOUCHER, DEFERRED_REFUND],
  errors: {
    system: () => new ToyError('system error'),
    duplicate: (existing) => new ToyError(`duplicate ${existing.kind} ${existing.number}`),
    internal: () => new ToyError('internal error'),
    malformed: (reason) => new ToyError(`malformed: ${reason}`),
    badField: (field, reason) => new ToyError(`bad ${field}: ${reason}`),
  },
  errorResponse: (c, error) => c.json({ error: error.message }, 400),
  merchants: [{ merchantId: 'T1', md5Key: 'toy-key', name: '玩具商户', rsaBits: 1024 }],
  notifications: {
    voucher: {
      schedule: [0, 10, 10],
      encode: ({ record }) => ({
        method: 'POST',
        url: record.notifyUrl!,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number: record.number, state: record.state }),
      }),
      // The merchant's reply counts only when its RSA signature over OK:<number> verifies with its public key.
      isAck: (reply, { payload, merchant }) => {
        const match = /^OK;sign=(.+)$/.exec(reply.body.trim());
        if (!match || !merchant.publicKey) return false;
        return createVerify('RSA-SHA1').update(ackText(payload.record.number)).verify(merchant.publicKey, match[1]!, 'base64');
      },
    },
    refund: {
      schedule: [0, 60],
      encode: ({ record, order }) => ({
        method: 'POST',
        url: order.notifyUrl!,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refundNo: record.number, orderNo: order.orderNo, state: record.state }),
      }),
      isAck: (reply) => reply.body.trim() === 'SUCCESS',
    },
  },
  announce(event) {
    if (event.record.kind === 'voucher' && event.to === 'expired' && event.record.notifyUrl) {
      return [{ channel: 'voucher', url: event.record.notifyUrl }];
    }
    if (event.record.kind === 'refund' && event.to === 'succeeded' && event.order?.notifyUrl) {
      return [{ channel: 'refund', url: event.order.notifyUrl }];
    }
    return [];
  },
  codes: [],
});
