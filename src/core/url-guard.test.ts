import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UrlGuard, type Resolver } from './url-guard.js';

/** Resolves names from a table, as DNS would answer them. */
const table =
  (answers: Record<string, LookupAddress[]>): Resolver =>
  (hostname, _options, callback) => {
    const found = answers[hostname];
    if (found) callback(null, found);
    else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
  };

/** What a connection's lookup answers: the address it would connect to, or the error. */
const lookUp = (lookup: LookupFunction, hostname: string, all = false) =>
  new Promise<{ error: Error | null; address: string | LookupAddress[] }>((resolve) =>
    lookup(hostname, { all }, (error, address) => resolve({ error, address })),
  );

describe('UrlGuard', () => {
  const guard = new UrlGuard('http://sandbox.example:9000');
  guard.setPorts([8080]);

  it('refuses the sandbox itself on its own port, however it is written', () => {
    for (const url of [
      'http://127.0.0.1:8080/_sim/reset',
      'http://localhost:8080/x',
      'http://[::1]:8080/x',
      'http://0.0.0.0:8080/',
      'http://127.1.2.3:8080/',
      'http://sandbox.example:9000/_sim/keys',
      // IPv4-mapped IPv6: Node writes the first as [::ffff:7f00:1] and connects to 127.0.0.1.
      'http://[::ffff:127.0.0.1]:8080/_sim/reset',
      'http://[0:0:0:0:0:ffff:7f00:1]:8080/_sim/reset',
      'http://[::ffff:0.0.0.0]:8080/',
    ]) {
      expect(guard.refusal(url), url).toMatch(/sandbox/);
    }
  });

  it('refuses link-local addresses on any port, IPv4-mapped ones too', () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://[fe80::1]:3000/', 'http://[::ffff:169.254.169.254]/', 'http://[::ffff:a9fe:a9fe]:80/']) {
      expect(guard.refusal(url), url).toMatch(/link-local/);
    }
  });

  it('allows loopback and private addresses on other ports: a shop under development runs there', () => {
    for (const url of ['http://127.0.0.1:3000/notify', 'http://localhost:5173/pay/return', 'http://[::ffff:127.0.0.1]:3000/notify', 'http://192.168.1.20:8080/notify', 'https://shop.example/notify']) {
      expect(guard.refusal(url), url).toBeNull();
    }
  });

  it('resolves names on the connection itself: refused addresses never reach a socket, the others are the ones connected to', async () => {
    const resolving = new UrlGuard(null, table({
      'rebound.example': [{ address: '::ffff:127.0.0.1', family: 6 }],
      'meta.example': [{ address: '203.0.113.9', family: 4 }, { address: '169.254.169.254', family: 4 }],
      'shop.example': [{ address: '127.0.0.1', family: 4 }],
    }));
    resolving.setPorts([8080]);

    const own = await lookUp(resolving.lookupFor('http://rebound.example:8080/_sim/reset'), 'rebound.example');
    expect(own.error?.message).toMatch(/rebound\.example resolves to ::ffff:127\.0\.0\.1: .*sandbox/);
    const metadata = await lookUp(resolving.lookupFor('http://meta.example/'), 'meta.example', true);
    expect(metadata.error?.message).toMatch(/link-local/);

    expect(await lookUp(resolving.lookupFor('http://shop.example:3000/notify'), 'shop.example')).toEqual({ error: null, address: '127.0.0.1' });
    expect(await lookUp(resolving.lookupFor('http://shop.example:3000/notify'), 'shop.example', true)).toEqual({
      error: null,
      address: [{ address: '127.0.0.1', family: 4 }],
    });
    expect((await lookUp(resolving.lookupFor('http://nowhere.example/'), 'nowhere.example')).error?.message).toMatch(/ENOTFOUND/);
  });

  it('resolves with the system resolver by default', async () => {
    expect((await lookUp(guard.lookupFor('http://localhost:8080/x'), 'localhost')).error?.message).toMatch(/sandbox/);
    expect((await lookUp(guard.lookupFor('http://localhost:3000/x'), 'localhost')).error).toBeNull();
  });
});
