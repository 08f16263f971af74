import type { Context } from 'hono';
import { errorPage } from './gateway/pay.js';
import { EnvelopeError } from './errors.js';
import { PayoutError } from './payout/errors.js';
import { negativeResponse } from './routes.js';

/**
 * A request the engine refused before any route saw it (an oversized body, a
 * URL too long, an unknown path), answered in the form of the document the
 * path belongs to: payouts in plaintext `{"RETCODE":"0002","RETMSG"}` (代付
 * §6.2, nobody identified yet), the gateway form with its HTML error page
 * (网关 §5.1 is a browser POST), everything else as the envelope's negative
 * reply (扫码 §3.1).
 */
export function refusalResponse(c: Context, error: EnvelopeError): Response | Promise<Response> {
  const path = new URL(c.req.url).pathname;
  if (/\/payout(\/|$)/.test(path)) {
    const refusal = new PayoutError('UPLOAD', error.detail);
    return c.json({ RETCODE: refusal.code, RETMSG: refusal.message });
  }
  if (/\/gateway(\/|$)/.test(path)) return errorPage(c, error, {});
  return negativeResponse(c, error);
}
