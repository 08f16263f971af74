import { Hono, type Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { isSandboxError, ProviderError } from '../src/core/errors.js';
import { annotate, exchange, rawBody } from '../src/core/exchange.js';
import { sequenceNumber } from '../src/core/numbers.js';
import { defineSimulator, type SimulatorContext } from '../src/core/simulator.js';
import { TransportFailure } from '../src/core/transport.js';
import { SIMULATORS } from '../src/simulators/index.js';
import { useSandbox } from './support/harness.js';

/**
 * Three engine contracts the providers' fidelity rests on, through a simulator
 * defined here: a system error that is no answer (TransportFailure), a
 * scripted failure deferred to the payer, and a refused refund kept without
 * reserving anything.
 */

class ShopError extends ProviderError {}

function routes(sim: SimulatorContext): Hono {
  const app = new Hono();
  const handle = (resolve: (body: Record<string, any>, c: Context) => unknown) =>
    exchange<Record<string, any>, Record<string, any>, unknown>({
      parse: async (c) => JSON.parse(Buffer.from(await rawBody(c)).toString('utf8')) as Record<string, any>,
      verify: (body) => body,
      resolve,
      encode: (result, _body, c) => c.json(result),
      reject: (error, c) => c.json({ error: (error as Error).message }, 400),
      internal: sim.errors.internal,
    });

  app.post(
    '/orders',
    handle((body, c) => {
      const order = sim.placeOrder(c, {
        provider: 'shop',
        merchantId: 'S1',
        orderNo: String(body.orderNo),
        product: 'shop.qr',
        amount: Number(body.amount),
        notifyUrl: null,
        expiresAt: null,
        natural: 'awaiting',
        deferFailureToPayer: body.defer === true,
        platformOrderNo: (sequence, now) => sequenceNumber(now, sequence, { length: 18, stamp: 'date' }),
      });
      return { state: order.state };
    }),
  );

  app.post(
    '/query',
    handle((body, c) => {
      const order = sim.store.orders.findByOrderNo('shop', 'S1', String(body.orderNo));
      if (!order) throw new ShopError('no such order');
      annotate(c, { order, kind: 'query' });
      if (sim.payments.consumeQueryError(order)) throw sim.errors.system(sim.store.records.get(order.id)!);
      return { state: order.state };
    }),
  );

  app.post(
    '/refunds',
    handle((body) => {
      const order = sim.store.orders.findByOrderNo('shop', 'S1', String(body.orderNo))!;
      const input = {
        order,
        refundNo: String(body.refundNo),
        amount: Number(body.amount),
        platformRefundNo: (sequence: number, now: number) => sequenceNumber(now, sequence, { length: 20, stamp: 'date' }),
      };
      try {
        return { state: sim.payments.refund(input).refund.state };
      } catch (error) {
        if (!isSandboxError(error, ['REFUND_EXCEEDS', 'NOT_REFUNDABLE'])) throw error;
        return { state: sim.payments.refuseRefund({ ...input, reason: error.code }).state, refused: true };
      }
    }),
  );
  return app;
}

const shop = defineSimulator({
  id: 'shop',
  title: 'a provider without a system error, defined in the tests',
  mount: '/shop',
  routes,
  products: ['shop.qr'],
  errors: {
    system: () => new TransportFailure('shop has no system error'),
    duplicate: () => new ShopError('duplicate'),
    internal: () => new ShopError('internal'),
    malformed: (reason) => new ShopError(`malformed: ${reason}`),
    badField: (field) => new ShopError(`bad ${field}`),
  },
  errorResponse: (c, error) => c.json({ error: error.message }, 400),
  merchants: [{ merchantId: 'S1', md5Key: 'shop-key', name: '测试店' }],
  notifications: {},
  announce: () => [],
  codes: [],
});

// The built-in simulators too: the built-in scenarios name them.
const { sim } = useSandbox({ resetEach: true, simulators: [shop, ...SIMULATORS] });

const post = (path: string, body: unknown) =>
  fetch(sim.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const orderOf = async (orderNo: string) => (await sim.get(`/_sim/orders?provider=shop&orderNo=${orderNo}`))[0];

describe('a system error that is no answer (core/transport.ts)', () => {
  it('2004: the create and the first query drop the connection after the state change; the journal says why', async () => {
    await expect(post('/shop/orders', { orderNo: 'D1', amount: 2004 })).rejects.toThrow();
    expect((await orderOf('D1')).state).toBe('paid');
    await expect(post('/shop/query', { orderNo: 'D1' })).rejects.toThrow();
    expect(await (await post('/shop/query', { orderNo: 'D1' })).json()).toEqual({ state: 'paid' });
    const entries = await sim.get('/_sim/requests?provider=shop&orderNo=D1');
    expect(entries.map((e: { responseStatus: number }) => e.responseStatus).reverse()).toEqual([444, 444, 200]);
    expect(entries[2].note).toBe('shop has no system error');
  });
});

describe('a scripted failure deferred to the payer (deferFailureToPayer)', () => {
  it('2003: the order is placed; the payer’s pay ends in failed; without the flag it fails at once', async () => {
    expect(await (await post('/shop/orders', { orderNo: 'F1', amount: 2003, defer: true })).json()).toEqual({ state: 'created' });
    expect((await sim.post('/_sim/orders/shop/F1/pay')).state).toBe('failed');
    expect(await (await post('/shop/orders', { orderNo: 'F2', amount: 2003 })).json()).toEqual({ state: 'failed' });
  });

  it('the operator’s forced pay pays; close closes', async () => {
    await post('/shop/orders', { orderNo: 'F3', amount: 2003, defer: true });
    expect((await sim.post('/_sim/orders/shop/F3/pay', { force: true })).state).toBe('paid');
    await post('/shop/orders', { orderNo: 'F4', amount: 2003, defer: true });
    expect((await sim.post('/_sim/orders/shop/F4/close')).state).toBe('closed');
  });
});

describe('a refused refund kept (Payments.refuseRefund)', () => {
  it('is born failed, reserves nothing, and takes its number', async () => {
    await post('/shop/orders', { orderNo: 'R1', amount: 1000 });
    await sim.post('/_sim/orders/shop/R1/pay');
    expect(await (await post('/shop/refunds', { orderNo: 'R1', refundNo: 'X1', amount: 1001 })).json()).toEqual({ state: 'failed', refused: true });
    expect(await orderOf('R1')).toMatchObject({ state: 'paid', refundedAmount: 0 });
    const [refund] = await sim.get('/_sim/records?provider=shop&kind=refund');
    expect(refund).toMatchObject({ number: 'X1', state: 'failed', amount: 1001, attributes: { refused: 'REFUND_EXCEEDS' } });
    expect(await (await post('/shop/refunds', { orderNo: 'R1', refundNo: 'X2', amount: 1000 })).json()).toEqual({ state: 'succeeded' });
    expect(await orderOf('R1')).toMatchObject({ state: 'refunded', refundedAmount: 1000 });
  });
});
