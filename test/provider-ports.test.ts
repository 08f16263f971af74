import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signed as aggSigned, unifiedParams } from './support/aggpay.js';
import { payData } from './support/allinpay.js';
import { signed as cashierSigned, submitBody } from './support/icashier.js';
import { startMerchant } from './support/merchant.js';
import { envelope, prepayBody } from './support/mmsp.js';
import { startSandbox, type RunningSandbox } from './support/sandbox.js';
import { loadKeys, umpayClient } from './support/umpay.js';

/**
 * SIM_PROVIDER_PORTS: clients that let only the host change (several public SDKs build `/gateway/index.do`
 * themselves) reach a provider at the root of a port of its own — one provider of each wire format here — while
 * hosted pages and the admin API stay on PORT.
 */
let sim: RunningSandbox;
let ports: Record<string, string> & { mmsp: string; aggpay: string; icashier: string; umpay: string; allinpay: string };
let merchant: Awaited<ReturnType<typeof startMerchant>>;

beforeAll(async () => {
  sim = await startSandbox({ env: { SIM_PROVIDER_PORTS: 'mmsp=0,aggpay=0,icashier=0,umpay=0,allinpay=0' } });
  ports = sim.providerUrls as typeof ports;
  merchant = await startMerchant();
});
afterAll(async () => {
  await sim.close();
  await merchant.close();
});

const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), redirect: 'manual' });
const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });

describe('a provider at the root of its own port', () => {
  it('serves every provider on a port of its own, besides its mount on PORT', () => {
    expect(Object.keys(ports).sort()).toEqual(['aggpay', 'allinpay', 'icashier', 'mmsp', 'umpay']);
    for (const url of Object.values(ports)) expect(url).not.toBe(sim.url);
  });

  it('MMSP (JSON envelope): /api, with the hosted page on PORT', async () => {
    const reply = (await (await postJson(`${ports.mmsp}/api`, envelope(2306, prepayBody(`${merchant.url}/n`)))).json()) as any;
    expect(reply).toMatchObject({ RetCode: 1, Body: { STATUS: '1' } });
    expect(reply.Body.URL.startsWith(`${sim.url}/pay/mmsp/`)).toBe(true);
    expect((await fetch(reply.Body.URL)).status).toBe(200);
  });

  it('links to the hosted page on PORT under the host the client used', async () => {
    const own = new URL(ports.mmsp);
    const main = new URL(sim.url).port;
    const reply = (await (await postJson(`http://localhost:${own.port}/api`, envelope(2306, prepayBody(`${merchant.url}/n`)))).json()) as any;
    expect(reply.Body.URL).toMatch(new RegExp(`^http://localhost:${main}/pay/mmsp/\\d+$`));
  });

  it('aggpay (form in, PHP JSON out): /api/order/unified', async () => {
    const reply = (await (await postForm(`${ports.aggpay}/api/order/unified`, aggSigned(unifiedParams(`${merchant.url}/n`)))).json()) as any;
    expect(reply.status).toBe('1');
    expect(reply.data.redirect_url.startsWith(`${sim.url}/pay/aggpay/`)).toBe(true);
  });

  it('the cashier (Base64 envelope): /api/icashier answers the 303 to the cashier page on PORT', async () => {
    const response = await postForm(`${ports.icashier}/api/icashier`, cashierSigned(submitBody(`${merchant.url}/n`)));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')!.startsWith(`${sim.url}/pay/icashier/`)).toBe(true);
  });

  it('UMPay (form in, signed META out): /spay/pay/payservice.do', async () => {
    const client = umpayClient(sim.url, await loadKeys((path) => sim.get(path)));
    const fields = client.build('query_mer_bank_shortcut', { pay_type: 'DEBITCARD' });
    const html = await (await postForm(`${ports.umpay}/spay/pay/payservice.do`, fields)).text();
    expect(html).toMatch(/<META NAME="MobilePayPlatform" CONTENT="[^"]*ret_code=0000/);
  });

  it('Allinpay (payData, then the payment control at the root of its port)', async () => {
    const response = await postJson(`${ports.allinpay}/mobile/pay`, payData(`${merchant.url}/n`));
    expect(response.status).toBe(303);
    const control = new URL(response.headers.get('location')!, ports.allinpay);
    expect(control.origin).toBe(new URL(ports.allinpay).origin);
    expect(control.pathname).toMatch(/^\/mobile\/pay\/\w+$/);
    expect((await fetch(control)).status).toBe(200);
  });

  it('keeps the admin API and other providers off a provider port, answering in the provider form', async () => {
    const keys = (await (await fetch(`${ports.mmsp}/_sim/keys`)).json()) as any;
    expect(keys).toMatchObject({ CommandID: 32768, RetCode: 0 });
    expect(keys.platform).toBeUndefined();
    const requests = await sim.get('/_sim/requests?provider=mmsp');
    expect(requests.some((entry: { path: string }) => entry.path === '/api')).toBe(true);
  });

  it('refuses a provider it does not know, naming the known ones', async () => {
    await expect(startSandbox({ env: { SIM_PROVIDER_PORTS: 'alipay=0' } })).rejects.toThrow(/alipay, which is no provider \(known: mmsp/);
  });
});
