import iconv from 'iconv-lite';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { ackPage, CARDS, formEncode, GATEWAY, H5_MER_ID, loadKeys, merDateOf, orderId, plain, quickPay, rsaVerify, umpayClient, type UmpayClient, type UmpayKeys } from './support/umpay.js';

const { sim, merchant } = useSandbox({ env: { NOTIFY_TIMEOUT_MS: '5000' }, resetEach: true });
let keys: UmpayKeys;
let client: UmpayClient;

beforeAll(async () => {
  keys = await loadKeys(sim.get);
  client = umpayClient(sim.url, keys);
});

const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The browser's redirect to the gateway, as the SDK's H5FrontPageMap builds it (a GET URL). */
async function openCashier(params: Record<string, string> = {}, options: { merId?: string; keys?: UmpayKeys } = {}) {
  const fields = client.build(
    'pay_req_h5_frontpage',
    { order_id: orderId('H'), mer_date: await merDateOf(sim.get), amount: '990', goods_inf: '会员月卡', notify_url: `${merchant.url}/notify`, ret_url: `${merchant.url}/return`, ...params },
    options,
  );
  const response = await fetch(`${sim.url}${GATEWAY}?${formEncode(fields)}`, { redirect: 'manual' });
  return { fields, response, orderNo: `${fields.order_id}:${fields.mer_date}` };
}

describe('H5收银台 (pay_req_h5_frontpage)', () => {
  it('redirects the browser to a cashier listing the banks of §7 and §8', async () => {
    const { response, orderNo } = await openCashier();
    expect(response.status).toBe(302);
    const location = response.headers.get('location')!;
    const [order] = await sim.get(`/_sim/orders?provider=umpay&orderNo=${encodeURIComponent(orderNo)}`);
    expect(location).toBe(`${sim.url}/pay/umpay/${order.platformOrderNo}`);
    expect(order).toMatchObject({ product: 'h5.cashier', state: 'created', amount: 990, returnUrl: `${merchant.url}/return` });
    const page = await (await fetch(location)).text();
    expect(page).toContain('会员月卡');
    expect(page).toContain('¥9.90');
    const choices = [...page.matchAll(/name="choice" value="([^"]+)"/g)].map((m) => m[1]);
    expect(choices).toHaveLength(80);
    expect(choices).toContain('DEBITCARD:ICBC');
    expect(choices).toContain('CREDITCARD:CITIB');
    expect(page).toContain('工商银行 借记卡');
    // Under their headings (choiceGroups): §8's debit banks, then §7's credit banks.
    const debit = page.indexOf('借记卡（15家银行）');
    const credit = page.indexOf('信用卡（65家银行）');
    expect(debit).toBeGreaterThan(0);
    expect(page.indexOf('value="DEBITCARD:ICBC"')).toBeGreaterThan(debit);
    expect(page.indexOf('value="DEBITCARD:ICBC"')).toBeLessThan(credit);
    expect(page.indexOf('value="CREDITCARD:CITIB"')).toBeGreaterThan(credit);
    expect(page).toContain('商品描述信息');
    expect(page).toContain('付款金额');
    expect(page).not.toContain('/pay"');
  });

  it('after the bank is chosen and paid: front notification POSTed to ret_url, back notification GET to notify_url', async () => {
    merchant.setReply((request) => {
      const query = new URL(request.path, 'http://m').searchParams;
      return { body: ackPage({ mer_id: query.get('mer_id')!, order_id: query.get('order_id')!, mer_date: query.get('mer_date')!, ret_code: '0000', ret_msg: 'success', version: '4.0' }, keys.merchantPrivateKey) };
    });
    const { response, fields, orderNo } = await openCashier();
    const page = response.headers.get('location')!;
    const chosen = await fetch(`${page}/choose`, { method: 'POST', body: new URLSearchParams({ choice: 'DEBITCARD:CMB' }), redirect: 'manual' });
    expect(chosen.status).toBe(303);
    const bankPage = await (await fetch(page)).text();
    expect(bankPage).toContain('招商银行 借记卡');
    const pay = await fetch(`${page}/pay`, { method: 'POST', redirect: 'manual' });
    const form = await pay.text();
    expect(form).toContain(`action="${merchant.url}/return"`);
    expect(form).toContain('method="post"');
    const front: Record<string, string> = Object.fromEntries([...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, unescape(m[2]!)]));
    expect(front).toMatchObject({ service: 'pay_result_notify', trade_state: 'TRADE_SUCCESS', order_id: fields.order_id, amount: '990', pay_type: 'DEBITCARD', gate_id: 'CMB', sign_type: 'RSA' });
    expect(rsaVerify(iconv.encode(plain(front), 'gbk'), front.sign!, keys.platformCertificate)).toBe(true);

    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
    const back = new URL(merchant.received[0]!.path, 'http://m');
    expect(back.pathname).toBe('/notify');
    expect(back.searchParams.get('trade_state')).toBe('TRADE_SUCCESS');
    expect(back.searchParams.get('gate_id')).toBe('CMB');
    const [notification] = await sim.get(`/_sim/notifications?provider=umpay&orderNo=${encodeURIComponent(orderNo)}`);
    expect(notification.status).toBe('delivered');
    const query = await client.call('query_order', { order_id: fields.order_id!, mer_date: fields.mer_date! });
    expect(query.fields).toMatchObject({ trade_state: 'TRADE_SUCCESS', pay_type: 'DEBITCARD', gate_id: 'CMB' });
  });

  it('the payer’s failure is TRADE_FAIL, notified', async () => {
    const { response } = await openCashier();
    const page = response.headers.get('location')!;
    await fetch(`${page}/choose`, { method: 'POST', body: new URLSearchParams({ choice: 'CREDITCARD:BOC' }), redirect: 'manual' });
    await fetch(`${page}/fail`, { method: 'POST', redirect: 'manual' });
    await sim.advance(0);
    expect(new URL(merchant.received[0]!.path, 'http://m').searchParams.get('trade_state')).toBe('TRADE_FAIL');
  });

  it('a refused redirect shows the ret_code on the page, in a signed META', async () => {
    const { response } = await openCashier({ amount: '0' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<p>00990003 参数格式错误：amount');
    expect(html).toMatch(/<META NAME="MobilePayPlatform" CONTENT="mer_id=60000100&ret_code=00990003&/);
    expect(await sim.get('/_sim/orders?provider=umpay')).toEqual([]);
  });

  it('a merchant with the H5 cashier only opens it, and is refused quick pay (00200076)', async () => {
    const h5Keys = await loadKeys(sim.get, H5_MER_ID);
    const { response } = await openCashier({}, { merId: H5_MER_ID, keys: h5Keys });
    expect(response.status).toBe(302);
    const h5Client = umpayClient(sim.url, h5Keys);
    const quick = quickPay(h5Client, sim);
    const before = await sim.state();
    const placed = await quick.place(CARDS.icbcDebit, {}, { merId: H5_MER_ID, keys: h5Keys });
    expect(placed.answer.fields).toMatchObject({ ret_code: '00200076', ret_msg: '商户未开通产品关系：apply_pay_shortcut', mer_id: H5_MER_ID });
    expect(placed.answer.signValid).toBe(true);
    expect(await sim.state()).toBe(before);
  });
});

describe('the platform certificate and the signing tool', () => {
  it('serves the platform certificate as .cer (DER) and PEM, matching /_sim/keys', async () => {
    const cer = await fetch(`${sim.url}/_sim/keys/umpay/platform.cer`);
    expect(cer.status).toBe(200);
    expect(cer.headers.get('content-type')).toBe('application/pkix-cert');
    const der = Buffer.from(await cer.arrayBuffer());
    const certificate = forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary')));
    expect(forge.pki.publicKeyToPem(certificate.publicKey).replace(/\r/g, '')).toBe(keys.platformPublicKey.replace(/\r/g, ''));
    const pem = await (await fetch(`${sim.url}/_sim/keys/umpay/platform.pem`)).text();
    expect(pem).toBe(keys.platformCertificate);
    expect((await sim.request('GET', '/_sim/keys/mmsp/platform.cer')).body.error.code).toBe('CERTIFICATE_NOT_FOUND');
    expect((await sim.request('GET', '/_sim/keys/nope/platform.cer')).body.error.code).toBe('UNKNOWN_PROVIDER');
  });

  it('POST /_sim/sign/umpay fills the protocol parameters, encrypts card data and signs: the gateway accepts it', async () => {
    const placed = await quickPay(client, sim).place(CARDS.icbcDebit);
    const body = new URLSearchParams(
      (await (
        await fetch(`${sim.url}/_sim/sign/umpay?format=form`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ service: 'sms_req_shortcut', trade_no: placed.trade_no, media_id: CARDS.icbcDebit.media_id, media_type: 'MOBILE', card_id: CARDS.icbcDebit.card_id, card_holder: '张三', identity_type: 'IDENTITY_CARD', identity_code: CARDS.icbcDebit.identity_code }),
        })
      ).text()),
    );
    expect(body.get('card_id')).toMatch(/^[A-Za-z0-9+/]{170,}={0,2}$/);
    expect(body.get('charset')).toBe('UTF-8');
    const answer = await client.send(Object.fromEntries(body));
    expect(answer.fields.ret_code).toBe('0000');
  });
});
