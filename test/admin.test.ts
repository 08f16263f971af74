import { createPrivateKey, createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { micropayBody, mmspClient, prepayBody, replySignatureValid } from './support/mmsp.js';
import { START } from './support/sandbox.js';

const { sim, merchant } = useSandbox();
let client: ReturnType<typeof mmspClient>;

beforeAll(() => {
  client = mmspClient(sim.url);
});

describe('/_sim', () => {
  it('GET /health answers ok with the sandbox time', async () => {
    expect(await sim.request('GET', '/_sim/health')).toEqual({ status: 200, body: { ok: true, now: START } });
  });

  it('GET /keys serves platform keys and every merchant with its MD5 key and RSA pair', async () => {
    const keys = await sim.get('/_sim/keys');
    const platform = keys.platform.mmsp;
    expect(platform.publicKey).toContain('BEGIN PUBLIC KEY');
    expect(platform.privateKey).toContain('BEGIN PRIVATE KEY');
    expect(platform.certificate).toBeNull();
    const data = Buffer.from('sandbox');
    expect(verify('sha1', data, createPublicKey(platform.publicKey), sign('sha1', data, createPrivateKey(platform.privateKey)))).toBe(true);
    const test = keys.merchants.find((m: { merchantId: string }) => m.merchantId === '001440353999853');
    expect(test).toMatchObject({ provider: 'mmsp', terminalId: '84970001', md5Key: 'ea21842eea24e448b991b1cb0a0294cf' });
    expect(createPublicKey(test.publicKey).asymmetricKeyDetails?.modulusLength).toBe(1024);
  });

  it('GET /keys/{provider}/platform.cer and .pem hand out the platform certificate as DER and PEM files', async () => {
    const { certificate, privateKey } = (await sim.get('/_sim/keys')).platform.allinpay;
    expect(certificate).toContain('BEGIN CERTIFICATE');
    const cer = await fetch(`${sim.url}/_sim/keys/allinpay/platform.cer`);
    expect(cer.status).toBe(200);
    expect(cer.headers.get('content-type')).toBe('application/pkix-cert');
    expect(cer.headers.get('content-disposition')).toBe('attachment; filename="allinpay-platform.cer"');
    const der = Buffer.from(await cer.arrayBuffer());
    expect(der[0]).toBe(0x30); // an ASN.1 SEQUENCE, not PEM text
    const parsed = new X509Certificate(der);
    expect(parsed.raw.equals(new X509Certificate(certificate).raw)).toBe(true);
    const data = Buffer.from('sandbox');
    expect(verify('sha1', data, parsed.publicKey, sign('sha1', data, createPrivateKey(privateKey)))).toBe(true);
    const pem = await fetch(`${sim.url}/_sim/keys/allinpay/platform.pem`);
    expect(pem.headers.get('content-type')).toBe('application/x-pem-file');
    expect(await pem.text()).toBe(certificate);
    // A provider whose platform has no certificate, and one that does not exist.
    expect(await sim.request('GET', '/_sim/keys/mmsp/platform.cer')).toMatchObject({ status: 404, body: { error: { code: 'CERTIFICATE_NOT_FOUND' } } });
    expect(await sim.request('GET', '/_sim/keys/nope/platform.pem')).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_PROVIDER' } } });
  });

  it('POST /clock/advance moves the clock and refuses bad input', async () => {
    const before = Date.parse((await sim.get('/_sim/health')).now);
    const now = await sim.advance(90);
    expect(Date.parse(now) - before).toBe(90_000);
    for (const body of [{}, { seconds: -1 }, { seconds: 'ten' }, 'not json']) {
      const reply = await fetch(`${sim.url}/_sim/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(reply.status).toBe(400);
      expect((await reply.json()).error.code).toBe('INVALID_SECONDS');
    }
    expect((await sim.get('/_sim/clock')).scale).toBe(0);
  });

  it('GET /orders lists orders with the contract fields, filtered', async () => {
    const request = prepayBody(`${merchant.url}/n`, { AMT: '321' });
    await client.send(2306, request);
    const [order] = await sim.get(`/_sim/orders?provider=mmsp&merchantId=001440353999853&orderNo=${request.MERORDERID}`);
    expect(order).toMatchObject({ provider: 'mmsp', merchantId: '001440353999853', orderNo: request.MERORDERID, amount: 321, state: 'created', paidAt: null });
    expect(order.platformOrderNo).toMatch(/^\d{18}$/);
    expect(typeof order.createdAt).toBe('string');
    expect(await sim.get('/_sim/orders?provider=aggpay-nope')).toEqual([]);
  });

  it('payer actions pay, fail and close an order, and refuse the impossible', async () => {
    const paid = prepayBody(`${merchant.url}/n`);
    await client.send(2306, paid);
    const afterPay = await sim.post(`/_sim/orders/mmsp/${paid.MERORDERID}/pay`);
    expect(afterPay).toMatchObject({ orderNo: paid.MERORDERID, state: 'paid' });
    expect(afterPay.paidAt).not.toBeNull();

    const again = await sim.request('POST', `/_sim/orders/mmsp/${paid.MERORDERID}/fail`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_TRANSITION');

    const failed = prepayBody(`${merchant.url}/n`);
    await client.send(2306, failed);
    expect((await sim.post(`/_sim/orders/mmsp/${failed.MERORDERID}/fail`)).state).toBe('failed');

    const closed = prepayBody(`${merchant.url}/n`);
    await client.send(2306, closed);
    expect((await sim.post(`/_sim/orders/mmsp/${closed.MERORDERID}/close`)).state).toBe('closed');

    expect((await sim.request('POST', '/_sim/orders/mmsp/NOPE/pay')).status).toBe(404);
    expect((await sim.request('POST', '/_sim/orders/nope/X/pay')).body.error.code).toBe('UNKNOWN_PROVIDER');
    expect((await sim.request('POST', `/_sim/orders/mmsp/${closed.MERORDERID}/reverse`)).body.error.code).toBe('UNKNOWN_ACTION');
    // A refund is the operator's action on a paid order only.
    expect((await sim.request('POST', `/_sim/orders/mmsp/${closed.MERORDERID}/refund`)).body.error.code).toBe('NOT_REFUNDABLE');
  });

  it('payer actions ask for merchantId when two merchants share an order number', async () => {
    await sim.post('/_sim/merchants', { provider: 'mmsp', merchantId: '001440300000003', terminalId: '84970003', md5Key: 'k3' });
    const request = prepayBody(`${merchant.url}/n`, { MERORDERID: 'SHARED-1' });
    await client.send(2306, request);
    await client.send(2306, request, { MERNO: '001440300000003', TERMNO: '84970003' }, 'k3');
    expect((await sim.request('POST', '/_sim/orders/mmsp/SHARED-1/pay')).body.error.code).toBe('AMBIGUOUS_ORDER');
    const paid = await sim.post('/_sim/orders/mmsp/SHARED-1/pay?merchantId=001440300000003');
    expect(paid).toMatchObject({ merchantId: '001440300000003', state: 'paid' });
  });

  it('GET /notifications and POST /notifications/{id}/replay', async () => {
    const request = prepayBody(`${merchant.url}/n`);
    await client.send(2306, request);
    await sim.post(`/_sim/orders/mmsp/${request.MERORDERID}/pay`);
    await sim.advance(0);
    const [notification] = await sim.get(`/_sim/notifications?provider=mmsp&orderNo=${request.MERORDERID}`);
    expect(notification).toMatchObject({ provider: 'mmsp', orderNo: request.MERORDERID, url: `${merchant.url}/n`, status: 'delivered', nextAttemptAt: null });
    expect(notification.attempts[0]).toMatchObject({ httpStatus: 200, replyBody: 'SUCCESS', verdict: 'acked' });
    expect(Object.keys(notification.attempts[0])).toEqual(expect.arrayContaining(['at', 'requestBody', 'httpStatus', 'replyBody', 'verdict']));

    const replayed = await sim.post(`/_sim/notifications/${notification.id}/replay`);
    expect(replayed.attempts).toHaveLength(2);
    expect(merchant.received.filter((r) => JSON.parse(r.body).Body.MERORDERID === request.MERORDERID)).toHaveLength(2);
    expect((await sim.get(`/_sim/notifications/${notification.id}`)).id).toBe(notification.id);
    expect((await sim.request('POST', '/_sim/notifications/999999/replay')).status).toBe(404);
  });

  it('scenarios: list with built-ins, create, replace, delete; built-ins are read-only', async () => {
    const list = await sim.get('/_sim/scenarios');
    expect(list.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['magic-2001-pending-then-paid', 'magic-2002-pending-then-closed', 'magic-2003-failed', 'magic-2004-system-error']),
    );
    const scenario = { id: 'slow-create', match: { provider: 'mmsp', amount: 5555 }, steps: [{ do: 'http', on: 'create', delayMs: 10 }] };
    const created = await sim.request('POST', '/_sim/scenarios', scenario);
    expect(created.status).toBe(201);
    expect(created.body.source).toBe('api');
    expect((await sim.request('POST', '/_sim/scenarios', scenario)).status).toBe(409);
    const replaced = await sim.request('PUT', '/_sim/scenarios/slow-create', { ...scenario, id: 'ignored', description: 'v2' });
    expect(replaced.body).toMatchObject({ id: 'slow-create', description: 'v2' });
    expect((await sim.get('/_sim/scenarios/slow-create')).description).toBe('v2');
    expect((await sim.request('DELETE', '/_sim/scenarios/slow-create')).status).toBe(200);
    expect((await sim.request('GET', '/_sim/scenarios/slow-create')).status).toBe(404);
    expect((await sim.request('DELETE', '/_sim/scenarios/magic-2003-failed')).status).toBe(409);
    expect((await sim.request('PUT', '/_sim/scenarios/magic-2003-failed', scenario)).status).toBe(409);
    expect((await sim.request('POST', '/_sim/scenarios', { id: 'x', match: {}, steps: [{ do: 'respond', outcome: 'failed' }] })).body.error.message).toContain('match');
    const typo = await sim.request('POST', '/_sim/scenarios', { id: 'typo', match: { provider: 'mmps' }, steps: [{ do: 'respond', outcome: 'failed' }] });
    expect(typo).toMatchObject({ status: 400, body: { error: { code: 'INVALID_SCENARIO' } } });
    expect(typo.body.error.message).toContain('match.provider: unknown provider mmps');
    const product = await sim.request('POST', '/_sim/scenarios', { id: 'typo', match: { product: 'wechat.qrr' }, steps: [{ do: 'respond', outcome: 'failed' }] });
    expect(product.body.error.message).toContain('match.product: wechat.qrr matches no product');
    expect((await sim.request('POST', '/_sim/scenarios', { ...scenario, id: 'magic-2003-failed' })).body.error.message).toContain('choose another id');
  });

  it('GET /requests is the journal of provider requests, newest first', async () => {
    const request = micropayBody(`${merchant.url}/n`);
    await client.send(2307, request);
    const [entry] = await sim.get(`/_sim/requests?provider=mmsp&orderNo=${request.MERORDERID}`);
    expect(entry).toMatchObject({ provider: 'mmsp', method: 'POST', path: '/mmsp/api', responseStatus: 200, merchantId: '001440353999853', operation: '2307 微信刷卡支付' });
    expect(JSON.parse(entry.requestBody).Body.MERORDERID).toBe(request.MERORDERID);
    expect(JSON.parse(entry.responseBody).CommandID).toBe(35075);
    expect((await sim.get('/_sim/requests?limit=1')).length).toBe(1);
  });

  it('merchants: add, list, replace, delete, with validation', async () => {
    const added = await sim.request('POST', '/_sim/merchants', { provider: 'mmsp', merchantId: '001440300000004', terminalId: '84970004', md5Key: 'k4' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ source: 'api', md5Key: 'k4' });
    const reply = await client.send(2307, micropayBody(`${merchant.url}/n`), { MERNO: '001440300000004', TERMNO: '84970004' }, 'k4');
    expect(replySignatureValid(reply, 'k4')).toBe(true);
    expect((await sim.request('POST', '/_sim/merchants', { provider: 'mmsp', merchantId: '001440300000004', md5Key: 'k5' })).status).toBe(200);
    expect((await sim.request('POST', '/_sim/merchants', { provider: 'nope', merchantId: 'x' })).body.error.message).toContain('provider');
    expect((await sim.request('POST', '/_sim/merchants', { provider: 'mmsp', merchantId: 'x', publicKey: 'garbage' })).body.error.message).toContain('publicKey');
    expect((await sim.request('DELETE', '/_sim/merchants/mmsp/001440300000004')).status).toBe(200);
    expect((await sim.request('DELETE', '/_sim/merchants/mmsp/001440300000004')).status).toBe(404);
  });

  it('POST /sign/mmsp returns a signed envelope the sandbox accepts', async () => {
    const signed = await sim.post('/_sim/sign/mmsp', { CommandID: 2307, Body: micropayBody(`${merchant.url}/n`) });
    expect(signed).toMatchObject({ CommandID: 2307, MERNO: '001440353999853', TERMNO: '84970001', NodeID: 'openplat' });
    expect((await client.raw(signed)).Body.STATUS).toBe('1');
    expect((await sim.request('POST', '/_sim/sign/nope', {})).status).toBe(404);
    expect((await sim.request('POST', '/_sim/sign/mmsp?format=form', { CommandID: 2310, Body: {} })).body.error.code).toBe('NOT_FLAT');
  });

  it('POST /sign/aggpay?format=form returns a form body the platform accepts', async () => {
    const response = await fetch(`${sim.url}/_sim/sign/aggpay?format=form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order_no: 'FORM0001', amount: '100', product_name: 'x', bank_code: '912', notify_url: 'http://127.0.0.1:9/n', return_url: 'http://127.0.0.1:9/r' }),
    });
    const form = await response.text();
    expect(form).toMatch(/^appid=gpu10000000&order_no=FORM0001&.*&sign=[0-9a-f]{32}$/);
    const answer = await fetch(`${sim.url}/aggpay/api/order/unified`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect((await answer.json()).status).toBe('1');
  });

  it('GET /providers lists mounts, notification schedules and code tables', async () => {
    const mmsp = (await sim.get('/_sim/providers')).find((p: { id: string }) => p.id === 'mmsp');
    expect(mmsp).toMatchObject({ id: 'mmsp', mount: '/mmsp' });
    expect(mmsp.notifications['scan.pay'].schedule).toEqual([0, 15, 15, 30, 180, 1800, 1800, 1800, 1800, 1800, 3600]);
    expect(mmsp.codes.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(['ERR_CODE AA', 'ERR_CODE D4', '[-2002]']));
  });

  it('POST /reset empties orders, notifications and the journal, keeping merchants and keys', async () => {
    const keys = await sim.get('/_sim/keys');
    expect((await sim.get('/_sim/orders')).length).toBeGreaterThan(0);
    expect((await sim.post('/_sim/reset')).ok).toBe(true);
    expect(await sim.get('/_sim/orders')).toEqual([]);
    expect(await sim.get('/_sim/notifications')).toEqual([]);
    expect(await sim.get('/_sim/requests')).toEqual([]);
    expect(await sim.get('/_sim/keys')).toEqual(keys);
  });

  it('an unknown admin route answers a JSON 404', async () => {
    const reply = await sim.request('GET', '/_sim/nope');
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('NOT_FOUND');
  });

  it('an unknown record id answers RECORD_NOT_FOUND, not the unknown-route error', async () => {
    expect(await sim.request('GET', '/_sim/records/999999')).toMatchObject({ status: 404, body: { error: { code: 'RECORD_NOT_FOUND', message: 'no record 999999' } } });
  });
});
