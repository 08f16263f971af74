import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from './clock.js';
import { charsetOfContentType } from './codec/charset.js';
import type { Order, SimRecord } from './domain.js';
import type { Records } from './records.js';
import type { Store } from './store/index.js';
import { dropConnection, failTransport, TransportFailure } from './transport.js';

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
  /** The record the answer is about, when it is not an order (a payout, a refund…). */
  record?: SimRecord;
  /** Why the sandbox answered as it did, for the developer reading the journal. */
  note?: string;
  /** The charset the request declared, as the simulator read it (the journal decodes the raw bytes with it). */
  charset?: string;
  /** The body was over the limit and was not read. */
  bodyRefused?: boolean;
  /**
   * The verify phase's verdict (merchant, keys, signature): `valid` once it
   * passed, `refused` when it threw (`result` says why). Set by {@link exchange};
   * a handler outside it may set it itself. For the request log.
   */
  signature?: 'valid' | 'refused';
  /** The provider's code (or message) of a refusal, for the request log; set by {@link exchange} from what was thrown. */
  result?: string;
}

const KEY = 'sandbox.annotation';
const RAW = 'sandbox.raw-body';

/**
 * The request body exactly as received, as bytes: a simulator decodes it in
 * the charset the request declares (a GBK form must not pass through UTF-8).
 * Read once and shared with the journal.
 */
export async function rawBody(c: Context): Promise<Uint8Array> {
  const cached = c.get(RAW as never) as Uint8Array | undefined;
  if (cached) return cached;
  const bytes = c.req.method === 'GET' || c.req.method === 'HEAD' ? new Uint8Array(0) : new Uint8Array(await c.req.arrayBuffer());
  c.set(RAW as never, bytes as never);
  return bytes;
}

export function annotate(c: Context, annotation: Annotation): void {
  const current = (c.get(KEY as never) as Annotation | undefined) ?? {};
  c.set(KEY as never, { ...current, ...annotation } as never);
}

export function readAnnotation(c: Context): Annotation {
  return (c.get(KEY as never) as Annotation | undefined) ?? {};
}

/**
 * The merchant and the merchant's order number an answer concerns, as the
 * journal and the request log both show them. The order found wins over the
 * number the request named, which may be the platform's (a query by platform
 * number); then the record's own number.
 */
export function subjectOf(annotation: Annotation): { merchantId: string | null; orderNo: string | null } {
  const { order, record } = annotation;
  return {
    merchantId: annotation.merchantId ?? order?.merchantId ?? record?.merchantId ?? null,
    orderNo: order?.orderNo ?? annotation.orderNo ?? record?.number ?? null,
  };
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
  /**
   * Encodes a failure in the provider's form. `error` is what a phase threw on
   * purpose, or, for a fault of the sandbox itself, the provider's `internal`
   * error. `parsed` is undefined when parsing itself failed.
   */
  reject(error: unknown, c: Context, parsed: Parsed | undefined): Promise<Response> | Response;
  /** The provider's answer to a fault of the sandbox (its `errors.internal`). */
  internal(): Error;
}

export function exchange<Parsed, Verified, Result>(phases: Phases<Parsed, Verified, Result>) {
  return async (c: Context): Promise<Response> => {
    let parsed: Parsed | undefined;
    let verifying = false;
    try {
      parsed = await phases.parse(c);
      verifying = true;
      const verified = await phases.verify(parsed, c);
      verifying = false;
      if (!readAnnotation(c).signature) annotate(c, { signature: 'valid' });
      const result = await phases.resolve(verified, c);
      return await phases.encode(result, verified, c);
    } catch (error) {
      // A provider with no documented system error answers none: the connection drops, or a 504 (core/transport.ts).
      if (error instanceof TransportFailure) {
        annotate(c, { note: error.note ?? error.message, result: resultOf(error) });
        return failTransport(c, error);
      }
      if (isExpected(error)) {
        annotate(c, { result: resultOf(error), ...(verifying ? { signature: 'refused' as const } : {}) });
        return phases.reject(error, c, parsed);
      }
      console.error('[sandbox] unexpected error', error);
      const internal = phases.internal();
      annotate(c, { note: `internal error: ${error instanceof Error ? error.message : String(error)}`, result: resultOf(internal) });
      return phases.reject(internal, c, parsed);
    }
  };
}

/** A refusal's provider code when the error carries one (most do), else its message. */
export function resultOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return error instanceof Error ? error.message : String(error);
}

/**
 * Errors a simulator raises on purpose (ProviderError and its kin) carry
 * `expected = true`. An engine error the simulator did not map is a bug.
 */
function isExpected(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { expected?: unknown }).expected === true;
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
    await next();
    const annotation = readAnnotation(c);
    // Read after the answer: a body over the limit was refused unread and stays unread.
    let requestBody: Uint8Array = new Uint8Array(0);
    if (!annotation.bodyRefused) {
      try {
        requestBody = await rawBody(c);
      } catch {
        requestBody = new Uint8Array(0);
      }
    }
    const responseBody = await replyBytes(c);
    // Node's own request (when there is one) has the raw headers and path: asking Hono would build a web Headers.
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const headerOf = (name: string) => (incoming ? headerValue(incoming.headers[name]) : c.req.header(name));
    const headers: Record<string, string> = {};
    for (const name of HEADERS_KEPT) {
      const value = headerOf(name);
      if (value) headers[name] = value;
    }
    try {
      store.journal.append({
        at,
        provider,
        method: c.req.method,
        path: incoming?.url ?? pathOf(c.req.url),
        requestHeaders: headers,
        requestBody,
        requestCharset: annotation.charset ?? charsetOfContentType(headerOf('content-type')) ?? null,
        responseStatus: c.res.status,
        responseBody,
        responseCharset: charsetOfContentType(responseContentType(c.res)) ?? null,
        durationMs: Math.round(performance.now() - started),
        ...subjectOf(annotation),
        operation: annotation.operation ?? null,
        note: annotation.note ?? (annotation.bodyRefused ? 'the body was over the limit and was not read' : null),
      });
    } catch (error) {
      // The journal is a convenience; never fail the merchant's request over it.
      console.error('[journal]', error);
    }
  };
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * Plays a scenario's HTTP effects on an answer about its order: a delay (real
 * milliseconds, to exercise the merchant's timeouts), another status code, or a
 * dropped connection. The order's state change has already happened: that is
 * the point — the merchant must query.
 */
export function httpEffectsMiddleware(records: Records): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const { order, record, kind } = readAnnotation(c);
    const subject = record ?? order;
    if (!subject || !subject.scenarioState.http?.length) return;
    const effects = records.consumeHttpEffects(subject.id, kind ?? 'other');
    for (const effect of effects) {
      if (effect.delayMs) await new Promise((resolve) => setTimeout(resolve, effect.delayMs));
      if (effect.drop) {
        annotate(c, { note: 'connection dropped by scenario' });
        c.res = dropConnection(c);
        return;
      }
      if (effect.status) {
        // 204, 205 and 304 carry no body (a Response with one cannot be built: HTTP forbids it).
        c.res = NULL_BODY_STATUSES.has(effect.status)
          ? new Response(null, { status: effect.status })
          : new Response(`HTTP ${effect.status} from scenario`, {
              status: effect.status,
              headers: { 'content-type': 'text/plain; charset=utf-8' },
            });
        annotate(c, { note: `answered HTTP ${effect.status} by scenario` });
      }
    }
  };
}

/** The longest URL (path and query) a provider route reads; beyond it, the provider's own error. */
export const MAX_URL_LENGTH = 64 * 1024;

/**
 * Bounds what a provider route reads: the URL's length and the body's size
 * (read no further than the limit), answering anything larger with the
 * provider's own `malformed` error in its own wire format.
 */
export function requestLimits(
  maxBodyBytes: number,
  refuse: (c: Context, reason: string) => Response | Promise<Response>,
): MiddlewareHandler {
  const refuseBody = async (c: Context, incoming: IncomingMessage | undefined) => {
    annotate(c, { bodyRefused: true });
    if (incoming) await drain(incoming, DRAIN_LIMIT);
    return refuse(c, `request body over ${maxBodyBytes} bytes`);
  };
  return async (c, next) => {
    if (c.req.url.length > MAX_URL_LENGTH) return refuse(c, `URL over ${MAX_URL_LENGTH} characters`);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // Never touch `c.req.raw.body`: on @hono/node-server it builds a whole web Request (measured ~11% of a request).
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > maxBodyBytes ? refuseBody(c, incoming) : next();
    }
    // No declared length (chunked): read it here, no further than the limit, and hand the bytes on.
    if (!incoming) return next();
    const bytes = await readBounded(incoming, maxBodyBytes);
    if (bytes === null) return refuseBody(c, incoming);
    c.set(RAW as never, bytes as never);
    // Hono keeps body promises in its cache (its type says otherwise): later reads of the body find these bytes.
    (c.req.bodyCache as Record<string, unknown>).arrayBuffer = Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    return next();
  };
}

/** How much of a refused body is read and thrown away so the client can read the answer (beyond it, the connection drops). */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/** Reads a request body up to `limit` bytes; null (the rest left unread) when it is longer. */
function readBounded(incoming: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const detach = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        detach();
        incoming.pause();
        resolve(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      detach();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      detach();
      reject(error);
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
  });
}

/** Reads the rest of a body (or `limit` bytes of it) keeping nothing: memory stays flat whatever was sent. */
function drain(incoming: IncomingMessage, limit: number): Promise<void> {
  return new Promise((resolve) => {
    if (incoming.readableEnded || incoming.destroyed) return resolve();
    let read = 0;
    const finish = () => {
      incoming.off('data', onData);
      incoming.off('end', finish);
      incoming.off('error', finish);
      incoming.off('close', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.byteLength;
      if (read > limit) {
        incoming.destroy();
        finish();
      }
    };
    incoming.on('data', onData);
    incoming.on('end', finish);
    incoming.on('error', finish);
    incoming.on('close', finish);
    incoming.resume();
  });
}

/**
 * The answer's Content-Type, read from the lightweight response's header record when it has one: `res.headers`
 * there builds a web Headers object (measured, a tenth of what the journal cost per request).
 */
function responseContentType(res: Response): string | null {
  const headers = lightweightCache(res)?.[2];
  if (headers && typeof headers === 'object' && !(headers instanceof Headers) && !Array.isArray(headers)) {
    for (const [name, value] of Object.entries(headers as Record<string, string>)) {
      if (name.length === 12 && name.toLowerCase() === 'content-type') return value;
    }
    return null;
  }
  return res.headers.get('content-type');
}

/** @hono/node-server's private symbol for a lightweight response's [status, body, headers], found once. */
let cacheSymbol: symbol | undefined;

function lightweightCache(res: Response): unknown[] | undefined {
  cacheSymbol ??= Object.getOwnPropertySymbols(res).find((symbol) => symbol.description === 'cache');
  return cacheSymbol ? (res as unknown as Record<symbol, unknown[] | undefined>)[cacheSymbol] : undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The path and query of a URL. */
function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/**
 * The exact bytes of the answer about to be sent. @hono/node-server's
 * lightweight Response keeps a string or byte body as it was given (under a
 * private symbol named `cache`); reading it there costs nothing, where
 * `clone().text()` tees a web stream and pushes the server onto its slow
 * streaming path (measured: +46–59% throughput without it). Any other body is
 * read once and the response rebuilt from the bytes.
 */
async function replyBytes(c: Context): Promise<Uint8Array | string> {
  const res = c.res;
  const cache = lightweightCache(res);
  const cached = cache?.[1];
  // A string body is sent as UTF-8: the journal keeps the string itself (the same bytes, no copy).
  if (typeof cached === 'string') return cached;
  if (cached instanceof Uint8Array) return cached;
  if (cache && cached === null) return new Uint8Array(0);
  if (!res.body) return new Uint8Array(0);
  try {
    const bytes = new Uint8Array(await res.arrayBuffer());
    c.res = new Response(bytes as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers: res.headers });
    return bytes;
  } catch {
    return new Uint8Array(0);
  }
}
