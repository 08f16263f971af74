import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { cstCompact, KEY, MERCHANT, ORDER_DATETIME, PAY_DATA_ORDER, payData, signed as allinpaySigned } from './support/allinpay.js';
import { useSandbox } from './support/harness.js';
import { MMSP_KEY, orderNo } from './support/mmsp.js';
import { cardPayBody, merchantSign, quickEnvelope, type Card } from './support/mmsp-quick.js';
import { forgeEncrypt, forgeKeyPair, forgeSign, payoutClient, payoutKeys, payoutPlaintext } from './support/mmsp-payout.js';
import { CARDS, encrypt, formEncode, GATEWAY, loadKeys, MER_ID, merDateOf, orderId, plain, rsaSign, rsaVerify, umpayClient, type UmpayKeys } from './support/umpay.js';

/**
 * The signature diagnosis of the providers that joined after the first three:
 * UMPay (RSA: checked by verifying each mistake's bytes), Allinpay (fixed field
 * order), MMSP quick pay and the gateway's web_api form (the scan envelope's
 * rule), and MMSP payouts (the envelope opened with the platform key). Each
 * merchant mistake is made here, apart from the sandbox's code.
 */
const { sim, merchant } = useSandbox({ resetEach: true });
const md5 = (text: string, charset = 'utf8') => createHash('md5').update(iconv.encode(text, charset)).digest('hex').toUpperCase();

/** The newest journal row of a provider, and its diagnosis. */
async function latestDiagnosis(provider: string) {
  const [entry] = await sim.get(`/_sim/requests?provider=${provider}&limit=1`);
  return { entry, diagnosis: await sim.get(`/_sim/requests/${entry.id}/diagnosis`) };
}

const sortedString = (fields: Record<string, string>, without = ['sign', 'sign_type']) =>
  Object.keys(fields)
    .filter((name) => !without.includes(name))
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('&');

describe('UMPay: SHA1withRSA over the sorted string', () => {
  let keys: UmpayKeys;
  beforeAll(async () => {
    keys = await loadKeys(sim.get);
  });

  async function postForm(fields: Record<string, string>) {
    return fetch(`${sim.url}${GATEWAY}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formEncode(fields) });
  }

  it('names sign_type signed too, on the order the refused query names; the expected sign is the private key\'s', async () => {
    const client = umpayClient(sim.url, keys);
    const mer_date = await merDateOf(sim.get);
    const order_id = orderId('D');
    await client.call('pay_req_h5_frontpage', { order_id, mer_date, amount: '100', goods_inf: '商品', notify_url: `${merchant.url}/n`, ret_url: `${merchant.url}/r` });
    const fields: Record<string, string> = { service: 'query_order', charset: 'UTF-8', mer_id: MER_ID, sign_type: 'RSA', res_format: 'HTML', version: '4.0', order_id, mer_date };
    fields.sign = rsaSign(sortedString(fields, ['sign']), keys.merchantPrivateKey);
    await postForm(fields);

    const { entry, diagnosis } = await latestDiagnosis('umpay');
    expect(entry.orderNo).toBe(`${order_id}:${mer_date}`);
    const [order] = await sim.get(`/_sim/records?provider=umpay&kind=order&q=${order_id}`);
    expect((await sim.get(`/_sim/requests?recordId=${order.id}`)).map((row: any) => row.id)).toContain(entry.id);
    expect(diagnosis).toMatchObject({ provider: 'umpay', merchantId: MER_ID, orderNo: `${order_id}:${mer_date}`, operation: 'query_order 订单查询', verdict: 'invalid', comparison: 'exact' });
    expect(diagnosis.canonical).toBe(sortedString(fields));
    // What the sandbox would have accepted: the merchant key's signature over the canonical string.
    expect(rsaVerify(Buffer.from(diagnosis.canonical, 'utf8'), diagnosis.expected, keys.merchantPublicKey)).toBe(true);
    const [best] = diagnosis.variants;
    expect(best).toMatchObject({ matches: true, canonical: sortedString(fields, ['sign']) });
    expect(best.mistakes).toEqual([expect.stringContaining('sign_type signed too')]);
    expect(diagnosis.variants.filter((variant: any) => variant.matches)).toHaveLength(1);
  });

  it('a sign over GBK bytes while declaring UTF-8 is valid (the Java SDK); sensitive fields signed before encryption are named', async () => {
    const client = umpayClient(sim.url, keys);
    const gbk = client.build('pay_req_h5_frontpage', { order_id: orderId('G'), mer_date: await merDateOf(sim.get), amount: '100', goods_inf: '中文商品', notify_url: `${merchant.url}/n` }, { signWith: 'gbk' });
    expect((await sim.post('/_sim/diagnose/umpay', { request: formEncode(gbk) })).verdict).toBe('valid');

    const card = CARDS.icbcDebit;
    const clear: Record<string, string> = { service: 'sms_req_shortcut', charset: 'UTF-8', mer_id: MER_ID, sign_type: 'RSA', res_format: 'HTML', version: '4.0', trade_no: '3603011000000001', media_id: card.media_id, media_type: 'MOBILE', card_id: card.card_id, card_holder: card.card_holder };
    const sign = rsaSign(plain(clear), keys.merchantPrivateKey);
    const sent = { ...clear, card_id: encrypt(card.card_id, keys.platformCertificate), card_holder: encrypt(card.card_holder, keys.platformCertificate), sign };
    const diagnosis = await sim.post('/_sim/diagnose/auto', { request: formEncode(sent) });
    expect(diagnosis).toMatchObject({ provider: 'umpay', verdict: 'invalid', orderNo: '3603011000000001' });
    expect(diagnosis.variants[0].matches).toBe(true);
    expect(diagnosis.variants[0].mistakes).toEqual([expect.stringContaining('before they were encrypted')]);
    expect(diagnosis.variants[0].canonical).toBe(plain(clear));
  });

  it('without the merchant\'s private key: no expected sign, the verdict and the mistakes by verification', async () => {
    const pair = forgeKeyPair();
    await sim.post('/_sim/merchants', { provider: 'umpay', merchantId: '60009999', publicKey: pair.publicKey, name: 'own keys' });
    const fields: Record<string, string> = { service: 'query_order', charset: 'UTF-8', mer_id: '60009999', sign_type: 'RSA', res_format: 'HTML', version: '4.0', order_id: 'A1', mer_date: '20260301', media_id: 'test@msn.com', goods_inf: '' };
    // Empty goods_inf left out of the string (§2.3.1 注意(1) keeps it as goods_inf=), and the values URL-encoded (test%40msn.com).
    const text = Object.keys(fields)
      .filter((name) => name !== 'sign_type' && fields[name] !== '')
      .sort()
      .map((name) => `${name}=${encodeURIComponent(fields[name]!)}`)
      .join('&');
    fields.sign = rsaSign(text, pair.privateKey);
    const url = `${sim.url}${GATEWAY}?${formEncode(fields)}`;
    const diagnosis = await sim.post('/_sim/diagnose/auto', { request: url });
    expect(diagnosis).toMatchObject({ provider: 'umpay', merchantId: '60009999', verdict: 'invalid', expected: null, canonical: sortedString(fields) });
    expect(diagnosis.variants[0].matches).toBe(true);
    expect(diagnosis.variants[0].mistakes).toHaveLength(2);
    expect(diagnosis.variants[0].mistakes.join(' ')).toMatch(/URL-encoded.*empty parameters left out|empty parameters left out.*URL-encoded/);
    expect(diagnosis.variants[0].signature).toMatch(/^\(SHA1 [0-9a-f]{40}\)$/);
    // The right sign verifies, still without a private key.
    fields.sign = rsaSign(sortedString(fields), pair.privateKey);
    expect(await sim.post('/_sim/diagnose/umpay', { request: formEncode(fields) })).toMatchObject({ verdict: 'valid', variants: [] });
  });
});

describe('Allinpay: MD5 in the fixed field order', () => {
  it('names an empty field kept, on payData refused for its signMsg', async () => {
    const fields = payData(`${merchant.url}/receive`, { ext1: '' });
    const source = PAY_DATA_ORDER.filter((name) => fields[name] !== undefined && name !== 'signMsg')
      .map((name) => `${name}=${fields[name]}`)
      .join('&');
    fields.signMsg = md5(`${source}&key=${KEY}`);
    const response = await fetch(`${sim.url}/allinpay/mobile/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
    expect(await response.text()).toContain('ZF10020');
    const { entry, diagnosis } = await latestDiagnosis('allinpay');
    expect(entry.orderNo).toBe(fields.orderNo);
    expect(diagnosis).toMatchObject({ provider: 'allinpay', merchantId: MERCHANT, orderNo: fields.orderNo, operation: 'payData 支付请求 v1.0', verdict: 'invalid', comparison: 'case-insensitive' });
    expect(diagnosis.canonical).toBe(`${source.replace('&ext1=', '')}&key=${KEY}`);
    expect(diagnosis.variants[0]).toMatchObject({ matches: true, canonical: `${source}&key=${KEY}` });
    expect(diagnosis.variants[0].mistakes).toEqual([expect.stringContaining('empty fields kept')]);
  });

  it('reads the web form, a query by its version and the key without "&key="; lower-case hex is no mistake', async () => {
    const query: Record<string, string> = { merchantId: MERCHANT, version: 'v1.5', signType: '0', orderNo: 'NO1', orderDatetime: ORDER_DATETIME, queryDatetime: cstCompact(new Date().toISOString()) };
    const source = ['merchantId', 'version', 'signType', 'orderNo', 'orderDatetime', 'queryDatetime'].map((name) => `${name}=${query[name]}`).join('&');
    const lower = await sim.post('/_sim/diagnose/auto', { request: new URLSearchParams({ ...query, signMsg: md5(`${source}&key=${KEY}`).toLowerCase() }).toString() });
    expect(lower).toMatchObject({ provider: 'allinpay', operation: '单笔订单查询 v1.5', verdict: 'valid' });
    const joined = await sim.post('/_sim/diagnose/allinpay', { request: new URLSearchParams({ ...query, signMsg: md5(`${source}${KEY}`) }).toString() });
    expect(joined.variants[0]).toMatchObject({ matches: true, mistakes: ['the key appended without "&key="'] });

    const web = allinpaySigned(
      { inputCharset: '1', pickupUrl: 'http://shop.example/p', version: 'v1.0', language: '1', signType: '0', merchantId: MERCHANT, orderNo: 'W1', orderAmount: '1', orderDatetime: ORDER_DATETIME, productName: '商品', payType: '0' },
      ['inputCharset', 'pickupUrl', 'receiveUrl', 'version', 'language', 'signType', 'merchantId', 'orderNo', 'orderAmount', 'orderDatetime', 'productName', 'payType'],
    );
    const read = await sim.post('/_sim/diagnose/auto', { request: new URLSearchParams(web).toString(), path: '/allinpay/gateway/index.do' });
    expect(read).toMatchObject({ provider: 'allinpay', operation: '网关订单 v1.0', verdict: 'valid' });
  });
});

describe('MMSP quick pay, the gateway\'s web_api form and payouts', () => {
  let cards: Card[];
  beforeAll(async () => {
    cards = await sim.get('/_sim/cards');
  });

  it('a 771 with "/" left unescaped is named, as on the scan envelope', async () => {
    const body = cardPayBody(cards.find((card) => card.behaviour === 'ok' && card.type === 'debit')!, `${merchant.url}/notify`);
    const sorted = Object.fromEntries(Object.keys(body).sort().map((name) => [name, (body as Record<string, unknown>)[name]]));
    const sign = md5(`${JSON.stringify(sorted)}&key=${MMSP_KEY}`);
    await fetch(`${sim.url}/mmsp/api`, { method: 'POST', body: JSON.stringify({ ...quickEnvelope(771, body), Sign: sign }) });
    const { diagnosis } = await latestDiagnosis('mmsp');
    expect(diagnosis).toMatchObject({ operation: expect.stringContaining('771'), orderNo: body.MERORDERID, verdict: 'invalid' });
    expect(diagnosis.variants[0].mistakes).toEqual([expect.stringContaining('"/" left unescaped')]);
  });

  it('reads the envelope of the 2322 web_api form (URL-encoded or multipart) and names the refused order', async () => {
    const body = { MERORDERID: orderNo('G'), AMT: '100', NOTIFY_URL: `${merchant.url}/n`, JUMP_URL: 'https://shop.example/back', PAY_CHANNEL: 'YLBILL-NET-B2C' };
    const good = quickEnvelope(2322, body);
    await fetch(`${sim.url}/mmsp/gateway`, { method: 'POST', body: new URLSearchParams({ web_api: JSON.stringify(good) }), redirect: 'manual' });
    expect((await latestDiagnosis('mmsp')).diagnosis).toMatchObject({ operation: '2322 网关支付请求', orderNo: body.MERORDERID, verdict: 'valid' });

    const form = new FormData();
    form.set('web_api', JSON.stringify({ ...good, Sign: merchantSign(body, 'wrong-key') }));
    const refused = await fetch(`${sim.url}/mmsp/gateway`, { method: 'POST', body: form, redirect: 'manual' });
    expect(refused.status).toBe(400);
    const { entry, diagnosis } = await latestDiagnosis('mmsp');
    expect(entry.orderNo).toBe(body.MERORDERID);
    expect(diagnosis).toMatchObject({ operation: '2322 网关支付请求', verdict: 'invalid', expected: merchantSign(body) });
  });

  it('a payout envelope: decrypted, SIGN verified; GBK bytes are named; the timeline shows PAYSTATE', async () => {
    const keys = await payoutKeys(sim.url);
    const client = payoutClient(sim.url, keys);
    const plaintext = payoutPlaintext();
    const accepted = await client.send(plaintext);
    expect(accepted.body.RETCODE).toBe('0000');
    expect((await latestDiagnosis('mmsp')).diagnosis).toMatchObject({ operation: '4097 单笔代付', orderNo: plaintext.ORDERNO, verdict: 'valid', canonical: JSON.stringify(plaintext) });

    // A 4098 signed over the GBK bytes of its plaintext (ACCNAME is Chinese only in 4097: MEMO carries some here).
    const query = JSON.stringify({ CMDID: '4098', VERSION: '1.0', MERNO: plaintext.MERNO, ORDERNO: plaintext.ORDERNO, REQTIME: plaintext.REQTIME, MEMO: '查询' });
    const md = forge.md.sha1.create();
    md.update(iconv.encode(query, 'gbk').toString('binary'));
    const SIGN = forge.util.encode64(forge.pki.privateKeyFromPem(keys.merchantPrivateKey).sign(md));
    const refused = await client.raw(JSON.stringify({ ENCRYPT: forgeEncrypt(query, keys.platformPublicKey), SIGN }));
    expect(refused.body.RETCODE).toBe('1006');
    const { entry, diagnosis } = await latestDiagnosis('mmsp');
    expect(entry).toMatchObject({ orderNo: plaintext.ORDERNO, merchantId: plaintext.MERNO });
    expect(diagnosis).toMatchObject({ operation: '4098 代付查询', verdict: 'invalid', canonical: query, given: SIGN, expected: forgeSign(query, keys.merchantPrivateKey) });
    expect(diagnosis.variants[0]).toMatchObject({ matches: true, mistakes: [expect.stringContaining('GBK bytes')] });

    // The payout's page: the request on its timeline, and each state with its PAYSTATE.
    const [payout] = await sim.get(`/_sim/records?provider=mmsp&kind=payout&q=${plaintext.ORDERNO}`);
    await sim.advance(60);
    const html = await (await fetch(`${sim.url}/dashboard/records/${payout.id}`)).text();
    expect(html).toContain(`data-request="${entry.id}"`);
    for (const text of ['PAYSTATE 5 代付请求已受理，等待审核', 'PAYSTATE 2 付款中', 'PAYSTATE 1 付款成功']) expect(html).toContain(text);
  });
});
