import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { Merchant, Order } from '../../core/domain.js';
import { annotate, exchange } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { autoSubmitForm, layout } from '../../web/layout.js';
import { allinpayAttributes } from './attributes.js';
import { batchError, batchQuery } from './batch.js';
import { GatewayError, PageError, RefundQueryError } from './errors.js';
import type { Fields } from './fields.js';
import { submitOrder, type Submission } from './order.js';
import { cancelPayment, cardInput, payWithCard, savedCards, sendSms, type CardInput } from './pay.js';
import { readPayData } from './pay-data.js';
import { controlPage, pickupReturn, syncResult } from './page.js';
import { preauthOperation } from './preauth.js';
import { queryOrder } from './query.js';
import { refundOrder } from './refund.js';
import { refundQuery } from './refund-query.js';
import { errorAnswer, readParams, textResponse } from './request.js';

/** Where the payment control of an order lives, below the mount: `…/mobile/pay/{paymentOrderId}`. */
const CONTROL = '/mobile/pay';

/**
 * The mount's own prefix as this request reached it (`/allinpay`, or nothing
 * when the provider is served at the root of its own port): redirects and
 * forms stay below it.
 */
function mountOf(c: Context, routeSuffix: string): string {
  const path = c.req.path;
  return path.endsWith(routeSuffix) ? path.slice(0, path.length - routeSuffix.length) : '';
}

/**
 * Puts a refusal in the journal: the code, what was wrong, and what the sandbox
 * expected. A fault of the sandbox keeps the engine's own note (the error itself).
 */
export function noteRefusal(c: Context, error: GatewayError | RefundQueryError): void {
  if (error instanceof GatewayError && error.kind === 'INTERNAL') return;
  annotate(c, { note: [`${error.code} ${error.message}`, error.note].filter(Boolean).join('; ') });
}

/** An order refused: the gateway's error page (the SDK shows the same message), with the code machine-readable. */
function errorPage(c: Context, error: unknown): Response | Promise<Response> {
  const failure = error as GatewayError;
  noteRefusal(c, failure);
  return c.html(
    layout(
      '通联支付 · 错误',
      html`<div class="card pay">
        <p class="muted">通联支付（沙箱）</p>
        <h1>${failure.hint ?? failure.text}</h1>
        <div id="error" data-code="${failure.code}">
          <pre>${`ERRORCODE=${failure.code}&ERRORMSG=${failure.text}`}</pre>
          ${failure.detail ? html`<p class="muted">${failure.detail}</p>` : ''}
        </div>
      </div>`,
      { mobile: true },
    ),
  );
}

export function allinpayRoutes(sim: SimulatorContext): Hono {
  const app = new Hono();

  /** payData and the web form: a 303 to the payment control, or the error page. */
  const submit = (read: (c: Context) => Promise<Submission>, suffix: string) =>
    exchange<Submission, Submission, Order>({
      parse: read,
      verify: (submission) => submission,
      resolve: (submission, c) => submitOrder(sim, submission, c),
      encode: (order, _submission, c) => c.redirect(`${mountOf(c, suffix)}${CONTROL}/${order.platformOrderNo}`, 303),
      reject: (error, c) => errorPage(c, error),
      internal: sim.errors.internal,
    });

  /** A server interface answering text: its answer, or `ERRORCODE=…&ERRORMSG=…` (Base64 for the batch query). */
  const text = (run: (fields: Fields, c: Context) => string, encodeError = errorAnswer) =>
    exchange<Fields, Fields, string>({
      parse: async (c) => (await readParams(c)).fields,
      verify: (fields) => fields,
      resolve: (fields, c) => run(fields, c),
      encode: (answer, _fields, c) => textResponse(c, answer),
      reject: (error, c) => {
        const failure = error as GatewayError | RefundQueryError;
        noteRefusal(c, failure);
        return textResponse(c, encodeError(failure.code, failure.text));
      },
      internal: sim.errors.internal,
    });

  app.post(CONTROL, submit(readPayData, CONTROL));

  const webOrder = submit(async (c) => ({ channel: 'web', ...(await readParams(c)) }), '/gateway/index.do');
  /** "/gateway/index.do" serves several interfaces: the real gateway tells them apart by `version`. */
  const byVersion: Record<string, (c: Context) => Promise<Response>> = {
    'v1.0': webOrder,
    'v2.0': webOrder,
    'v1.5': text((fields, c) => queryOrder(sim, fields, c)),
    'v2.3': text((fields, c) => refundOrder(sim, fields, c)),
    'v1.8': text((fields, c) => preauthOperation(sim, 'cancel', fields, c)),
    'v1.9': text((fields, c) => preauthOperation(sim, 'confirm', fields, c)),
  };
  const unknownVersion = text((fields) => {
    throw new GatewayError('VERSION', `不支持的version：${fields.version ?? ''}`);
  });
  app.on(['GET', 'POST'], '/gateway/index.do', async (c) => {
    const version = (await readParams(c)).fields.version ?? '';
    // The table's own versions only: `__proto__` or `toString` is no interface.
    return (Object.hasOwn(byVersion, version) ? byVersion[version]! : unknownVersion)(c);
  });

  app.on(['GET', 'POST'], '/mchtoq/index.do', text((fields, c) => batchQuery(sim, fields, c), batchError));
  app.on(['GET', 'POST'], '/mchtoq/refundQuery', text((fields, c) => refundQuery(sim, fields, c)));

  controlRoutes(app, sim);
  return app;
}

/** The payment control's pages: GET the control, POST sms / pay / cancel, GET the SDK's result as JSON. */
function controlRoutes(app: Hono, sim: SimulatorContext): void {
  const find = (c: Context): { order: Order; merchant: Merchant; saved: ReturnType<typeof savedCards> } | undefined => {
    const order = sim.store.orders.findByPlatformNo('allinpay', c.req.param('id') ?? '');
    const merchant = order && allinpayAttributes(order) ? sim.store.merchants.get('allinpay', order.merchantId) : undefined;
    if (!order || !merchant) return undefined;
    annotate(c, { order, merchantId: order.merchantId });
    return { order, merchant, saved: savedCards(sim, order) };
  };
  const pagePath = (c: Context) => c.req.path.replace(/\/(sms|pay|cancel)$/, '');
  const notFound = (c: Context) =>
    c.html(layout('订单不存在', html`<div class="card pay"><h1>订单不存在</h1><p class="muted">No such Allinpay order.</p></div>`), 404);
  /** What the payer typed; a body that is no form (a multipart body cut short, without its boundary) is an empty one. */
  const form = async (c: Context): Promise<CardInput> => {
    let fields: Record<string, unknown> = {};
    try {
      fields = await c.req.parseBody();
    } catch {
      fields = {};
    }
    return cardInput(fields);
  };

  app.get(`${CONTROL}/:id`, (c) => {
    const found = find(c);
    if (!found) return notFound(c);
    annotate(c, { operation: '支付控件' });
    return c.html(controlPage({ ...found, path: pagePath(c) }));
  });

  app.get(`${CONTROL}/:id/result`, (c) => {
    const found = find(c);
    if (!found) return c.json({ error: 'no such order' }, 404);
    return c.json(syncResult(found.order));
  });

  app.post(`${CONTROL}/:id/sms`, async (c) => {
    const found = find(c);
    if (!found) return notFound(c);
    annotate(c, { operation: '支付控件 获取验证码' });
    const input = await form(c);
    try {
      const sms = sendSms(sim, found.order, input);
      return c.html(controlPage({ ...found, path: pagePath(c), input, sms }));
    } catch (error) {
      return pageRefusal(c, error, { ...found, input });
    }
  });

  app.post(`${CONTROL}/:id/pay`, async (c) => {
    const found = find(c);
    if (!found) return notFound(c);
    annotate(c, { operation: '支付控件 确认支付' });
    const input = await form(c);
    let order: Order;
    try {
      order = payWithCard(sim, found.order, input).order;
    } catch (error) {
      return pageRefusal(c, error, { ...found, input });
    }
    const back = order.state === 'paid' || order.state === 'failed' ? pickupReturn(order, found.merchant, sim.platformKeys(), sim.clock.now()) : null;
    if (back) return c.html(layout('返回商户', autoSubmitForm('POST', back.url, back.fields)));
    return c.redirect(pagePath(c), 303);
  });

  app.post(`${CONTROL}/:id/cancel`, (c) => {
    const found = find(c);
    if (!found) return notFound(c);
    annotate(c, { operation: '支付控件 取消支付' });
    if (found.order.state === 'created') cancelPayment(sim, found.order);
    return c.redirect(pagePath(c), 303);
  });

  function pageRefusal(
    c: Context,
    error: unknown,
    state: { order: Order; merchant: Merchant; saved: ReturnType<typeof savedCards>; input: CardInput },
  ): Response | Promise<Response> {
    // Only the control's own refusals are shown on it; anything else is a fault of the sandbox.
    if (!(error instanceof PageError)) throw error;
    const refusal = error;
    annotate(c, { note: `${refusal.code} ${refusal.message}` });
    const current = sim.store.orders.get(state.order.id) ?? state.order;
    return c.html(controlPage({ ...state, order: current, path: pagePath(c), error: { code: refusal.code, hint: refusal.hint, ...(refusal.detail ? { detail: refusal.detail } : {}) } }));
  }
}
