import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import {
  ICASHIER_KEY,
  ICASHIER_MERCHANT,
  icashierClient,
  sealValid,
  signed,
  SINGLE_KEY,
  SINGLE_MERCHANT,
  submitBody,
  unseal,
} from './support/icashier.js';

const { sim, merchant } = useSandbox({ ack: '0000' });
let client: ReturnType<typeof icashierClient>;
/** The merchant stub's backurl: back notifications never leave the machine. */
let BACK: string;

beforeAll(() => {
  client = icashierClient(sim.url);
  BACK = `${merchant.url}/back`;
});

const stored = async (orderid: string) => (await sim.get(`/_sim/orders?provider=icashier&orderNo=${orderid}`))[0];

/** Submits and follows nothing: answers the queryid the redirect names. */
async function submitted(message: Record<string, unknown>, key = ICASHIER_KEY) {
  const response = await client.submit(message, key);
  expect(response.status).toBe(303);
  const location = response.headers.get('location')!;
  const queryid = location.split('/').pop()!;
  return { location, queryid, pagePath: new URL(location).pathname };
}

/** China time of an ISO instant, as the cashier writes paytime. */
const cst = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);

describe('3.1 交易提交', () => {
  it('POST api/icashier places the order and redirects to the cashier page', async () => {
    const message = submitBody(BACK, { txnamt: 1999 });
    const { location, queryid } = await submitted(message);
    expect(queryid).toMatch(/^\d{20}$/);
    expect(location).toBe(`${sim.url}/pay/icashier/${queryid}`);
    const order = await stored(String(message.orderid));
    expect(order).toMatchObject({
      merchantId: ICASHIER_MERCHANT,
      platformOrderNo: queryid,
      product: 'icashier.weixin',
      amount: 1999,
      state: 'created',
      notifyUrl: BACK,
      returnUrl: null,
      createdAt: '2026-03-01T02:00:00.000Z',
      // DMP-12 REC: 24 h.
      expiresAt: '2026-03-02T02:00:00.000Z',
    });
    const page = await (await fetch(location)).text();
    expect(page).toContain('收银台测试商户');
    expect(page).toContain('¥19.99');
    expect(page).toContain('微信支付');
    expect(page).toContain('<svg');
  });

  it('GET apis/icashier does the same, with req and sign URL-encoded in the query string', async () => {
    const message = submitBody(BACK, { action: 'Bank' });
    const response = await client.submitGet(message);
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    const order = await stored(String(message.orderid));
    expect(order).toMatchObject({ product: 'icashier.bank', platformOrderNo: location.split('/').pop() });
    const page = await (await fetch(location)).text();
    expect(page).toContain('银联支付');
    expect(page).toContain('网银支付');
    expect(page).not.toContain('<svg');
  });

  it('AliPay shows a QR page', async () => {
    const message = submitBody(BACK, { action: 'AliPay' });
    const { location } = await submitted(message);
    expect((await stored(String(message.orderid))).product).toBe('icashier.alipay');
    const page = await (await fetch(location)).text();
    expect(page).toContain('支付宝支付');
    expect(page).toContain('<svg');
  });

  it('accepts an upper-case sign and camelCase frontUrl/backUrl (DMP-1, DMP-5)', async () => {
    const { backurl, ...rest } = submitBody(BACK);
    const message: Record<string, unknown> = { ...rest, backUrl: backurl, frontUrl: 'https://shop.example/front' };
    const { req, sign } = signed(message);
    const response = await client.postForm('/icashier/api/icashier', { req, sign: sign.toUpperCase() });
    expect(response.status).toBe(303);
    expect(await stored(String(message.orderid))).toMatchObject({ notifyUrl: BACK, returnUrl: 'https://shop.example/front' });
  });

  it('Arbi shows a chooser of the enabled channels; the choice turns it into a QR or bank page', async () => {
    const message = submitBody(BACK, { action: 'Arbi' });
    const { location, pagePath } = await submitted(message);
    expect((await stored(String(message.orderid))).product).toBe('icashier.arbi');
    const chooser = await (await fetch(location)).text();
    for (const [value, label] of [
      ['Bank', '银联支付'],
      ['WeiXin', '微信支付'],
      ['AliPay', '支付宝支付'],
    ]) {
      expect(chooser).toContain(`value="${value}"`);
      expect(chooser).toContain(label);
    }
    expect(chooser).not.toContain('/pay"');
    // Paying before choosing a method is refused, and changes nothing.
    expect((await fetch(`${sim.url}${pagePath}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
    expect((await stored(String(message.orderid))).state).toBe('created');

    const choose = (choice: string, path = pagePath) =>
      fetch(`${sim.url}${path}/choose`, { method: 'POST', body: new URLSearchParams({ choice }), redirect: 'manual' });
    // Not offered: another action, and the names every object has (a choice must be one the page lists).
    const before = await stored(String(message.orderid));
    for (const choice of ['Arbi', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) expect((await choose(choice)).status).toBe(400);
    expect(await stored(String(message.orderid))).toEqual(before);
    expect(await (await fetch(location)).text()).not.toContain('/pay"');

    const chosen = await fetch(`${sim.url}${pagePath}/choose`, { method: 'POST', body: new URLSearchParams({ choice: 'AliPay' }), redirect: 'manual' });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe(pagePath);
    expect((await stored(String(message.orderid))).attributes).toMatchObject({ action: 'Arbi', channel: 'AliPay', chosen: 'AliPay' });
    const qr = await (await fetch(location)).text();
    expect(qr).toContain('支付宝支付');
    expect(qr).toContain('<svg');
    expect(qr).toContain('/pay"');
    // Once chosen, the page offers no choice any more.
    expect((await choose('WeiXin')).status).toBe(400);
    expect((await stored(String(message.orderid))).attributes).toMatchObject({ channel: 'AliPay', chosen: 'AliPay' });

    const bankOrder = submitBody(BACK, { action: 'Arbi' });
    const bank = await submitted(bankOrder);
    await fetch(`${sim.url}${bank.pagePath}/choose`, { method: 'POST', body: new URLSearchParams({ choice: 'Bank' }), redirect: 'manual' });
    const bankPage = await (await fetch(bank.location)).text();
    expect(bankPage).toContain('网银支付');
    expect(bankPage).not.toContain('<svg');
  });

  it('accname + accno select bind-card pay for a merchant with the 鉴权 permission (DMP-4)', async () => {
    const message = submitBody(BACK, { action: 'Bank', accname: '张三丰', accno: '11010119900307001X' });
    const { location } = await submitted(message);
    const order = await stored(String(message.orderid));
    expect(order.product).toBe('icashier.bank.bindcard');
    expect(order.attributes.bindCard).toEqual({ accname: '*三丰', accno: '110101********001X' });
    const page = await (await fetch(location)).text();
    expect(page).toContain('绑卡付');
    expect(page).not.toContain('11010119900307001X');
  });

  it('the single-channel merchant can submit WeiXin, signed with its own key', async () => {
    const message = submitBody(BACK, { merid: SINGLE_MERCHANT });
    await submitted(message, SINGLE_KEY);
    expect((await stored(String(message.orderid))).merchantId).toBe(SINGLE_MERCHANT);
  });
});

describe('3.2 前台通知', () => {
  it('Pay on the cashier page sends the browser to fronturl with resp and sign appended', async () => {
    const message = submitBody(BACK, { fronturl: 'https://shop.example/front?from=cashier', txnamt: 250 });
    const { queryid } = await submitted(message);
    const pay = await fetch(`${sim.url}/pay/icashier/${queryid}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    const target = new URL(pay.headers.get('location')!);
    expect(`${target.origin}${target.pathname}`).toBe('https://shop.example/front');
    expect(target.searchParams.get('from')).toBe('cashier');
    // URL-encoded in transport (§2.3 "base64 编码->urlencode 编码").
    expect(pay.headers.get('location')).not.toMatch(/resp=[^&]*[+/=][^&]*&/);
    const front = unseal(target.searchParams.get('resp')!, target.searchParams.get('sign')!);
    expect(sealValid(front)).toBe(true);
    expect(front.message).toEqual({
      resultcode: '0000',
      resultmsg: '交易成功',
      queryid,
      txnamt: 250,
      merid: ICASHIER_MERCHANT,
      orderid: message.orderid,
    });
    expect((await stored(String(message.orderid))).state).toBe('paid');
  });

  it('Fail returns 1003', async () => {
    const message = submitBody(BACK, { fronturl: 'https://shop.example/front' });
    const { queryid } = await submitted(message);
    const fail = await fetch(`${sim.url}/pay/icashier/${queryid}/fail`, { method: 'POST', redirect: 'manual' });
    const target = new URL(fail.headers.get('location')!);
    const front = unseal(target.searchParams.get('resp')!, target.searchParams.get('sign')!);
    expect(front.message).toMatchObject({ resultcode: '1003', queryid });
    expect(sealValid(front)).toBe(true);
  });

  it('without a fronturl the browser stays on the sandbox result page', async () => {
    const { queryid, pagePath } = await submitted(submitBody(BACK));
    const pay = await fetch(`${sim.url}/pay/icashier/${queryid}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    expect(pay.headers.get('location')).toBe(pagePath);
  });
});

describe('3.4 交易查询', () => {
  it('answers the resp + sign envelope: unpaid 1001 with an empty paytime, then 0000 with paytime', async () => {
    const message = submitBody(BACK, { txnamt: 321 });
    const { queryid } = await submitted(message);
    const before = await client.query({ merid: ICASHIER_MERCHANT, queryid });
    expect(before.status).toBe(200);
    expect(sealValid(before)).toBe(true);
    expect(before.sign).toMatch(/^[0-9a-f]{32}$/);
    expect(before.message).toEqual({
      respcode: '00',
      respmsg: '成功',
      resultcode: '1001',
      resultmsg: '未支付',
      queryid,
      txnamt: 321,
      merid: ICASHIER_MERCHANT,
      orderid: message.orderid,
      paytime: '',
    });

    await sim.post(`/_sim/orders/icashier/${message.orderid}/pay`);
    const after = await client.query({ merid: ICASHIER_MERCHANT, orderid: message.orderid });
    const order = await stored(String(message.orderid));
    expect(after.message).toMatchObject({ respcode: '00', resultcode: '0000', resultmsg: '交易成功', queryid, paytime: cst(order.paidAt) });
    expect(after.message.paytime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('finds by queryid, by orderid, and by queryid when both are sent (§3.4.3)', async () => {
    const a = submitBody(BACK, { txnamt: 101 });
    const b = submitBody(BACK, { txnamt: 202 });
    const { queryid: queryA } = await submitted(a);
    const { queryid: queryB } = await submitted(b);

    expect((await client.query({ merid: ICASHIER_MERCHANT, queryid: queryA })).message).toMatchObject({ orderid: a.orderid, txnamt: 101 });
    expect((await client.query({ merid: ICASHIER_MERCHANT, orderid: b.orderid })).message).toMatchObject({ queryid: queryB, txnamt: 202 });
    const both = await client.query({ merid: ICASHIER_MERCHANT, queryid: queryA, orderid: b.orderid });
    expect(both.message).toMatchObject({ respcode: '00', queryid: queryA, orderid: a.orderid });
    // The ignored orderid is not even validated.
    const ignored = await client.query({ merid: ICASHIER_MERCHANT, queryid: queryB, orderid: 'not-an-order-id!' });
    expect(ignored.message).toMatchObject({ respcode: '00', orderid: b.orderid });
  });

  it('the single-channel merchant’s replies are signed with its key', async () => {
    const message = submitBody(BACK, { merid: SINGLE_MERCHANT });
    await submitted(message, SINGLE_KEY);
    const reply = await client.query({ merid: SINGLE_MERCHANT, orderid: message.orderid }, SINGLE_KEY);
    expect(reply.message.respcode).toBe('00');
    expect(sealValid(reply, SINGLE_KEY)).toBe(true);
    expect(sealValid(reply, ICASHIER_KEY)).toBe(false);
  });

  it('accepts req and sign from the query string of a POST (§2.3 "http post/get … ?req=…&sign=…")', async () => {
    const message = submitBody(BACK);
    const { queryid } = await submitted(message);
    const params = new URLSearchParams(signed({ merid: ICASHIER_MERCHANT, queryid }));
    const reply = await client.readSealed(await fetch(`${sim.url}/icashier/api/query?${params}`, { method: 'POST' }));
    expect(reply.message).toMatchObject({ respcode: '00', queryid });
  });
});

describe('the signing tool POST /_sim/sign/icashier', () => {
  it('turns the business JSON into req and sign that the submit accepts', async () => {
    const message = submitBody(BACK);
    const tool = await sim.post('/_sim/sign/icashier', message);
    expect(tool).toEqual(signed(message));
    const response = await client.postForm('/icashier/api/icashier', tool);
    expect(response.status).toBe(303);
  });

  it('fills merid with the signing merchant and warns when merid names another', async () => {
    const { merid: _merid, ...noMerid } = submitBody(BACK);
    const filled = await sim.post(`/_sim/sign/icashier?merchantId=${SINGLE_MERCHANT}`, noMerid);
    expect(filled).toEqual(signed({ ...noMerid, merid: SINGLE_MERCHANT }, SINGLE_KEY));
    const mismatch = await sim.post('/_sim/sign/icashier', { ...noMerid, merid: SINGLE_MERCHANT });
    expect(mismatch.warning).toContain(`?merchantId=${SINGLE_MERCHANT}`);
  });
});

describe('expiry (DMP-12: 24 h, 1001 stays)', () => {
  it('closes an unpaid order after 24 h; it still answers 1001, says it is closed, and cannot be paid', async () => {
    const message = submitBody(BACK);
    const { queryid } = await submitted(message);
    await sim.advance(24 * 3600 - 1);
    expect((await stored(String(message.orderid))).state).toBe('created');
    await sim.advance(1);
    expect((await stored(String(message.orderid))).state).toBe('closed');
    const reply = await client.query({ merid: ICASHIER_MERCHANT, queryid });
    expect(reply.message).toMatchObject({ respcode: '00', resultcode: '1001', paytime: '' });
    expect(reply.message.resultmsg).toContain('关闭');
    const pay = await fetch(`${sim.url}/pay/icashier/${queryid}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(409);
  });
});

describe('registration', () => {
  it('ships two merchants and lists its mount, notification schedule and code table', async () => {
    const keys = await sim.get('/_sim/keys');
    const merchants = keys.merchants.filter((m: { provider: string }) => m.provider === 'icashier');
    expect(merchants.map((m: { merchantId: string; md5Key: string }) => [m.merchantId, m.md5Key])).toEqual([
      [ICASHIER_MERCHANT, ICASHIER_KEY],
      [SINGLE_MERCHANT, SINGLE_KEY],
    ]);
    const providers = await sim.get('/_sim/providers');
    const icashier = providers.find((p: { id: string }) => p.id === 'icashier');
    expect(icashier).toMatchObject({ mount: '/icashier', notifications: { back: { schedule: [0, 10, 10, 10, 60, 60, 60, 180, 180, 180] } } });
    const codes = icashier.codes.map((c: { code: string }) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['respcode 00', 'respcode 98', 'resultcode 0000', 'resultcode 1004']));
    // The document has no system error: magic amount 2004 drops the connection instead of a respcode.
    expect(codes).not.toContain('respcode 99');
  });
});
