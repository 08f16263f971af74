import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGG_APPID, AGG_SECRET, aggClient, signed as aggSigned, unifiedParams } from './support/aggpay.js';
import { useSandbox } from './support/harness.js';
import { ICASHIER_KEY, ICASHIER_MERCHANT, icashierClient, submitBody } from './support/icashier.js';
import { envelope, MMSP_KEY, MMSP_MERCHANT, mmspClient, orderNo, prepayBody } from './support/mmsp.js';

const { sim, merchant } = useSandbox({ resetEach: true });
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

let mmsp: ReturnType<typeof mmspClient>;
beforeAll(() => {
  mmsp = mmspClient(sim.url);
});

async function mmspOrder(overrides: Record<string, unknown> = {}) {
  const body = prepayBody(`${merchant.url}/notify`, overrides);
  const reply = await mmsp.send(2306, body);
  const [record] = await sim.get(`/_sim/records?provider=mmsp&kind=order&q=${reply.Body.ORDERNO}`);
  return { body, reply, record };
}

/**
 * A query signed the way a JavaScript merchant often does it: JSON.stringify
 * of the Body as written (RANDSTR first), not sorted — computed here
 * independently of the sandbox's signing code.
 */
function unsortedQuery(merorderid: string) {
  const body = { RANDSTR: 'r4nd0m', MERORDERID: merorderid };
  const sign = md5(`${JSON.stringify(body)}&key=${MMSP_KEY}`).toUpperCase();
  return { ...envelope(2310, body), Sign: sign };
}

describe('GET /_sim/requests?recordId= and the diagnosis of a refused request', () => {
  it('links a query refused for its Sign to the order, and names the mistake that explains it', async () => {
    const { body, record } = await mmspOrder();
    const refused = await mmsp.raw(unsortedQuery(body.MERORDERID));
    expect(refused.CommandID).toBe(32768);

    const response = await fetch(`${sim.url}/_sim/requests?recordId=${record.id}`);
    expect(response.headers.get('x-total-count')).toBe('2');
    const [latest, created] = (await response.json()) as any[];
    expect(created.operation).toContain('2306');
    expect(latest.orderNo).toBe(body.MERORDERID);
    expect(latest.note).toContain('expected Sign');

    const diagnosis = await sim.get(`/_sim/requests/${latest.id}/diagnosis`);
    expect(diagnosis).toMatchObject({ provider: 'mmsp', merchantId: MMSP_MERCHANT, orderNo: body.MERORDERID, verdict: 'invalid', comparison: 'case-insensitive' });
    expect(diagnosis.canonical).toBe(`{"MERORDERID":"${body.MERORDERID}","RANDSTR":"r4nd0m"}&key=${MMSP_KEY}`);
    expect(diagnosis.expected).toBe(md5(diagnosis.canonical).toUpperCase());
    expect(diagnosis.given).toBe(unsortedQuery(body.MERORDERID).Sign);
    const [best] = diagnosis.variants;
    expect(best.matches).toBe(true);
    expect(best.mistakes).toEqual(['keys in the order sent, not sorted A–Z']);
    expect(best.canonical).toBe(`{"RANDSTR":"r4nd0m","MERORDERID":"${body.MERORDERID}"}&key=${MMSP_KEY}`);
    expect(diagnosis.variants.filter((v: any) => v.matches)).toHaveLength(1);

    // The accepted pre-order's own diagnosis says valid, with no variants.
    expect(await sim.get(`/_sim/requests/${created.id}/diagnosis`)).toMatchObject({ verdict: 'valid', variants: [] });
  });

  it('explains an unescaped "/" and \\u-escaped Chinese together', async () => {
    const body = prepayBody(`${merchant.url}/notify`, { GOODSNAME: '测试商品' });
    const sorted = Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : 1)));
    // JSON.stringify leaves "/" alone; this merchant also escaped the Chinese.
    const text = JSON.stringify(sorted).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    await mmsp.raw({ ...envelope(2306, body), Sign: md5(`${text}&key=${MMSP_KEY}`).toUpperCase() });
    const [entry] = await sim.get('/_sim/requests?provider=mmsp&limit=1');
    expect(entry.orderNo).toBe(body.MERORDERID);
    const diagnosis = await sim.get(`/_sim/requests/${entry.id}/diagnosis`);
    expect(diagnosis.variants[0]).toMatchObject({ matches: true, canonical: `${text}&key=${MMSP_KEY}` });
    expect(diagnosis.variants[0].mistakes).toHaveLength(2);
    expect(diagnosis.variants[0].mistakes.join(' ')).toMatch(/"\/" left unescaped.*\\u escapes/);
  });

  it('aggpay: an upper-case MD5 is named, with the exact comparison', async () => {
    const client = aggClient(sim.url);
    const params = unifiedParams(`${merchant.url}/notify`);
    expect((await client.unified(aggSigned(params))).json.status).toBe('1');
    const query = { appid: AGG_APPID, order_no: params.order_no };
    const canonical = `appid=${AGG_APPID}&order_no=${params.order_no}&secret=${AGG_SECRET}`;
    expect((await client.query({ ...query, sign: md5(canonical).toUpperCase() })).json.status).toBe('0');
    const [record] = await sim.get(`/_sim/records?provider=aggpay&q=${params.order_no}`);
    const [entry] = await sim.get(`/_sim/requests?recordId=${record.id}&limit=1`);
    const diagnosis = await sim.get(`/_sim/requests/${entry.id}/diagnosis`);
    expect(diagnosis).toMatchObject({ provider: 'aggpay', verdict: 'invalid', comparison: 'exact', canonical, expected: md5(canonical) });
    expect(diagnosis.variants[0]).toMatchObject({ matches: true, mistakes: ['MD5 in upper case (the platform compares the lower-case hex exactly)'] });
  });

  it('cashier: a sign over the URL-encoded req is named', async () => {
    const client = icashierClient(sim.url);
    const message = submitBody(`${merchant.url}/back`);
    // Grow the message until its Base64 has characters URL-encoding changes.
    let req = '';
    for (let pad = ''; ; pad += 'x') {
      req = Buffer.from(JSON.stringify({ ...message, remark: pad }), 'utf8').toString('base64');
      if (/[+/=]/.test(req)) break;
    }
    await client.postForm('/icashier/api/icashier', { req, sign: md5(encodeURIComponent(req) + ICASHIER_KEY) });
    const [entry] = await sim.get('/_sim/requests?provider=icashier&limit=1');
    expect(entry.orderNo).toBe(message.orderid);
    const diagnosis = await sim.get(`/_sim/requests/${entry.id}/diagnosis`);
    expect(diagnosis).toMatchObject({ merchantId: ICASHIER_MERCHANT, verdict: 'invalid', canonical: req + ICASHIER_KEY });
    expect(diagnosis.variants[0].matches).toBe(true);
    expect(diagnosis.variants[0].mistakes[0]).toContain('URL-encoded req');
  });

  it('answers 404 for an unknown request and 422 for one with nothing to diagnose', async () => {
    expect((await sim.request('GET', '/_sim/requests/999999')).body.error.code).toBe('REQUEST_NOT_FOUND');
    await fetch(`${sim.url}/mmsp/api`, { method: 'POST', body: 'not json' });
    const [entry] = await sim.get('/_sim/requests?limit=1');
    const reply = await sim.request('GET', `/_sim/requests/${entry.id}/diagnosis`);
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('NOTHING_TO_DIAGNOSE');
    expect((await sim.request('GET', '/_sim/requests?recordId=424242')).body.error.code).toBe('INVALID_QUERY');
  });

  it('pages the journal with offset and X-Total-Count, and keeps only explained rows with noted=true', async () => {
    await mmspOrder();
    await mmspOrder();
    await mmsp.raw(unsortedQuery('NOSUCHORDER'));
    const first = await fetch(`${sim.url}/_sim/requests?limit=2`);
    expect(first.headers.get('x-total-count')).toBe('3');
    const second = (await (await fetch(`${sim.url}/_sim/requests?limit=2&offset=2`)).json()) as any[];
    expect(second).toHaveLength(1);
    expect(second[0].operation).toContain('2306');
    const noted = await sim.get('/_sim/requests?noted=true');
    expect(noted).toHaveLength(1);
    expect(noted[0].note).toContain('expected Sign');
  });
});

describe('POST /_sim/diagnose/{provider}: the signature workbench', () => {
  it('reads a pasted envelope, with auto picking the provider, and checks it for a chosen merchant', async () => {
    const pasted = JSON.stringify(envelope(2310, { MERORDERID: orderNo(), RANDSTR: 'abc' }));
    expect(await sim.post('/_sim/diagnose/auto', { request: pasted })).toMatchObject({ provider: 'mmsp', verdict: 'valid' });
    expect(await sim.post('/_sim/diagnose/mmsp', { request: pasted, merchantId: 'NOSUCH' })).toMatchObject({ verdict: 'unknown-merchant', canonical: null });
  });

  it('reads a pasted URL (a GET query) and a form body', async () => {
    const query = new URLSearchParams({ appid: AGG_APPID, order_no: 'X1', sign: 'bad' }).toString();
    const fromUrl = await sim.post('/_sim/diagnose/auto', { request: `http://localhost:8080/aggpay/api/order/check_order?${query}` });
    expect(fromUrl).toMatchObject({ provider: 'aggpay', verdict: 'invalid', operation: 'check_order 订单查询', canonical: `appid=${AGG_APPID}&order_no=X1&secret=${AGG_SECRET}` });
    const form = new URLSearchParams(aggSigned({ appid: AGG_APPID, order_no: 'X2', attach: '' })).toString();
    expect(await sim.post('/_sim/diagnose/aggpay', { request: form })).toMatchObject({ verdict: 'valid' });
    const message = { ...submitBody('http://shop.example/back') };
    const req = Buffer.from(JSON.stringify(message)).toString('base64');
    const cashier = await sim.post('/_sim/diagnose/auto', { request: new URLSearchParams({ req, sign: '' }).toString() });
    expect(cashier).toMatchObject({ provider: 'icashier', verdict: 'missing', expected: md5(req + ICASHIER_KEY) });
  });

  it('refuses what no provider reads, an unknown provider and a body without "request"', async () => {
    expect((await sim.request('POST', '/_sim/diagnose/auto', { request: 'hello' })).body.error.code).toBe('NOTHING_TO_DIAGNOSE');
    expect((await sim.request('POST', '/_sim/diagnose/nope', { request: 'x' })).body.error.code).toBe('UNKNOWN_PROVIDER');
    expect((await sim.request('POST', '/_sim/diagnose/mmsp', { text: 'x' })).body.error.code).toBe('INVALID_JSON');
  });
});

describe('records: search, scheduled changes; operator refunds; the next order\'s scenario', () => {
  it('finds a record by part of its platform number or merchant number', async () => {
    const { reply, record } = await mmspOrder();
    expect(record.platformNumber).toBe(reply.Body.ORDERNO);
    const bySuffix = await sim.get(`/_sim/records?q=${String(reply.Body.ORDERNO).slice(-6)}`);
    expect(bySuffix.map((r: any) => r.id)).toEqual([record.id]);
    expect(await sim.get('/_sim/records?q=NOTHING-LIKE-THIS')).toEqual([]);
  });

  it('shows the state changes still to come', async () => {
    const { record } = await mmspOrder({ AMT: '2001' });
    const detail = await sim.get(`/_sim/records/${record.id}`);
    expect(detail.scheduled).toContainEqual({ at: new Date(Date.parse(record.createdAt) + 60_000).toISOString(), job: 'record.become', to: 'paid' });
  });

  it('refunds a paid order as the operator, then refuses more than is left', async () => {
    const { body } = await mmspOrder({ AMT: '500' });
    await sim.post(`/_sim/orders/mmsp/${body.MERORDERID}/pay`);
    const partial = await sim.request('POST', `/_sim/orders/mmsp/${body.MERORDERID}/refund`, { amount: 200 });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ state: 'partially_refunded', refund: { amount: 200, state: 'succeeded' } });
    expect(partial.body.refund.platformRefundNo).toMatch(/^\d{20}$/);
    const rest = await sim.request('POST', `/_sim/orders/mmsp/${body.MERORDERID}/refund`, {});
    expect(rest.body).toMatchObject({ state: 'refunded', refundedAmount: 500, refund: { amount: 300 } });
    expect((await sim.request('POST', `/_sim/orders/mmsp/${body.MERORDERID}/refund`, { amount: 1 })).body.error.code).toBe('NOT_REFUNDABLE');
    expect((await sim.request('POST', `/_sim/orders/mmsp/${body.MERORDERID}/refund`, { amount: -3 })).body.error.code).toBe('INVALID_AMOUNT');
    // A provider without operator refunds says so.
    expect((await sim.request('POST', '/_sim/orders/aggpay/X/refund', {})).body.error.code).toBe('UNKNOWN_ACTION');
  });

  it('gives the merchant\'s next order the chosen scenario once, whatever its amount', async () => {
    const path = `/_sim/merchants/mmsp/${MMSP_MERCHANT}/next-scenario`;
    expect((await sim.request('GET', path)).body.error.code).toBe('NEXT_SCENARIO_NOT_SET');
    expect((await sim.request('PUT', path, { scenario: 'magic-2003-failed' })).status).toBe(200);
    expect(await sim.get(path)).toEqual({ provider: 'mmsp', merchantId: MMSP_MERCHANT, scenario: 'magic-2003-failed' });
    const first = await mmspOrder({ AMT: '100' });
    // A pre-order is placed whatever the scenario; 2003 fails it when the payer pays (扫码 fidelity).
    expect(first.reply.Body.STATUS).toBe('1');
    expect(first.record).toMatchObject({ state: 'created', scenario: 'magic-2003-failed' });
    const second = await mmspOrder({ AMT: '100' });
    expect(second.record).toMatchObject({ state: 'created', scenario: null });
    expect((await sim.request('GET', path)).status).toBe(404);

    expect((await sim.request('PUT', path, { scenario: 'icashier-2005-processing' })).body.error.code).toBe('INVALID_SCENARIO');
    expect((await sim.request('PUT', path, { scenario: 'nope' })).body.error.code).toBe('INVALID_SCENARIO');
    expect((await sim.request('PUT', '/_sim/merchants/mmsp/NOPE/next-scenario', { scenario: 'magic-2003-failed' })).body.error.code).toBe('MERCHANT_NOT_FOUND');
    await sim.request('PUT', path, { scenario: 'magic-2001-pending-then-paid' });
    expect(await sim.request('DELETE', path)).toMatchObject({ status: 200 });
    expect((await mmspOrder({ AMT: '100' })).record.scenario).toBeNull();
  });
});

describe('key files and live updates', () => {
  it('serves the platform public key and a merchant\'s pair as PEM files; no certificate where the provider has none', async () => {
    const platform = await fetch(`${sim.url}/_sim/keys/mmsp/platform.pem`);
    expect(platform.headers.get('content-disposition')).toBe('attachment; filename="mmsp-platform.pem"');
    expect(createPublicKey(await platform.text()).asymmetricKeyType).toBe('rsa');
    const privatePem = await (await fetch(`${sim.url}/_sim/keys/mmsp/merchants/${MMSP_MERCHANT}/private.pem`)).text();
    const publicPem = await (await fetch(`${sim.url}/_sim/keys/mmsp/merchants/${MMSP_MERCHANT}/public.pem`)).text();
    expect(createPublicKey(createPrivateKey(privatePem)).export({ type: 'spki', format: 'pem' })).toBe(createPublicKey(publicPem).export({ type: 'spki', format: 'pem' }));
    expect((await sim.request('GET', '/_sim/keys/mmsp/platform.cer')).body.error.code).toBe('CERTIFICATE_NOT_FOUND');
    expect((await sim.request('GET', '/_sim/keys/aggpay/platform.pem')).body.error.code).toBe('KEY_NOT_FOUND');
    expect((await sim.request('GET', `/_sim/keys/aggpay/merchants/${AGG_APPID}/private.pem`)).body.error.code).toBe('KEY_NOT_FOUND');
  });

  it('the revision changes with every request, and /_sim/live streams a change event', async () => {
    const before = (await sim.get('/_sim/revision')).revision;
    await mmspOrder();
    expect((await sim.get('/_sim/revision')).revision).not.toBe(before);

    const controller = new AbortController();
    const response = await fetch(`${sim.url}/_sim/live`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toMatch(/^event: change\ndata: \{"revision":"[\d.]+","now":"2026-03-01T02:00:00.000Z"\}/);
  });
});

