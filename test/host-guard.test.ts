import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { startSandbox, type RunningSandbox } from './support/sandbox.js';

/**
 * DNS rebinding: a page on evil.example whose name is rebound to 127.0.0.1
 * reaches the sandbox's port with `Host: evil.example:PORT` and an Origin of
 * that same host. Without an admin token, /_sim (but health) and the dashboard
 * answer only loopback names and PUBLIC_URL's host (README, Security).
 */
const { sim } = useSandbox({ resetEach: true });

/** A request with a Host header of our choosing (fetch sets its own). */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('without SIM_ADMIN_TOKEN, requests addressed to another host', () => {
  it('are refused on /_sim with FOREIGN_HOST, even with an Origin matching that host, and change nothing', async () => {
    const port = new URL(sim.url).port;
    await sim.post('/_sim/clock/advance', { seconds: 5 });
    const before = await sim.state();
    const clock = (await sim.get('/_sim/clock')).now;
    const evil = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    for (const [method, path, body] of [
      ['POST', '/_sim/reset', undefined],
      ['POST', '/_sim/clock/advance', '{"seconds": 60}'],
      ['GET', '/_sim/keys', undefined],
      ['GET', '/_sim/merchants', undefined],
    ] as const) {
      const reply = await send(sim.url, method, path, body ? { ...evil, 'content-type': 'application/json' } : evil, body);
      expect(reply.status, path).toBe(403);
      expect(JSON.parse(reply.text), path).toEqual({ error: { code: 'FOREIGN_HOST', message: expect.stringContaining(`evil.example:${port}`) } });
    }
    expect(await sim.state()).toBe(before);
    expect((await sim.get('/_sim/clock')).now).toBe(clock);
  });

  it('are refused on the dashboard, in the admin API error form', async () => {
    for (const path of ['/dashboard', '/dashboard/records', '/dashboard/reference']) {
      const reply = await send(sim.url, 'GET', path, { host: 'rebound.attacker.test' });
      expect(reply.status, path).toBe(403);
      expect(reply.type).toMatch(/application\/json/);
      expect(JSON.parse(reply.text)).toMatchObject({ error: { code: 'FOREIGN_HOST' } });
    }
  });

  it('still get /_sim/health (a load balancer or container check may use any name)', async () => {
    const reply = await send(sim.url, 'GET', '/_sim/health', { host: 'evil.example' });
    expect(reply.status).toBe(200);
  });

  it('are answered when addressed to a loopback name, however written', async () => {
    const port = new URL(sim.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `127.0.0.2:${port}`, `[::1]:${port}`, `[::ffff:7f00:1]:${port}`, `shop.localhost:${port}`, 'LOCALHOST']) {
      expect((await send(sim.url, 'GET', '/_sim/keys', { host })).status, host).toBe(200);
      expect((await send(sim.url, 'GET', '/dashboard/reference', { host })).status, host).toBe(200);
    }
  });
});

describe("PUBLIC_URL's host", () => {
  let withPublic: RunningSandbox;
  beforeAll(async () => {
    withPublic = await startSandbox({ env: { PUBLIC_URL: 'https://sandbox.team.test' } });
  });
  afterAll(() => withPublic.close());

  it('is answered as the sandbox own; other names still are not', async () => {
    expect((await send(withPublic.url, 'GET', '/_sim/keys', { host: 'sandbox.team.test' })).status).toBe(200);
    expect((await send(withPublic.url, 'GET', '/dashboard/reference', { host: 'sandbox.team.test:443' })).status).toBe(200);
    expect((await send(withPublic.url, 'GET', '/_sim/keys', { host: 'other.team.test' })).status).toBe(403);
  });
});

describe('with SIM_ADMIN_TOKEN', () => {
  const TOKEN = 'host-guard-token';
  let guarded: RunningSandbox;
  beforeAll(async () => {
    guarded = await startSandbox({ env: { SIM_ADMIN_TOKEN: TOKEN } });
  });
  afterAll(() => guarded.close());

  it('the token is the guard: any host is answered with it, none without', async () => {
    expect((await send(guarded.url, 'GET', '/_sim/keys', { host: 'sandbox.lan:8080', authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    const refused = await send(guarded.url, 'GET', '/_sim/keys', { host: 'sandbox.lan:8080' });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });
});
