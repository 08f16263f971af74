import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { aggClient, AGG_APPID, callbackValid, signed, unifiedParams } from './support/aggpay.js';
import { cstDateTime } from '../src/core/time-format.js';

const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof aggClient>;
let notifyUrl: string;

beforeAll(() => {
  client = aggClient(sim.url);
  notifyUrl = `${merchant.url}/agg-notify`;
});

const order = async (orderNo: string) => (await sim.get(`/_sim/orders?provider=aggpay&orderNo=${orderNo}`))[0];
const formOf = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('POST /aggpay/api/order/unified', () => {
  it('creates the order and answers status "1", pay_status -1, the hosted page as redirect_url and content', async () => {
    const params = unifiedParams(notifyUrl, { attach: '会员卡123' });
    const { status, text, json } = await client.unified(signed(params));
    expect(status).toBe(200);
    expect(text).toContain('"message":"\\u4e0b\\u5355\\u6210\\u529f"');
    expect(json).toMatchObject({ status: '1', message: '下单成功' });
    expect(json.data).toMatchObject({ order_no: params.order_no, pay_status: -1, bank_code: '912', amount: '10000.00' });
    expect(json.data.platform_order_no).toMatch(/^A\d{24}$/);
    expect(json.data.redirect_url).toBe(`${sim.url}/pay/aggpay/${json.data.platform_order_no}`);
    expect(json.data.content).toContain(`action="${json.data.redirect_url}"`);
    expect(json.data.content).toContain('.submit()');
    expect(await order(params.order_no)).toMatchObject({ state: 'created', amount: 10000, product: 'wechat.qr' });
  });

  it('accepts the document’s JSON request example exactly as printed (E6)', async () => {
    const response = await fetch(`${sim.url}/aggpay/api/order/unified`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        order_no: '2019xxxxxxxxxxxx',
        bank_code: '901',
        amount: '10000',
        appid: 'gpu10000000',
        sign: '06eb02e7332217cca8ba5a20f8c9383a',
        return_url: 'https://www.return.com/return',
        notify_url: 'http://www.notify.com/notify',
        product_name: 'onlinepay',
      }),
    });
    expect((await response.json()).status).toBe('1');
  });

  it('accepts a multipart form, as PHP curl sends an array of fields', async () => {
    const params = signed(unifiedParams(notifyUrl));
    const form = new FormData();
    for (const [key, value] of Object.entries(params)) form.append(key, value);
    const response = await fetch(`${sim.url}/aggpay/api/order/unified`, { method: 'POST', body: form });
    expect((await response.json()).status).toBe('1');
  });

  it('shows the page bank_code selects: QR for 911/912, mobile for 901/903, bank for 906', async () => {
    for (const [code, product, marker] of [
      ['911', 'alipay.qr', '<svg'],
      ['912', 'wechat.qr', '<svg'],
      ['901', 'alipay.h5', '支付宝H5'],
      ['903', 'wechat.h5', '微信H5支付'],
      ['906', 'bank.online', '网银支付 / Pay'],
    ] as const) {
      const params = unifiedParams(notifyUrl, { bank_code: code });
      const { json } = await client.unified(signed(params));
      expect((await order(params.order_no)).product).toBe(product);
      const page = await (await fetch(json.data.redirect_url)).text();
      expect(page, code).toContain(marker);
      if (code !== '911' && code !== '912') expect(page).not.toContain('<svg');
    }
  });
});

describe('GET /aggpay/api/order/check_order', () => {
  it('answers the document’s shape: status "1", \\u-escaped message, pay_time null until paid', async () => {
    const params = unifiedParams(notifyUrl, { amount: '60000' });
    await client.unified(signed(params));
    const { text, json } = await client.query(signed({ appid: AGG_APPID, order_no: params.order_no }));
    expect(text).toContain('"message":"\\u67e5\\u8be2\\u6210\\u529f"');
    expect(json).toEqual({
      status: '1',
      message: '查询成功',
      data: {
        order_no: params.order_no,
        amount: '60000.00',
        attach: '',
        pay_status: -1,
        bank_code: '912',
        platform_order_no: expect.stringMatching(/^A/),
        created_at: '2026-03-01 10:00:00',
        pay_time: null,
      },
    });

    await sim.advance(42);
    await sim.post(`/_sim/orders/aggpay/${params.order_no}/pay`);
    const paid = (await client.query(signed({ appid: AGG_APPID, order_no: params.order_no }))).json;
    expect(paid.data).toMatchObject({ pay_status: 1, pay_time: '2026-03-01 10:00:42' });
  });

  it('answers status "0" with no data for an unknown order', async () => {
    const { json } = await client.query(signed({ appid: AGG_APPID, order_no: 'NOPE' }));
    expect(json).toEqual({ status: '0', message: '订单不存在', data: {} });
  });
});

describe('the notification and the sync return', () => {
  it('POSTs the form of §5.2 with the callback sign, attach echoed, amounts in fen with two decimals', async () => {
    const params = unifiedParams(notifyUrl, { attach: 'uid=42&coupon=%E4%B8%AD' });
    const { json } = await client.unified(signed(params));
    const { paidAt } = await sim.post(`/_sim/orders/aggpay/${params.order_no}/pay`);
    await sim.advance(0);

    expect(merchant.received).toHaveLength(1);
    const request = merchant.received[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
    const form = formOf(request.body);
    expect(form).toEqual({
      appid: AGG_APPID,
      order_no: params.order_no,
      amount: '10000.00',
      platform_order_no: json.data.platform_order_no,
      attach: 'uid=42&coupon=%E4%B8%AD',
      pay_time: cstDateTime(Date.parse(paidAt)),
      pay_status: '1',
      actual_amount: '10000.00',
      sign: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(callbackValid(form)).toBe(true);
  });

  it('signs an empty attach as attach= (callback rule keeps empty values)', async () => {
    const params = unifiedParams(notifyUrl);
    await client.unified(signed(params));
    await sim.post(`/_sim/orders/aggpay/${params.order_no}/pay`);
    await sim.advance(0);
    const form = formOf(merchant.received[0]!.body);
    expect(form.attach).toBe('');
    expect(callbackValid(form)).toBe(true);
  });

  it('notifies a failed payment with pay_status 0, and an expired order too (§3: a definite result)', async () => {
    const failed = unifiedParams(notifyUrl);
    await client.unified(signed(failed));
    await sim.post(`/_sim/orders/aggpay/${failed.order_no}/fail`);
    const expired = unifiedParams(notifyUrl);
    await client.unified(signed(expired));
    await sim.advance(25 * 3600);
    expect(merchant.received.map((r) => formOf(r.body).order_no)).toEqual([failed.order_no, expired.order_no]);
    expect(merchant.received.map((r) => formOf(r.body).pay_status)).toEqual(['0', '0']);
    expect((await client.query(signed({ appid: AGG_APPID, order_no: expired.order_no }))).json.data).toMatchObject({ pay_status: 0, pay_time: null });
  });

  it('after Pay on the hosted page, the browser POSTs order_no, pay_status and sign to return_url', async () => {
    const params = unifiedParams(notifyUrl, { bank_code: '901' });
    const { json } = await client.unified(signed(params));
    const page = await (await fetch(`${json.data.redirect_url}/pay`, { method: 'POST' })).text();
    expect(page).toContain('method="post" action="https://shop.example/return"');
    const fields = Object.fromEntries([...page.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(fields).toMatchObject({ order_no: params.order_no, pay_status: '1' });
    expect(callbackValid(fields as Record<string, string>)).toBe(true);
  });

  it('writes bare integers for a merchant configured with amountFormat "integer"', async () => {
    await sim.post('/_sim/merchants', { provider: 'aggpay', merchantId: 'gpu20000000', md5Key: 's2', settings: { amountFormat: 'integer' } });
    const params = unifiedParams(notifyUrl, { appid: 'gpu20000000' });
    const { json } = await client.unified(signed(params, 's2'));
    expect(json.data.amount).toBe('10000');
    await sim.post(`/_sim/orders/aggpay/${params.order_no}/pay`);
    await sim.advance(0);
    const form = formOf(merchant.received[0]!.body);
    expect(form).toMatchObject({ amount: '10000', actual_amount: '10000' });
    expect(callbackValid(form, 's2')).toBe(true);
  });
});
