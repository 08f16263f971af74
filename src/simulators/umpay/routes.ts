import { Hono, type Context } from 'hono';
import { encodeText } from '../../core/codec/charset.js';
import { annotate, exchange } from '../../core/exchange.js';
import type { KeyPairPem, SimulatorContext } from '../../core/simulator.js';
import { RET } from './codes.js';
import { UmpayError } from './errors.js';
import { metaPage, signFields } from './meta.js';
import { readRequest, type UmpayRequest } from './params.js';
import type { ServiceResult, VerifiedRequest } from './service.js';
import { SERVICES } from './services/index.js';
import { verifyRequest } from './verify.js';

/**
 * UMPay's own gateway path (`https://pay.soopay.net/spay/pay/payservice.do`,
 * the public SDKs' PLAT_APP_NAME_PAY + UMPAYSTIE_SERVICE; the document gives no
 * URL, PROVIDERS.md UMP-1): one URL for every service, GET or POST (§2.2.1),
 * dispatched on `service`.
 */
export const GATEWAY_PATH = '/spay/pay/payservice.do';

/** A META page in the request's charset (§1.1 charset: "商户网站使用的编码格式"), signed over GBK bytes. */
export function metaResponse(c: Context, keys: KeyPairPem | null, fields: Record<string, string>, charset: string, visible = ''): Response {
  if (!keys) throw new Error('umpay has no platform key');
  const html = metaPage(signFields(fields, keys.privateKey), visible);
  return c.body(encodeText(html, charset) as Uint8Array<ArrayBuffer>, 200, { 'content-type': `text/html;charset=${charset}` });
}

/** A refusal: ret_code and ret_msg in a signed META page (shown as text too for browser services). */
export function failurePage(c: Context, failure: UmpayError, keys: KeyPairPem | null, parsed?: UmpayRequest): Response {
  if (failure.kind !== 'INTERNAL') {
    annotate(c, { note: [`ret_code ${failure.code}: ${failure.message}`, failure.note].filter(Boolean).join('; ') });
  }
  const merId = parsed?.fields.mer_id;
  const browser = parsed && SERVICES.get(parsed.fields.service ?? '')?.browser === true;
  return metaResponse(
    c,
    keys,
    { ...(merId ? { mer_id: merId } : {}), ret_code: failure.code, ret_msg: failure.message, version: '4.0' },
    parsed?.charset ?? 'UTF-8',
    browser ? `${failure.code} ${failure.message}` : '',
  );
}

export function umpayRoutes(sim: SimulatorContext): Hono {
  const app = new Hono();

  const page = (c: Context, fields: Record<string, string>, charset: string, visible = '') =>
    metaResponse(c, sim.platformKeys(), fields, charset, visible);

  const encode = (result: ServiceResult, request: VerifiedRequest, c: Context): Response => {
    if (result.kind === 'redirect') return c.redirect(result.url, 302);
    const entry = RET[result.ret ?? 'OK'];
    return page(
      c,
      { mer_id: request.merchant.merchantId, ...result.fields, ret_code: entry.code, ret_msg: result.retMsg ?? entry.msg, version: '4.0' },
      request.charset,
    );
  };

  const reject = (error: unknown, c: Context, parsed: UmpayRequest | undefined): Response =>
    failurePage(c, error as UmpayError, sim.platformKeys(), parsed);

  const handler = exchange<UmpayRequest, VerifiedRequest, ServiceResult>({
    parse: readRequest,
    verify: (request, c) => verifyRequest(request, SERVICES, sim, c),
    resolve: (request, c) => request.service.handle(request, sim, c),
    encode,
    reject,
    internal: sim.errors.internal,
  });
  app.get(GATEWAY_PATH, handler);
  app.post(GATEWAY_PATH, handler);
  return app;
}
