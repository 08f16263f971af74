import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aggpay, connectSandbox, icashier, mmsp, SandboxApiError, startSandbox, type RunningSandbox } from '../src/testkit/index.js';
import { generateKeyPair, selfSignedCertificate } from '../src/keys/generate.js';
import { certificateDer } from '../src/testkit/keys.js';
import { startMerchant } from './support/merchant.js';

type Stub = Awaited<ReturnType<typeof startMerchant>>;

let sandbox: RunningSandbox;
let shop: Stub;
let sequence = 0;
const orderNo = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${sequence++}`;

beforeAll(async () => {
  sandbox = await startSandbox({ clockStart: '2026-03-01T10:00:00+08:00' });
  shop = await startMerchant();
});
afterAll(async () => {
  await sandbox.stop();
  await shop.close();
});
beforeEach(async () => {
  await sandbox.reset();
  shop.received.length = 0;
  shop.setReply(() => ({ body: 'SUCCESS' }));
});

async function mmspPrepay(no: string, amount = '100') {
  const m = await sandbox.merchant('mmsp');
  const credentials = { merchantId: m.merchantId, terminalId: m.terminalId!, key: m.md5Key! };
  const request = mmsp.signRequest(2306, { TRADETYPE: '1', AMT: amount, MERORDERID: no, RANDSTR: 'r1', GOODSNAME: '测试', NOTIFY_URL: `${shop.url}/notify` }, credentials);
  const reply = (await (await fetch(`${sandbox.url}/mmsp/api`, { method: 'POST', body: JSON.stringify(request) })).json()) as mmsp.MmspReply;
  return { reply, credentials };
}

describe('startSandbox', () => {
  it('starts in memory on a free port with a frozen clock at clockStart', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await sandbox.health()).toEqual({ ok: true, now: '2026-03-01T02:00:00.000Z' });
    expect((await sandbox.clock()).scale).toBe(0);
    expect(await sandbox.advance(90)).toBe('2026-03-01T02:01:30.000Z');
  });

  it('drives an MMSP order end to end with the merchant-side helpers', async () => {
    const no = orderNo('TK');
    const { reply, credentials } = await mmspPrepay(no);
    expect(reply.RetCode).toBe(1);
    expect(mmsp.verifyReply(reply, credentials.key)).toBe(true);

    const order = await sandbox.order('mmsp', no);
    expect(order).toMatchObject({ provider: 'mmsp', orderNo: no, amount: 100, state: 'created' });
    expect(await sandbox.pay('mmsp', no)).toMatchObject({ orderNo: no, state: 'paid' });
    await sandbox.advance(0);

    expect(shop.received).toHaveLength(1);
    const push = mmsp.verifyNotification(shop.received[0]!.body, credentials.key);
    expect(push).toMatchObject({ valid: true, fields: { MERORDERID: no, STATUS: '1', AMT: 100 } });
    const [notification] = await sandbox.notifications({ provider: 'mmsp', orderNo: no });
    expect(notification).toMatchObject({ status: 'delivered', attemptCount: 1, attempts: [{ verdict: 'acked' }] });

    const replayed = await sandbox.replay(notification!.id);
    expect(replayed.attempts.map((a) => a.trigger)).toEqual(['schedule', 'replay']);
    expect(shop.received).toHaveLength(2);

    expect((await sandbox.records('order', { provider: 'mmsp' })).map((r) => r.number)).toEqual([no]);
    expect(await sandbox.records('refund')).toEqual([]);
    const journal = await sandbox.requests({ provider: 'mmsp', orderNo: no });
    expect(journal.length).toBeGreaterThan(0);
  });

  it('fails and closes orders as the payer and operator would, and reports a held order', async () => {
    const failed = orderNo('TF');
    await mmspPrepay(failed);
    expect((await sandbox.fail('mmsp', failed)).state).toBe('failed');

    const closed = orderNo('TC');
    await mmspPrepay(closed);
    expect((await sandbox.close('mmsp', closed)).state).toBe('closed');

    // Magic amount 2001 holds the order pending: the payer's button does not move it, force does.
    const held = orderNo('TH');
    await mmspPrepay(held, '2001');
    const kept = await sandbox.pay('mmsp', held);
    expect(kept.state).not.toBe('paid');
    expect(kept.held).toMatch(/holds this order/);
    expect((await sandbox.pay('mmsp', held, { force: true })).state).toBe('paid');

    expect((await sandbox.orders({ provider: 'mmsp', state: 'failed' })).map((o) => o.orderNo)).toEqual([failed]);
  });

  it('throws the admin error, with its code, for what the API refuses', async () => {
    const error = await sandbox.pay('mmsp', 'NO-SUCH-ORDER').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxApiError);
    expect(error).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
    await expect(sandbox.advance(-1)).rejects.toMatchObject({ code: 'INVALID_SECONDS' });
    expect(await sandbox.order('mmsp', 'NO-SUCH-ORDER')).toBeUndefined();
  });

  it('adds and removes scenarios and merchants', async () => {
    await sandbox.scenarios.add({ id: 'tk-forged', match: { provider: 'aggpay', amount: 4321 }, steps: [{ do: 'notify', mode: 'wrong-signature' }] });
    expect((await sandbox.scenarios.get('tk-forged'))?.source).toBe('api');
    expect((await sandbox.scenarios.list()).map((s) => s.id)).toContain('magic-2001-pending-then-paid');
    await expect(sandbox.scenarios.add({ id: 'bad', match: { provider: 'nope' }, steps: [] })).rejects.toMatchObject({ code: 'INVALID_SCENARIO' });

    const merchant = await sandbox.merchants.add({ provider: 'aggpay', merchantId: 'tk-shop', md5Key: 'tk-secret-0001', name: 'Testkit shop' });
    expect(merchant).toMatchObject({ provider: 'aggpay', merchantId: 'tk-shop', md5Key: 'tk-secret-0001' });
    expect((await sandbox.merchant('aggpay', 'tk-shop')).md5Key).toBe('tk-secret-0001');

    // The new merchant's order at the scenario's amount: the notification is signed with a key it does not have.
    const no = orderNo('AG');
    const form = aggpay.signRequest(
      { appid: 'tk-shop', order_no: no, amount: '4321', product_name: 'onlinepay', bank_code: '912', notify_url: `${shop.url}/agg`, return_url: `${shop.url}/ret` },
      'tk-secret-0001',
    );
    const answer = await (await fetch(`${sandbox.url}/aggpay/api/order/unified`, { method: 'POST', body: new URLSearchParams(form) })).json();
    expect(answer).toMatchObject({ status: '1' });
    await sandbox.pay('aggpay', no);
    await sandbox.advance(0);
    expect(aggpay.verifyNotification(shop.received[0]!.body, 'tk-secret-0001')).toMatchObject({ valid: false, fields: { order_no: no, pay_status: '1' } });
    expect((await sandbox.notifications({ orderNo: no }))[0]!.wrongSignature).toBe(true);

    await sandbox.scenarios.remove('tk-forged');
    expect(await sandbox.scenarios.get('tk-forged')).toBeUndefined();
    await sandbox.merchants.remove('aggpay', 'tk-shop');
    await expect(sandbox.merchant('aggpay', 'tk-shop')).rejects.toMatchObject({ code: 'MERCHANT_NOT_FOUND' });
  });

  it('speaks the cashier envelope with the icashier helpers', async () => {
    const m = await sandbox.merchant('icashier');
    const no = orderNo('CASH');
    const submit = icashier.signRequest({ action: 'WeiXin', txnamt: 100, merid: m.merchantId, orderid: no, backurl: `${shop.url}/back` }, m.md5Key!);
    const response = await fetch(`${sandbox.url}/icashier/api/icashier`, { method: 'POST', body: new URLSearchParams(submit), redirect: 'manual' });
    expect(response.status).toBe(303);
    await sandbox.pay('icashier', no);
    await sandbox.advance(0);
    const back = icashier.verifyNotification(`${shop.url}${shop.received[0]!.path}`, m.md5Key!);
    expect(back).toMatchObject({ valid: true, fields: { orderid: no, resultcode: icashier.RESULT_CODES.paid } });

    const query = icashier.signRequest({ merid: m.merchantId, orderid: no }, m.md5Key!);
    const reply = (await (await fetch(`${sandbox.url}/icashier/api/query`, { method: 'POST', body: new URLSearchParams(query) })).json()) as { resp: string; sign: string };
    expect(icashier.openReply(reply, m.md5Key!)).toMatchObject({ valid: true, fields: { respcode: '00', resultcode: '0000' } });
  });

  it('serves every key set, certificates convertible to .cer', async () => {
    const keys = await sandbox.keys();
    expect(Object.keys(keys.platform)).toContain('mmsp');
    expect(keys.merchants.map((m) => m.provider)).toEqual(expect.arrayContaining(['mmsp', 'aggpay', 'icashier']));
  });

  it('turns a PEM certificate into the .cer (DER) bytes providers hand out', () => {
    const certificate = selfSignedCertificate(generateKeyPair({ bits: 1024 }), 'testkit');
    const der = certificateDer(certificate!);
    expect(der[0]).toBe(0x30); // an ASN.1 SEQUENCE
    expect(new X509Certificate(der).subject).toContain('testkit');
  });

  it('reset empties records and keeps merchants', async () => {
    await mmspPrepay(orderNo('TR'));
    await sandbox.reset();
    expect(await sandbox.orders()).toEqual([]);
    expect((await sandbox.merchants.list('mmsp')).length).toBeGreaterThan(0);
  });
});

describe('connectSandbox', () => {
  let guarded: RunningSandbox;
  beforeAll(async () => {
    guarded = await startSandbox({ env: { SIM_ADMIN_TOKEN: 'testkit-token-1' } });
  });
  afterAll(() => guarded.stop());

  it('reaches a sandbox running elsewhere, with its admin token', async () => {
    const remote = connectSandbox(`${guarded.url}/`, { token: 'testkit-token-1' });
    expect(remote.url).toBe(guarded.url);
    expect(await remote.orders()).toEqual([]);
    expect((await remote.merchant('aggpay')).merchantId).toBe('gpu10000000');
    // The in-process handle was given the token too.
    expect(await guarded.orders()).toEqual([]);
    await expect(connectSandbox(guarded.url).orders()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect((await connectSandbox(guarded.url).health()).ok).toBe(true);
  });
});
