import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Order } from '../../../core/domain.js';
import { annotate, exchange } from '../../../core/exchange.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { layout } from '../../../web/layout.js';
import { encodeNegative, parseEnvelope, type Envelope, type VerifiedEnvelope } from '../envelope.js';
import { BusinessError, EnvelopeError } from '../errors.js';
import { parseFields } from '../fields.js';
import { listId } from '../quick/attributes.js';
import { refuseQuick } from '../quick/orders.js';
import { requireProduct } from '../switches.js';
import { verifyEnvelope } from '../verify.js';
import { GATEWAY_ORDER_TTL_MS, type GatewayAttributes } from './attributes.js';
import { gatewayPay } from './schemas.js';

export const GATEWAY_PAY_COMMAND = 2322;

/** The form field carrying the whole envelope (网关 §5.1.2 请求报文示例). */
const FORM_FIELD = 'web_api';

async function webApi(c: Context): Promise<string> {
  let form: Record<string, unknown> = {};
  try {
    form = await c.req.parseBody();
  } catch {
    form = {};
  }
  const value = form[FORM_FIELD];
  if (typeof value !== 'string' || value === '') throw new EnvelopeError('MALFORMED', `缺少表单字段${FORM_FIELD}`);
  return value;
}

/** The HTML error page: the envelope error (or the business refusal) as the platform would show it. */
export function errorPage(c: Context, error: EnvelopeError | BusinessError, header: Record<string, unknown>) {
  const reply = error instanceof BusinessError ? refuseQuick(error) : encodeNegative(error, header);
  const message = error instanceof BusinessError ? `${error.code} ${error.message}` : error.message;
  return c.html(
    layout(
      '网关支付请求失败',
      html`<div class="card pay" data-error="${error.code}">
        <h1>支付请求失败</h1>
        <p id="error">${message}</p>
        <pre>${JSON.stringify(reply, null, 2)}</pre>
        <p class="muted">Sandbox: the online-banking gateway refused the web_api form; see /_sim/requests.</p>
      </div>`,
    ),
    400,
  );
}

/**
 * 5.1 网关支付请求 (2322): a browser form POSTed to `/mmsp/gateway` with the field
 * `web_api` holding the JSON envelope ("务必注意网关交易的请求方式和其他接口不一样").
 * The envelope is verified as on `/mmsp/api`; the order is placed and the browser
 * is sent (303) to the hosted bank page of PAY_CHANNEL, where the payer pays or
 * fails. A bad envelope, signature or field answers an HTML error page carrying
 * the envelope error.
 */
export function gatewayPayHandler(sim: SimulatorContext) {
  return exchange<Envelope, VerifiedEnvelope, Order>({
    parse: async (c) => parseEnvelope(await webApi(c)),
    verify(envelope, c) {
      // The order the form names, so a refused one (a bad Sign) is found by its number in the journal.
      const named = envelope.body.MERORDERID;
      annotate(c, {
        merchantId: envelope.merchantId,
        operation: `${GATEWAY_PAY_COMMAND} 网关支付请求`,
        ...(typeof named === 'string' && named !== '' ? { orderNo: named } : {}),
      });
      if (envelope.commandId !== GATEWAY_PAY_COMMAND) {
        throw new EnvelopeError('UNKNOWN_COMMAND', `${envelope.commandId}（网关表单只接受${GATEWAY_PAY_COMMAND}，其他命令请POST到/mmsp/api）`);
      }
      const request = verifyEnvelope(envelope, sim.store.merchants);
      requireProduct(request.merchant, 'gateway');
      return request;
    },
    resolve(request, c) {
      const fields = parseFields(gatewayPay, request.body);
      const attributes: GatewayAttributes = {
        family: 'gateway',
        channel: fields.PAY_CHANNEL,
        ...(fields.GOODSNAME ? { goodsName: fields.GOODSNAME } : {}),
        ...(fields.REMARK ? { remark: fields.REMARK } : {}),
        jumpUrl: fields.JUMP_URL,
        terminalId: request.terminalId,
        agentNo: request.agentNo,
        signerId: request.signerId,
      };
      return sim.placeOrder(c, {
        provider: 'mmsp',
        merchantId: request.merchantId,
        orderNo: fields.MERORDERID,
        product: 'gateway.b2c',
        amount: fields.AMT,
        notifyUrl: fields.NOTIFY_URL,
        attributes: attributes as unknown as Record<string, unknown>,
        expiresAt: sim.clock.now() + GATEWAY_ORDER_TTL_MS,
        natural: 'awaiting',
        platformOrderNo: listId,
      });
    },
    encode: (order, _request, c) => c.redirect(sim.payPageUrl(c, order), 303),
    internal: sim.errors.internal,
    reject(error, c, parsed) {
      if (error instanceof EnvelopeError && error.note) annotate(c, { note: error.note });
      return errorPage(c, error as EnvelopeError | BusinessError, parsed?.header ?? {});
    },
  });
}
