import type { Context } from 'hono';
import { ProviderError } from './errors.js';

/**
 * The answer of a provider whose document defines no system error: none at
 * all. The connection is dropped after the state change, so the merchant
 * sees a network failure — which every document says to resolve by querying —
 * rather than a documented rejection it would take as "not placed".
 * A simulator returns it from `errors.system` (magic amount 2004, a
 * scenario's `respond error` and `fail-queries`); `exchange` plays it.
 *
 * @example
 * errors: { system: () => new TransportFailure('扫码 defines no system error'), … }
 */
export class TransportFailure extends ProviderError {
  constructor(
    /** For the journal: why there is no answer. */
    note = 'the provider defines no system error: connection dropped',
    /**
     * `drop`: no answer at all; `gateway-timeout`: HTTP 504 with an empty body,
     * what a merchant behind the provider's gateway sees when the answer is lost.
     */
    readonly mode: 'drop' | 'gateway-timeout' = 'drop',
  ) {
    super(mode === 'drop' ? 'connection dropped' : 'HTTP 504, empty body', note);
  }
}

/** The transport failure's answer: a dropped connection, or an empty 504. */
export function failTransport(c: Context, failure: TransportFailure): Response {
  return failure.mode === 'drop' ? dropConnection(c) : new Response(null, { status: 504 });
}

/**
 * Drops the request's connection without an answer (the socket is destroyed;
 * the journal records status 444). Outside a real server — an in-process
 * `app.request` — there is no socket and only the 444 remains.
 */
export function dropConnection(c: Context): Response {
  const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
  socket?.destroy();
  return new Response(null, { status: 444, statusText: 'Connection dropped' });
}
