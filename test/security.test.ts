import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from './support/sandbox.js';

const TOKEN = 'test-admin-token';
let sim: RunningSandbox;

beforeAll(async () => {
  sim = await startSandbox({ env: { SIM_ADMIN_TOKEN: TOKEN } });
});
afterAll(() => sim.close());

const call = (path: string, init: RequestInit = {}) => fetch(`${sim.url}${path}`, init);
const auth = { authorization: `Bearer ${TOKEN}` };

describe('the admin token (SIM_ADMIN_TOKEN)', () => {
  it('is needed on every /_sim route but health', async () => {
    expect((await call('/_sim/health')).status).toBe(200);
    for (const path of ['/_sim/keys', '/_sim/orders', '/_sim/records', '/_sim/requests', '/_sim/merchants']) {
      const refused = await call(path);
      expect(refused.status, path).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    expect((await call('/_sim/keys', { headers: { authorization: 'Bearer wrong-token!' } })).status).toBe(401);
    expect((await call('/_sim/keys', { headers: auth })).status).toBe(200);
    expect((await call('/_sim/reset', { method: 'POST' })).status).toBe(401);
  });
});

describe('cross-site writes', () => {
  const state = async () => JSON.stringify(await (await call('/_sim/merchants', { headers: auth })).json());

  it('are refused from a foreign Origin, whatever the body, and change nothing', async () => {
    const before = await state();
    for (const [path, body] of [
      ['/_sim/reset', undefined],
      ['/_sim/merchants', JSON.stringify({ provider: 'mmsp', merchantId: '001440353999853', md5Key: 'attacker' })],
      ['/_sim/scenarios', JSON.stringify({ id: 'evil', match: { amount: 1 }, steps: [{ do: 'notify', mode: 'skip' }] })],
    ] as const) {
      const response = await call(path, {
        method: 'POST',
        headers: { ...auth, origin: 'http://attacker.example', 'content-type': 'application/json' },
        ...(body ? { body } : {}),
      });
      expect(response.status, path).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'FOREIGN_ORIGIN' } });
    }
    expect(await state()).toBe(before);
  });

  it('must say application/json when they carry a body (a text/plain form cannot)', async () => {
    const response = await call('/_sim/merchants', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: JSON.stringify({ provider: 'mmsp', merchantId: 'X', md5Key: 'k' }),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('are accepted from the sandbox own origin (the dashboard) and from clients without one (curl)', async () => {
    const own = await call('/_sim/clock/advance', {
      method: 'POST',
      headers: { ...auth, origin: sim.url, 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 1 }),
    });
    expect(own.status).toBe(200);
    expect((await call('/_sim/reset', { method: 'POST', headers: auth })).status).toBe(200);
  });

  it('refuse a body over the admin limit without reading it all', async () => {
    const response = await call('/_sim/clock/advance', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: `{"seconds": 1, "pad": "${'x'.repeat(2 * 1024 * 1024)}"}`,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});
