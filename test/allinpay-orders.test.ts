import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import {
  allinpayClient,
  CREDIT,
  cstCompact,
  DEBIT,
  DECLINED,
  EXPIRED_CARD,
  INSUFFICIENT,
  INTERNATIONAL_EXAMPLE,
  INTERNATIONAL_EXT1,
  KEY,
  MERCHANT,
  ORDER_DATETIME,
  orderNo,
  PAY_DATA_ORDER,
  pageError,
  payData,
  signed,
  WEB_ORDER,
} from './support/allinpay.js';

const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof allinpayClient>;
let RECEIVE: string;

beforeAll(() => {
  client = allinpayClient(sim.url);
  RECEIVE = `${merchant.url}/receive`;
});

const stored = async (no: string) => (await sim.get(`/_sim/orders?provider=allinpay&orderNo=${no}`))[0];

/** Submits and answers the paymentOrderId the 303 names. */
async function placed(fields: Record<string, unknown>, as: 'json' | 'form' = 'json', extra: Record<string, string> = {}) {
  const response = await client.submit(fields, as, extra);
  expect(response.status, await response.clone().text()).toBe(303);
  const location = response.headers.get('location')!;
  expect(location).toMatch(/^\/allinpay\/mobile\/pay\/\d{18}$/);
  return location.split('/').pop()!;
}

/** Sends the SMS and answers its code, as the page shows it. */
async function smsCode(id: string, card: Record<string, string>) {
  const page = await (await client.sms(id, card)).text();
  const code = /id="sms-code">(\d{6})</.exec(page)?.[1];
  expect(code, page).toBeDefined();
  return code!;
}

describe('payData (§2.1) → POST /allinpay/mobile/pay', () => {
  it('places the order from a JSON body and answers the payment control, card number pre-filled from cardNo', async () => {
    const fields: Record<string, string> = { ...payData(RECEIVE, { orderAmount: '1999' }), cardNo: DEBIT.cardNo };
    const now = Date.parse((await sim.get('/_sim/health')).now);
    const id = await placed(fields);
    const order = await stored(fields.orderNo!);
    expect(order).toMatchObject({
      merchantId: MERCHANT,
      platformOrderNo: id,
      product: 'mobile.card',
      amount: 1999,
      currency: 'CNY',
      state: 'created',
      notifyUrl: RECEIVE,
      // ALP-20: 24 h.
      expiresAt: new Date(now + 24 * 3600_000).toISOString(),
    });
    expect(order.attributes).toMatchObject({ channel: 'mobile', orderDatetime: ORDER_DATETIME, signType: '0', payType: '27', cardNo: DEBIT.cardNo });
    const page = await client.page(id);
    expect(page).toContain('通联支付测试商户');
    expect(page).toContain('¥19.99');
    expect(page).toContain('笔记本电脑');
    expect(page).toContain(`name="cardNo" inputmode="numeric" value="${DEBIT.cardNo}"`);
    expect(page).toContain('name="phone"');
    expect(page).toContain('获取验证码');
  });

  it('reads payData as the form field a WebView posts, values as JSON numbers too', async () => {
    const fields: Record<string, unknown> = payData(RECEIVE, { payType: '0' });
    fields.orderAmount = 100;
    const id = await placed(fields, 'form');
    expect(await stored(String(fields.orderNo))).toMatchObject({ platformOrderNo: id, amount: 100, product: 'mobile.choose' });
  });

  it('accepts the document\'s own example shape: signType 1, no orderCurrency (RMB), payType 00', async () => {
    const fields = signed(
      {
        inputCharset: '1',
        receiveUrl: RECEIVE,
        version: 'v1.0',
        signType: '1',
        merchantId: MERCHANT,
        orderNo: orderNo(),
        orderAmount: '1',
        orderDatetime: ORDER_DATETIME,
        productName: '笔记本电脑',
        payType: '00',
      },
      PAY_DATA_ORDER,
    );
    await placed(fields);
    expect((await stored(fields.orderNo!)).attributes).toMatchObject({ orderCurrency: '156', payType: '0', signType: '1' });
  });

  it('shows the very same order again when it is resubmitted unpaid (a reloaded page)', async () => {
    const fields = payData(RECEIVE);
    const first = await placed(fields);
    expect(await placed(fields)).toBe(first);
    expect(await sim.get('/_sim/orders?provider=allinpay')).toHaveLength(1);
  });

  it('decodes a GBK form by inputCharset 2 and checks the signature over GBK bytes', async () => {
    const unsigned = payData(RECEIVE, { inputCharset: '2', productName: '中文商品' });
    delete unsigned.signMsg;
    const gbk = signed(unsigned, PAY_DATA_ORDER, KEY, 'gbk');
    // The WebView's form: payData percent-encoded as GBK bytes.
    const body = `payData=${Array.from(iconv.encode(JSON.stringify(gbk), 'gbk'))
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join('')}`;
    const response = await client.post('/allinpay/mobile/pay', body);
    expect(response.status, await response.clone().text()).toBe(303);
    expect((await stored(gbk.orderNo!)).attributes.productName).toBe('中文商品');
  });
});

describe('the payment control', () => {
  it('card, phone and SMS code pay the order; the page then shows the SDK\'s synchronous result', async () => {
    const fields = payData(RECEIVE);
    const id = await placed(fields);
    const { now } = await sim.get('/_sim/health');
    const code = await smsCode(id, DEBIT);
    expect((await stored(fields.orderNo!)).smsCode).toBe(code);
    const paid = await client.pay(id, { ...DEBIT, smsCode: code });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`/allinpay/mobile/pay/${id}`);
    const order = await stored(fields.orderNo!);
    expect(order).toMatchObject({ state: 'paid', paidAt: now });
    expect(order.attributes.card).toEqual({ number: '622202*********9630', bank: '中国工商银行', type: 'debit' });
    const result = { payResult: 0, payAmount: 100, payTime: cstCompact(now), payOrderId: id };
    expect(await client.result(id)).toEqual({
      ios: result,
      android: { allinpay_pay_res: 'allinpay_pay_success', payAmount: '100', payTime: cstCompact(now), payOrderId: id },
    });
    const page = await client.page(id);
    expect(page).toContain('支付成功');
    expect(page).toContain(JSON.stringify(result));
    expect(page).not.toContain('name="cardNo"');
  });

  it('a credit card needs its valid date and CVV2', async () => {
    const id = await placed(payData(RECEIVE));
    const code = await smsCode(id, CREDIT);
    await client.pay(id, { ...CREDIT, smsCode: code });
    expect((await client.result(id)).ios.payResult).toBe(0);
  });

  it('a declined or short card fails the payment: payResult 1, allinpay_pay_fail', async () => {
    for (const card of [DECLINED, INSUFFICIENT]) {
      const fields = payData(RECEIVE);
      const id = await placed(fields);
      const code = await smsCode(id, card);
      await client.pay(id, { ...card, smsCode: code });
      expect((await stored(fields.orderNo!)).state).toBe('failed');
      const result = await client.result(id);
      expect(result.ios.payResult).toBe(1);
      expect(result.android.allinpay_pay_res).toBe('allinpay_pay_fail');
      expect(pageError(await client.page(id))).toBe('P00002_100003');
    }
  });

  it('cancelling leaves the order unpaid and the SDK answers -1', async () => {
    const fields = payData(RECEIVE);
    const id = await placed(fields);
    expect((await client.cancel(id)).status).toBe(303);
    expect((await stored(fields.orderNo!)).state).toBe('created');
    expect(await client.result(id)).toMatchObject({ ios: { payResult: -1, payTime: '' }, android: { allinpay_pay_res: 'allinpay_pay_fail' } });
  });

  it('refuses what the payer gets wrong with the control\'s EM… codes, and the order stays payable', async () => {
    const fields = payData(RECEIVE);
    const id = await placed(fields);
    const refusal = async (response: Promise<Response>) => pageError(await (await response).text());
    expect(await refusal(client.sms(id, { ...DEBIT, cardNo: '6200000000000000' }))).toBe('EM0001_000012');
    expect(await refusal(client.sms(id, { ...DEBIT, phone: '13900000000' }))).toBe('EM0001_000011');
    expect(await refusal(client.sms(id, { ...DEBIT, holder: '李四' }))).toBe('EM0001_000111');
    expect(await refusal(client.sms(id, { ...CREDIT, validDate: '0101' }))).toBe('EM0001_000009');
    expect(await refusal(client.sms(id, { ...CREDIT, cvv2: '000' }))).toBe('EM0001_000010');
    expect(await refusal(client.sms(id, EXPIRED_CARD))).toBe('EM0001_000009');
    expect(await refusal(client.pay(id, { ...DEBIT, smsCode: '123456' }))).toBe('EM0001_000034');
    const code = await smsCode(id, DEBIT);
    expect(await refusal(client.sms(id, DEBIT))).toBe('EM0001_000070');
    const wrong = code === '000000' ? '000001' : '000000';
    expect(await refusal(client.pay(id, { ...DEBIT, smsCode: wrong }))).toBe('EM0001_000008');
    expect(await refusal(client.pay(id, { ...CREDIT, smsCode: code }))).toBe('EM0001_000029');
    expect((await stored(fields.orderNo!)).state).toBe('created');
    // The code lasts five minutes; a new one may be asked for after one.
    await sim.advance(301);
    expect(await refusal(client.pay(id, { ...DEBIT, smsCode: code }))).toBe('EM0001_000008');
    const again = await smsCode(id, DEBIT);
    await client.pay(id, { ...DEBIT, smsCode: again });
    expect((await stored(fields.orderNo!)).state).toBe('paid');
    expect(await refusal(client.sms(id, DEBIT))).toBe('EM0001_000093');
  });

  it('the card and phone must be those the code was sent for (EM0001_000098)', async () => {
    const id = await placed(payData(RECEIVE));
    const code = await smsCode(id, DEBIT);
    // The bank changes the card's reserved phone after the code was sent.
    await sim.request('POST', '/_sim/cards', { ...cardOf(DEBIT), phone: '13800138001' });
    try {
      expect(pageError(await (await client.pay(id, { ...DEBIT, phone: '13800138001', smsCode: code })).text())).toBe('EM0001_000098');
    } finally {
      await sim.request('DELETE', `/_sim/cards/${DEBIT.cardNo}`);
    }
  });

  it('an expired order cannot be paid (EM0001_000059)', async () => {
    const fields = payData(RECEIVE);
    const id = await placed(fields);
    await sim.advance(24 * 3600);
    expect((await stored(fields.orderNo!)).state).toBe('closed');
    expect(pageError(await (await client.sms(id, DEBIT)).text())).toBe('EM0001_000059');
    expect(pageError(await client.page(id))).toBe('EM0001_000059');
    expect((await client.result(id)).ios.payResult).toBe(1);
  });

  it('member mode: ext1 <USER>id</USER>; a card the member paid with is offered next time (常用卡)', async () => {
    const ext1 = '<USER>170525863749065</USER>';
    const first = payData(RECEIVE, { ext1 });
    const id = await placed(first);
    expect((await stored(first.orderNo!)).attributes).toMatchObject({ memberId: '170525863749065', ext1 });
    const page = await client.page(id);
    expect(page).toContain('170525863749065');
    expect(page).not.toContain('常用卡');
    await client.pay(id, { ...DEBIT, smsCode: await smsCode(id, DEBIT) });
    expect(await sim.get('/_sim/records?provider=allinpay&kind=binding')).toMatchObject([
      { number: `170525863749065:${DEBIT.cardNo}`, state: 'active', attributes: { memberId: '170525863749065', cardNo: DEBIT.cardNo, phone: DEBIT.phone } },
    ]);
    const next = await client.page(await placed(payData(RECEIVE, { ext1 })));
    expect(next).toContain('常用卡：中国工商银行 尾号9630');
    expect(next).toContain(`name="cardNo" inputmode="numeric" value="${DEBIT.cardNo}"`);
    expect(next).toContain(`name="phone" inputmode="numeric" value="${DEBIT.phone}"`);
    // Another member, or a guest, is offered nothing.
    expect(await client.page(await placed(payData(RECEIVE, { ext1: '<USER>OTHER</USER>' })))).not.toContain('常用卡');
    expect(await client.page(await placed(payData(RECEIVE)))).not.toContain('常用卡');
  });

  it('an unknown control is a 404 page', async () => {
    const response = await fetch(`${sim.url}/allinpay/mobile/pay/000000000000000000`);
    expect(response.status).toBe(404);
  });
});

function cardOf(card: { cardNo: string; phone: string; holder?: string; idNumber?: string }) {
  return { number: card.cardNo, type: 'debit', bank: '中国工商银行', bankCode: 'ICBC', holder: card.holder ?? '张三', idNumber: card.idNumber ?? '110105199003071239', phone: card.phone };
}

describe('international cards (payType 30) and currencies', () => {
  it('take the §2.1 shipping and billing fields, ext1 their §5.4 digest, and a foreign currency', async () => {
    const fields = payData(RECEIVE, { payType: '30', orderCurrency: '840', tradeNature: 'GOODS', issuerId: 'visa', language: '3', ext1: INTERNATIONAL_EXT1 });
    const id = await placed({ ...fields, ...INTERNATIONAL_EXAMPLE });
    expect(await stored(fields.orderNo!)).toMatchObject({ product: 'mobile.intl', currency: 'USD', amount: 100 });
    const page = await client.page(id);
    expect(page).toContain('1.00 USD');
    expect(page).toContain('外卡支付');
    expect(page).not.toContain('name="phone"');
    // Credit card, valid date and CVV2; no SMS.
    expect(pageError(await (await client.pay(id, { cardNo: DEBIT.cardNo })).text())).toBe('EM0001_000012');
    await client.pay(id, { cardNo: CREDIT.cardNo, validDate: CREDIT.validDate, cvv2: CREDIT.cvv2 });
    expect((await stored(fields.orderNo!)).state).toBe('paid');
    const [preauth] = await sim.get('/_sim/records?provider=allinpay&kind=preauth');
    expect(preauth).toMatchObject({ kind: 'preauth', number: fields.orderNo, orderNo: fields.orderNo, state: 'authorised', amount: 100 });
    expect(preauth.platformNumber).toMatch(/^\d{20}$/);
  });

  it('the international fields may travel as form fields beside payData', async () => {
    const fields = payData(RECEIVE, { payType: '30', orderCurrency: '978', tradeNature: 'SERVICES', ext1: INTERNATIONAL_EXT1.toLowerCase() });
    await placed(fields, 'form', INTERNATIONAL_EXAMPLE);
    expect((await stored(fields.orderNo!)).currency).toBe('EUR');
  });

  it('cross-border: a foreign currency with payType 27 for a cross-border merchant, RMB as 0 or 156', async () => {
    const usd = payData(RECEIVE, { orderCurrency: '840', tradeNature: 'GOODS' });
    await placed(usd);
    expect((await stored(usd.orderNo!)).currency).toBe('USD');
    const zero = payData(RECEIVE, { orderCurrency: '0' });
    await placed(zero);
    expect((await stored(zero.orderNo!)).currency).toBe('CNY');
  });
});

describe('the web gateway form → /allinpay/gateway/index.do (version v1.0)', () => {
  const webOrder = (overrides: Record<string, string> = {}) =>
    signed(
      {
        inputCharset: '1',
        pickupUrl: 'http://shop.example/pickup',
        receiveUrl: RECEIVE,
        version: 'v1.0',
        language: '1',
        signType: '0',
        merchantId: MERCHANT,
        payerName: '张三',
        orderNo: orderNo('WEB'),
        orderAmount: '2500',
        orderCurrency: '0',
        orderDatetime: ORDER_DATETIME,
        orderExpireDatetime: '60',
        productName: '商品',
        ext1: '自定义',
        ext2: 'x',
        payType: '0',
        ...overrides,
      },
      WEB_ORDER,
    );

  it('answers the same hosted control; the order keeps pickupUrl, ext2 and its expiry in minutes', async () => {
    const fields = webOrder();
    const now = Date.parse((await sim.get('/_sim/health')).now);
    const response = await client.gatewayRaw(fields);
    expect(response.status).toBe(303);
    const id = response.headers.get('location')!.split('/').pop()!;
    expect(await stored(fields.orderNo!)).toMatchObject({
      product: 'web.gateway',
      amount: 2500,
      returnUrl: 'http://shop.example/pickup',
      expiresAt: new Date(now + 3600_000).toISOString(),
    });
    expect((await stored(fields.orderNo!)).attributes).toMatchObject({ channel: 'web', ext1: '自定义', ext2: 'x' });
    expect(await client.page(id)).toContain('¥25.00');
  });

  it('after paying, the browser POSTs the signed result to pickupUrl', async () => {
    const fields = webOrder();
    const id = (await client.gatewayRaw(fields)).headers.get('location')!.split('/').pop()!;
    const code = await smsCode(id, DEBIT);
    const page = await (await client.pay(id, { ...DEBIT, smsCode: code })).text();
    expect(page).toContain('action="http://shop.example/pickup"');
    expect(page).toContain('name="payResult" value="1"');
    expect(page).toContain(`name="paymentOrderId" value="${id}"`);
    expect(page).toContain('name="signMsg"');
  });

  it('a GET form is read from the query string', async () => {
    const fields = webOrder();
    const response = await fetch(`${sim.url}/allinpay/gateway/index.do?${new URLSearchParams(fields)}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(await stored(fields.orderNo!)).toBeDefined();
  });

  it('v2.0 signs without payType and issuerId, as the SDK does', async () => {
    const base = webOrder({ version: 'v2.0' });
    delete base.signMsg;
    const order = WEB_ORDER.filter((name) => name !== 'payType' && name !== 'issuerId');
    const response = await client.gatewayRaw(signed(base, order));
    expect(response.status).toBe(303);
    expect((await stored(base.orderNo!)).attributes.version).toBe('v2.0');
  });
});

describe('the signing tool (POST /_sim/sign/allinpay)', () => {
  const sign = async (body: Record<string, string>, format = '') =>
    fetch(`${sim.url}/_sim/sign/allinpay${format}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('signs payData in its table order, adding merchantId and an international ext1', async () => {
    const unsigned = {
      inputCharset: '1',
      receiveUrl: RECEIVE,
      version: 'v1.0',
      signType: '0',
      orderNo: orderNo(),
      orderAmount: '100',
      orderCurrency: '840',
      orderDatetime: ORDER_DATETIME,
      productName: 'p',
      payType: '30',
      tradeNature: 'GOODS',
      ...INTERNATIONAL_EXAMPLE,
    };
    const signedByTool = await (await sign(unsigned)).json();
    expect(signedByTool).toMatchObject({ merchantId: MERCHANT, ext1: INTERNATIONAL_EXT1 });
    expect(signedByTool.signMsg).toBe(signed(signedByTool, PAY_DATA_ORDER).signMsg);
    await placed(signedByTool);
  });

  it('?format=form answers a form body the gateway takes as it is', async () => {
    const fields = payData(RECEIVE);
    await placed(fields);
    await sim.post(`/_sim/orders/allinpay/${fields.orderNo}/pay`);
    const { now } = await sim.get('/_sim/health');
    const form = await (await sign({ version: 'v1.5', signType: '0', orderNo: fields.orderNo!, orderDatetime: ORDER_DATETIME, queryDatetime: cstCompact(now) }, '?format=form')).text();
    const answer = await (await client.post('/allinpay/gateway/index.do', form)).text();
    expect(answer).toContain('payResult=1');
    expect(await (await sign({ version: 'v9' })).json()).toEqual({ error: expect.stringContaining('v1.5') });
  });
});
