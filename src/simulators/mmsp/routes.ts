import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { annotate, exchange, rawBody } from '../../core/exchange.js';
import { payerData } from '../../core/payer-data.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { layout } from '../../web/layout.js';
import type { Command } from './command.js';
import { encodeNegative, encodeReply, parseEnvelope, type Envelope, type VerifiedEnvelope } from './envelope.js';
import { verifyEnvelope } from './verify.js';
import { BusinessError, EnvelopeError } from './errors.js';
import { h5Commands } from './scan/h5.js';
import { micropayCommands, qqMicropayByDocument } from './scan/micropay.js';
import { payoutHandler } from './payout/index.js';
import { orderCommands } from './scan/order-ops.js';
import { prepayCommands } from './scan/prepay.js';
import { refundCommands } from './scan/refunds.js';
import { quickBindQuery, quickCommands } from './quick/index.js';
import { gatewayCommands } from './gateway/query.js';
import { GATEWAY_PAY_COMMAND, gatewayPayHandler } from './gateway/pay.js';
import { requireProduct } from './switches.js';

export const COMMANDS: Command[] = [
  ...prepayCommands,
  ...micropayCommands,
  ...h5Commands,
  ...orderCommands,
  ...refundCommands,
  ...quickCommands,
  ...gatewayCommands,
];

const byId = new Map(COMMANDS.map((command) => [command.id, command]));

/** Quick pay's 绑卡查询 shares CommandID 776 with the scan document's QQ micropay (MMSP-12). */
const QUICK_BIND_QUERY = 776;

function commandFor(envelope: Envelope): Command {
  if (envelope.commandId === QUICK_BIND_QUERY) {
    if (envelope.body.CODE !== undefined) return qqMicropayByDocument;
    return quickBindQuery;
  }
  // 网关 §5.1: "网关交易的请求方式和其他接口不一样" — a browser form, not this endpoint.
  if (envelope.commandId === GATEWAY_PAY_COMMAND) {
    throw new EnvelopeError('UNKNOWN_COMMAND', `${GATEWAY_PAY_COMMAND}须由浏览器以表单字段web_api提交到/mmsp/gateway`);
  }
  const command = byId.get(envelope.commandId);
  if (!command) throw new EnvelopeError('UNKNOWN_COMMAND', String(envelope.commandId));
  return command;
}

/** The header of a request that failed to parse, when it was at least a JSON object, for the negative reply's echo. */
async function headerOf(c: Context): Promise<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(Buffer.from(await rawBody(c)).toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The negative reply (§3.1) for an error, echoing what the request's header had; its note goes to the journal. */
export function negativeResponse(c: Context, error: EnvelopeError, header: Record<string, unknown> = {}): Response {
  if (error.note) annotate(c, { note: error.note });
  return c.json(encodeNegative(error, header));
}

interface Routed {
  request: VerifiedEnvelope;
  command: Command;
}

export function mmspRoutes(sim: SimulatorContext): Hono {
  const app = new Hono();

  /**
   * The JSON envelope of scan pay (and of quick pay and gateway queries), one
   * endpoint dispatched on CommandID (PROVIDERS.md MMSP-1: the document gives no URL).
   */
  app.post(
    '/api',
    exchange<Envelope, Routed, Record<string, unknown>>({
      parse: async (c) => parseEnvelope(Buffer.from(await rawBody(c)).toString('utf8')),
      verify(envelope, c) {
        // The order the request names, so a refused one (a bad Sign) still shows on that order's timeline.
        // Quick pay's 772 names its order by LIST_ID only: the platform number, which the timeline matches too.
        const named = envelope.body.MERORDERID ?? envelope.body.ORDERNO ?? envelope.body.LIST_ID;
        annotate(c, {
          merchantId: envelope.merchantId,
          operation: String(envelope.commandId),
          ...(typeof named === 'string' && named !== '' ? { orderNo: named } : {}),
        });
        // Order of checks: structure, command, merchant and signature, then the Body's fields.
        const command = commandFor(envelope);
        annotate(c, { operation: command.name });
        const request = verifyEnvelope(envelope, sim.store.merchants);
        requireProduct(request.merchant, command.product);
        return { request, command };
      },
      resolve({ request, command }, c) {
        try {
          return command.handle(request, sim, c);
        } catch (error) {
          // The second layer (扫码 §3.1 判断逻辑): a normal signed reply with STATUS 2.
          if (error instanceof BusinessError) {
            if (command.refuse) return command.refuse(error);
            const fields = command.required
              ? Object.fromEntries(command.required.map((name) => [name, error.fields[name] ?? '']))
              : error.fields;
            return { ...fields, STATUS: '2', ERR_CODE: error.code, ERR_CODE_MSG: error.message };
          }
          throw error;
        }
      },
      encode: (body, { request, command }, c) => c.json(encodeReply(request, command.replyId, body)),
      internal: sim.errors.internal,
      reject: async (error, c, parsed) => negativeResponse(c, error as EnvelopeError, parsed?.header ?? (await headerOf(c))),
    }),
  );

  /** 代付: the RSA envelope of payouts (payout/routes.ts); the document gives no URL (MMSP-1). */
  app.post('/payout', payoutHandler(sim));

  /** 网关 §5.1: the browser form carrying `web_api`, answered with the hosted bank page. */
  app.post('/gateway', gatewayPayHandler(sim));

  /**
   * 10.1 微信H5支付唤醒微信APP: `GET /payopenplath5/wxh5pay?memo=&termno=&merurl=base64(url)&tradetype=1`.
   * There is no WeChat app to wake here; the page says so and links back to merurl.
   */
  app.get('/payopenplath5/wxh5pay', (c) => {
    const { memo, termno, merurl, tradetype } = c.req.query();
    const merchant = memo ? sim.store.merchants.get('mmsp', memo) : undefined;
    let back = '';
    try {
      back = merurl ? Buffer.from(merurl, 'base64').toString('utf8') : '';
    } catch {
      back = '';
    }
    const problems = [
      !merchant && `memo（商户号）${memo ?? ''}不存在`,
      merchant && merchant.terminalId !== termno && `termno（终端号）${termno ?? ''}不存在`,
      !(/^https?:\/\//.test(back) && URL.canParse(back)) && 'merurl必须是base64_encode后的http(s)地址',
      tradetype !== undefined && tradetype !== '1' && 'tradetype只支持1（唤醒微信）',
    ].filter(Boolean) as string[];
    annotate(c, { merchantId: memo, operation: 'wxh5pay 唤醒微信' });
    if (problems.length) {
      return c.html(layout('参数错误', html`<div class="card pay"><h1>参数错误</h1>${problems.map((p) => html`<p>${p}</p>`)}</div>`), 400);
    }
    return c.html(
      layout(
        '唤醒微信',
        html`<div class="card pay">
          <h1>正在唤醒微信…</h1>
          <p class="muted">Sandbox: a real platform would open the WeChat app here.</p>
          <p><a href="${back}">返回商户 / back to the merchant</a></p>
        </div>`,
        { mobile: true },
      ),
    );
  });

  /**
   * 10.2 获取微信OPENID/支付宝USER_ID: the merchant redirects to
   * `url_2?merurl=urlencode(url_1)&merno=&tradetype=1|2`; the platform redirects back
   * to `url_1?token_id=…` with a generated openid (1) or Alipay user_id (2).
   */
  app.get('/oauth/openid', (c) => {
    const { merurl, merno, tradetype } = c.req.query();
    annotate(c, { merchantId: merno, operation: 'openid 获取OPENID/USER_ID' });
    if (!merno || !sim.store.merchants.get('mmsp', merno)) return c.text(`merno ${merno ?? ''} 不存在`, 400);
    if (tradetype !== '1' && tradetype !== '2') return c.text('tradetype必须为1（微信公众号）或2（支付宝服务窗）', 400);
    if (!merurl || !/^https?:\/\//.test(merurl) || !URL.canParse(merurl)) return c.text('merurl必须是urlencode后的http(s)地址', 400);
    const target = new URL(merurl);
    target.searchParams.set('token_id', tradetype === '1' ? payerData.wechatOpenId() : payerData.alipayUserId());
    return c.redirect(target.toString(), 302);
  });

  return app;
}
