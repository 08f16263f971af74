import type { Context } from 'hono';
import type { Merchant } from '../../core/domain.js';
import { parseForm } from '../../core/codec/charset.js';
import { annotate, rawBody } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { DecodeError, decodeMessage, seal } from './envelope.js';
import { IcashierError } from './errors.js';

/** A request as it arrived: the raw Base64 `req`, its decoded business JSON, and `sign`. */
export interface Envelope {
  req: string;
  body: Record<string, unknown>;
  sign: string | undefined;
}

export interface VerifiedEnvelope extends Envelope {
  merchant: Merchant;
  key: string;
}

type Params = Record<string, string | undefined>;

const single = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The parameters of a GET submit: the query string (§3.1.2 `apis/icashier`). */
export function queryParams(c: Context): Params {
  return { req: c.req.query('req'), sign: c.req.query('sign') };
}

/**
 * The parameters of a POST: the form body (§2.2 "以表单参数方式通过 HTTP Post");
 * a parameter missing there is read from the query string, the form §2.3's
 * "http post/get … https://{域名}?req=…&sign=…" also allows.
 */
export async function formParams(c: Context): Promise<Params> {
  let form: Record<string, unknown> = {};
  try {
    // An urlencoded form is read from the raw bytes (the journal has them already); multipart through Hono.
    form = /multipart\/form-data/i.test(c.req.header('content-type') ?? '') ? await c.req.parseBody() : parseForm(await rawBody(c));
  } catch {
    form = {};
  }
  return { req: single(form.req) ?? c.req.query('req'), sign: single(form.sign) ?? c.req.query('sign') };
}

/** Decodes `req`. Anything wrong here is a pre-error: the merchant, so the key, is unknown. */
export function parseEnvelope(params: Params): Envelope {
  const { req, sign } = params;
  if (req === undefined || req === '') throw new IcashierError('MISSING_FIELD', 'req');
  try {
    return { req, body: decodeMessage(req), sign };
  } catch (error) {
    if (error instanceof DecodeError) {
      throw new IcashierError(error.failure === 'base64' ? 'BAD_BASE64' : 'BAD_JSON', error.message);
    }
    throw error;
  }
}

/** The merchant named by a decoded request, if it exists and has a key: whose key signs the reply. */
export function merchantOf(sim: SimulatorContext, body: Record<string, unknown>): Merchant | undefined {
  const merid = body.merid;
  if (typeof merid !== 'string' || merid === '') return undefined;
  const merchant = sim.store.merchants.get('icashier', merid);
  return merchant?.md5Key ? merchant : undefined;
}

/**
 * The failure answer: HTTP 200, `{"resp": base64({respcode, respmsg}), "sign"}`,
 * signed when the request named a known merchant, else with an empty sign (§2.2).
 */
export function rejectEnvelope(
  sim: SimulatorContext,
  error: unknown,
  c: Context,
  parsed: Envelope | undefined,
  /** Fields the operation's reply table requires even of a failure (the query's, §3.4.4). */
  extra: Record<string, unknown> = {},
): Response {
  const merchant = parsed ? merchantOf(sim, parsed.body) : undefined;
  return failureResponse(c, error as IcashierError, merchant?.md5Key ?? null, extra);
}

/** `{"resp": base64({respcode, respmsg, …extra}), "sign"}`, signed with `key` when the merchant is known, else an empty sign. */
export function failureResponse(c: Context, failure: IcashierError, key: string | null, extra: Record<string, unknown> = {}): Response {
  // An internal error keeps the engine's "internal error" note.
  if (failure.kind !== 'INTERNAL') {
    annotate(c, { note: [`respcode ${failure.code}: ${failure.message}`, failure.note].filter(Boolean).join('; ') });
  }
  return c.json(seal({ respcode: failure.code, respmsg: failure.message, ...extra }, key));
}
