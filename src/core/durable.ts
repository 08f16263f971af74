import type { Context, MiddlewareHandler } from 'hono';
import type { Store } from './store/index.js';

const CHECKED = 'sandbox.durable-checked';

/**
 * Group commit's promise to the client (core/store/index.ts): no answer leaves
 * before the changes it reports are committed, and none reports a change that
 * was rolled back. The batch number is noted before the handler runs, so a
 * batch that committed — and failed — while the handler awaited something (a
 * scenario's delay, an async encode) is still seen; `failed` then answers
 * instead (a provider's internal error, the admin API's INTERNAL).
 *
 * Nested uses check once, at the innermost: a provider mount installs it
 * inside its journal, so the journal records the answer actually sent, and the
 * server-wide one only covers what no mount did (admin API, pages).
 */
export function durableAnswers(store: Store, failed: (c: Context, error: unknown) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    const since = store.batchMark();
    await next();
    if (c.get(CHECKED as never)) return;
    c.set(CHECKED as never, true as never);
    try {
      await store.durable(since);
    } catch (error) {
      console.error('[sandbox] commit failed', error);
      c.res = await failed(c, error);
    }
  };
}
