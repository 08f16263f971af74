import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ProviderError } from './errors.js';
import type { Order } from './domain.js';
import { annotate, exchange, subjectOf } from './exchange.js';
import { createRequestLogger, requestLogMiddleware } from './request-log.js';

class CodedError extends ProviderError {
  constructor(readonly code: string) {
    super(`refused ${code}`);
  }
}

/** A toy provider: `/signed?sign=ok` passes verify; `/signed?sign=bad` is refused there; `/later` is refused after it. */
function app(lines: string[]) {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk).trim());
      done();
    },
  });
  const log = createRequestLogger({ level: 'info', format: 'json', destination })!;
  const reject = (error: unknown) => new Response(`ERR ${(error as CodedError).code ?? 'internal'}`, { status: 200 });
  const server = new Hono();
  server.use('/toy/*', requestLogMiddleware(log, 'toy'));
  server.get(
    '/toy/signed',
    exchange({
      parse: (c) => ({ sign: c.req.query('sign'), later: c.req.query('later') }),
      verify(parsed, c) {
        annotate(c, { merchantId: 'M1', orderNo: 'O1', operation: 'pay' });
        if (parsed.sign !== 'ok') throw new CodedError('SIGN');
        return parsed;
      },
      resolve(parsed) {
        if (parsed.later) throw new CodedError('DUPLICATE');
        return 'done';
      },
      encode: (result) => new Response(result),
      reject,
      internal: () => new CodedError('INTERNAL'),
    }),
  );
  server.get('/toy/page', (c) => c.text('a page'));
  // A query by the platform's number: the request names P9, the order found is the merchant's O9.
  server.get('/toy/by-platform', (c) => {
    annotate(c, { orderNo: 'P9', order: { orderNo: 'O9', merchantId: 'M9', state: 'paid' } as Order });
    return c.text('found');
  });
  return server;
}

describe('the request log', () => {
  it('writes one JSON line per request with the verify verdict and the refusal code, refusals as warnings', async () => {
    const lines: string[] = [];
    const server = app(lines);
    await server.request('/toy/signed?sign=ok');
    await server.request('/toy/signed?sign=bad');
    await server.request('/toy/signed?sign=ok&later=1');
    await server.request('/toy/page');
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed.map(({ level, signature, result }) => ({ level, signature, result }))).toEqual([
      { level: 30, signature: 'valid', result: 'ok' },
      { level: 40, signature: 'refused', result: 'SIGN' },
      { level: 40, signature: 'valid', result: 'DUPLICATE' },
      { level: 30, signature: 'unchecked', result: 'ok' },
    ]);
    expect(parsed[0]).toMatchObject({ provider: 'toy', method: 'GET', path: '/toy/signed', operation: 'pay', merchantId: 'M1', orderNo: 'O1', status: 200, msg: 'request' });
    expect(typeof parsed[0].ms).toBe('number');
  });

  it('names the order found rather than the number the request gave, as the journal does', async () => {
    const lines: string[] = [];
    await app(lines).request('/toy/by-platform');
    expect(JSON.parse(lines[0]!)).toMatchObject({ merchantId: 'M9', orderNo: 'O9', state: 'paid' });
    expect(subjectOf({ orderNo: 'P9', order: { orderNo: 'O9', merchantId: 'M9' } as Order })).toEqual({ merchantId: 'M9', orderNo: 'O9' });
    expect(subjectOf({ orderNo: 'P9' })).toEqual({ merchantId: null, orderNo: 'P9' });
  });

  it('is not installed at all when silent', () => {
    expect(createRequestLogger({ level: 'silent', format: 'json' })).toBeNull();
  });
});
