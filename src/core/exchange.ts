import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from './clock.js';
import type { Order } from './domain.js';
import type { Payments } from './payments.js';
import type { Store } from './store/index.js';

/**
 * What a provider handler tells the engine about the request it answered: the
 * journal records it, and scenario HTTP effects (slow, broken or dropped
 * answers) apply to the order it names.
 */
export interface Annotation {
  merchantId?: string;
  orderNo?: string;
  /** The provider's name for the operation, e.g. `2306 wechat prepay`. */
  operation?: string;
  /** For HTTP effects: which kind of answer this is. */
  kind?: 'create' | 'query' | 'other';
  order?: Order;
  /** Why the sandbox answered as it did, for the developer reading the journal. */
  note?: string;
}

const KEY = 'sandbox.annotation';

export function annotate(c: Context, annotation: Annotation): void {
  const current = (c.get(KEY as never) as Annotation | undefined) ?? {};
  c.set(KEY as never, { ...current, ...annotation } as never);
}

function readAnnotation(c: Context): Annotation {
  return (c.get(KEY as never) as Annotation | undefined) ?? {};
}

/**
 * The phases of a provider request, each a small function testable alone
 * (parse, verify, resolve, encode); `reject` turns anything thrown on the way
 * into the provider's own error answer, so a merchant never sees a bare 500.
 *
 * @example
 * app.post('/api/query', exchange({ parse, verify, resolve, encode, reject }));
 */
export interface Phases<Parsed, Verified, Result> {
  parse(c: Context): Promise<Parsed> | Parsed;
  verify(parsed: Parsed, c: Context): Promise<Verified> | Verified;
  resolve(verified: Verified, c: Context): Promise<Result> | Result;
  encode(result: Result, verified: Verified, c: Context): Promise<Response> | Response;
  /** `parsed` is undefined when parsing itself failed. */
  reject(error: unknown, c: Context, parsed: Parsed | undefined): Promise<Response> | Response;
}

export function exchange<Parsed, Verified, Result>(phases: Phases<Parsed, Verified, Result>) {
  return async (c: Context): Promise<Response> => {
    let parsed: Parsed | undefined;
    try {
      parsed = await phases.parse(c);
      const verified = await phases.verify(parsed, c);
      const result = await phases.resolve(verified, c);
      return await phases.encode(result, verified, c);
    } catch (error) {
      if (!isExpected(error)) {
        console.error('[sandbox] unexpected error', error);
        annotate(c, { note: `internal error: ${error instanceof Error ? error.message : String(error)}` });
      }
      return phases.reject(error, c, parsed);
    }
  };
}

/** Errors a simulator raises on purpose carry `expected = true`. */
function isExpected(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { expected?: unknown }).expected === true || (error as { name?: unknown }).name === 'SandboxError')
  );
}

const HEADERS_KEPT = ['content-type', 'user-agent', 'content-length', 'host'];

/**
 * Records every request to a provider mount — the "record" phase — with what
 * the handler annotated. Installed outermost, so it sees the answer actually sent.
 */
export function journalMiddleware(store: Store, clock: Clock, provider: string): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const at = clock.now();
    const requestBody = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text();
    await next();
    const annotation = readAnnotation(c);
    let responseBody = '';
    try {
      responseBody = await c.res.clone().text();
    } catch {
      responseBody = '';
    }
    const url = new URL(c.req.url);
    const headers: Record<string, string> = {};
    for (const name of HEADERS_KEPT) {
      const value = c.req.header(name);
      if (value) headers[name] = value;
    }
    try {
      store.journal.append({
        at,
        provider,
        method: c.req.method,
        path: url.pathname + url.search,
        requestHeaders: headers,
        requestBody,
        responseStatus: c.res.status,
        responseBody,
        durationMs: Math.round(performance.now() - started),
        merchantId: annotation.merchantId ?? annotation.order?.merchantId ?? null,
        orderNo: annotation.orderNo ?? annotation.order?.orderNo ?? null,
        operation: annotation.operation ?? null,
        note: annotation.note ?? null,
      });
    } catch (error) {
      // The journal is a convenience; never fail the merchant's request over it.
      console.error('[journal]', error);
    }
  };
}

/**
 * Plays a scenario's HTTP effects on an answer about its order: a delay (real
 * milliseconds, to exercise the merchant's timeouts), another status code, or a
 * dropped connection. The order's state change has already happened: that is
 * the point — the merchant must query.
 */
export function httpEffectsMiddleware(payments: Payments): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const { order, kind } = readAnnotation(c);
    if (!order || !order.scenarioState.http?.length) return;
    const effects = payments.consumeHttpEffects(order.id, kind ?? 'other');
    for (const effect of effects) {
      if (effect.delayMs) await new Promise((resolve) => setTimeout(resolve, effect.delayMs));
      if (effect.drop) {
        const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
        socket?.destroy();
        c.res = new Response(null, { status: 444, statusText: 'Connection dropped by scenario' });
        annotate(c, { note: 'connection dropped by scenario' });
        return;
      }
      if (effect.status) {
        c.res = new Response(`HTTP ${effect.status} from scenario`, {
          status: effect.status,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
        annotate(c, { note: `answered HTTP ${effect.status} by scenario` });
      }
    }
  };
}
