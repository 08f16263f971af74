import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { MMSP_KEY, orderNo, prepayBody } from './support/mmsp.js';
import { cardPayBody, merchantSign, OPEN_HEADER, OPEN_MERCHANT, quickClient, quickEnvelope, signedByPlatform, type Card } from './support/mmsp-quick.js';

const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof quickClient>;

beforeAll(() => {
  client = quickClient(sim.url);
});

function gatewayBody(overrides: Record<string, unknown> = {}) {
  return {
    MERORDERID: orderNo('G'),
    AMT: '666',
    NOTIFY_URL: `${merchant.url}/online_notify`,
    JUMP_URL: 'https://shop.example/online_return.php?from=gw',
    PAY_CHANNEL: 'YLBILL-NET-B2C',
    GOODSNAME: 'product',
    REMARK: '备注 remark',
    ...overrides,
  };
}

/** What the merchant's page does (网关 §5.1.2): an auto-submitted form with the envelope in `web_api`. */
function submitForm(envelope: unknown, options: { multipart?: boolean } = {}) {
  const web_api = typeof envelope === 'string' ? envelope : JSON.stringify(envelope);
  let body: URLSearchParams | FormData;
  if (options.multipart) {
    body = new FormData();
    body.set('web_api', web_api);
  } else {
    body = new URLSearchParams({ web_api });
  }
  return fetch(`${sim.url}/mmsp/gateway`, { method: 'POST', body, redirect: 'manual' });
}

/** Submits a signed 2322 and returns the bank page's path. */
async function submit(body = gatewayBody(), header: Record<string, unknown> = {}, key = MMSP_KEY) {
  const response = await submitForm(quickEnvelope(2322, body, header, key));
  expect(response.status).toBe(303);
  return { body, page: new URL(response.headers.get('location')!).pathname };
}

const orderOf = async (no: string) => (await sim.get(`/_sim/orders?provider=mmsp&orderNo=${no}`))[0];
const pressButton = (page: string, action: 'pay' | 'fail') => fetch(`${sim.url}${page}/${action}`, { method: 'POST', redirect: 'manual' });

describe('2322 网关支付请求 (the web_api form)', () => {
  it('verifies the envelope and sends the browser to the bank page of PAY_CHANNEL', async () => {
    const { body, page } = await submit();
    const order = await orderOf(body.MERORDERID);
    expect(order).toMatchObject({ state: 'created', product: 'gateway.b2c', amount: 666, notifyUrl: body.NOTIFY_URL });
    expect(page).toBe(`/pay/mmsp/${order.platformOrderNo}`);
    expect(order.platformOrderNo).toMatch(/^1\d{11}$/);

    const html = await (await fetch(`${sim.url}${page}`)).text();
    expect(html).toContain('网银支付 · 银联（YLBILL-NET-B2C）');
    expect(html).toContain('MMSP测试商户');
    expect(html).toContain('¥6.66');
    expect(html).toContain('product');
    expect(html).toContain('网银支付 / Pay');
    expect(html).toContain(`action="${page}/pay"`);
    expect(html).toContain(`action="${page}/fail"`);
    expect(html).toContain(body.MERORDERID);
    // A desktop page (no mobile viewport lock), not a QR code.
    expect(html).not.toContain('<svg');
  });

  it('shows the bank of another channel of the table, and takes a multipart form', async () => {
    const response = await submitForm(quickEnvelope(2322, gatewayBody({ PAY_CHANNEL: 'CMBCHINA-NET-B2C' })), { multipart: true });
    expect(response.status).toBe(303);
    const html = await (await fetch(response.headers.get('location')!)).text();
    expect(html).toContain('招商银行（CMBCHINA-NET-B2C）');
  });

  it('Pay: the front notification redirects to JUMP_URL with the signed 5.5 fields, and the async one follows', async () => {
    const { body, page } = await submit();
    const pay = await pressButton(page, 'pay');
    expect(pay.status).toBe(303);
    const back = new URL(pay.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe('https://shop.example/online_return.php');
    expect(back.searchParams.get('from')).toBe('gw');
    const fields = Object.fromEntries([...back.searchParams].filter(([name]) => name !== 'from'));
    const order = await orderOf(body.MERORDERID);
    expect(fields).toMatchObject({
      STATUS: '1',
      LIST_ID: order.platformOrderNo,
      MERORDERID: body.MERORDERID,
      AMT: '666',
      GOODSNAME: 'product',
      PAY_CHANNEL: 'YLBILL-NET-B2C',
      REMARK: '备注 remark',
      PAY_DATE: expect.stringMatching(/^\d{14}$/),
      NOTIFY_DATE: expect.stringMatching(/^\d{14}$/),
    });
    const { Sign, ...signed } = fields;
    expect(Sign).toBe(merchantSign(signed));
    expect(order.state).toBe('paid');

    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
    const envelope = JSON.parse(merchant.received[0]!.body);
    expect(merchant.received[0]!.path).toBe('/online_notify');
    expect(envelope.Sign).toBe(merchantSign(envelope.Body));
    expect(envelope.Body).toMatchObject({ STATUS: '1', LIST_ID: order.platformOrderNo, MERORDERID: body.MERORDERID, AMT: '666', PAY_CHANNEL: 'YLBILL-NET-B2C', REMARK: '备注 remark' });

    const after = await (await fetch(`${sim.url}${page}`)).text();
    expect(after).toContain('支付成功');
    expect(after).not.toContain('/pay"');
  });

  it('Fail: the front notification says STATUS 2 and nothing is notified', async () => {
    const { body, page } = await submit(gatewayBody({ GOODSNAME: undefined, REMARK: undefined }));
    const fail = await pressButton(page, 'fail');
    const back = new URL(fail.headers.get('location')!);
    const fields = Object.fromEntries(back.searchParams);
    expect(fields).toMatchObject({ STATUS: '2', ERRCODE: '51', MERORDERID: body.MERORDERID, PAY_DATE: '' });
    expect(fields.GOODSNAME).toBeUndefined();
    const { Sign, from: _from, ...signed } = fields;
    expect(Sign).toBe(merchantSign(signed));
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(0);
    expect((await client.send(2323, { MERORDERID: body.MERORDERID })).Body).toMatchObject({ STATUS: '2', ERRCODE: '51' });
  });
});

describe('2323 single query and 782 batch query', () => {
  it('2323 answers the 5.3 fields, signed: 0/AA before payment, 1 after', async () => {
    const { body, page } = await submit();
    const before = await client.send(2323, { MERORDERID: body.MERORDERID });
    expect(before.CommandID).toBe(35091);
    expect(signedByPlatform(before)).toBe(true);
    const order = await orderOf(body.MERORDERID);
    expect(before.Body).toEqual({
      STATUS: '0',
      ERRCODE: 'AA',
      ERRMSG: '用户支付中',
      LIST_ID: order.platformOrderNo,
      MERORDERID: body.MERORDERID,
      AMT: '666',
      GOODSNAME: 'product',
      PAY_CHANNEL: 'YLBILL-NET-B2C',
      PAY_DATE: '',
      NOTIFY_DATE: '',
      REMARK: '备注 remark',
    });
    await pressButton(page, 'pay');
    const after = await client.send(2323, { MERORDERID: body.MERORDERID });
    expect(after.Body).toMatchObject({ STATUS: '1', PAY_DATE: expect.stringMatching(/^\d{14}$/) });
    expect(after.Body.ERRCODE).toBeUndefined();
  });

  it('2323 answers D4 once the order has expired (30 min), [-2002] for another kind of order', async () => {
    const { body } = await submit();
    await sim.advance(30 * 60);
    expect((await client.send(2323, { MERORDERID: body.MERORDERID })).Body).toMatchObject({ STATUS: '2', ERRCODE: 'D4' });
    const scan = prepayBody(`${merchant.url}/n`);
    await client.send(2306, scan);
    const reply = await client.send(2323, { MERORDERID: scan.MERORDERID });
    expect(reply).toMatchObject({ CommandID: 32768, RetCode: 0 });
    expect(reply.ErrorMsg).toMatch(/^\[-2002\]/);
  });

  it('782 pages the paid gateway orders with the 5.2 fields in a BIZ_CONTENT array', async () => {
    const paid: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { body, page } = await submit();
      await pressButton(page, 'pay');
      paid.push(body.MERORDERID);
      await sim.advance(1);
    }
    await submit(); // unpaid
    // A paid quick-pay order is not the gateway's, and the other way round.
    const cards: Card[] = await sim.get('/_sim/cards');
    const quick = cardPayBody(cards[0]!, `${merchant.url}/q`);
    await client.send(771, quick);
    await sim.post(`/_sim/orders/mmsp/${quick.MERORDERID}/pay`);

    const { now } = await sim.get('/_sim/clock');
    const day = new Date(Date.parse(now) + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 8);
    const first = await client.send(782, { START_DATE: day, END_DATE: day, PERPAGE: '2', PAGE: '1' });
    expect(first.CommandID).toBe(33550);
    expect(signedByPlatform(first)).toBe(true);
    expect(first.Body).toMatchObject({ STATUS: '1', PERPAGE: '2', PAGE: '1', TOTAL_NUM: '3', TOTAL_PAGE: '2' });
    expect(Array.isArray(first.Body.BIZ_CONTENT)).toBe(true);
    expect(first.Body.BIZ_CONTENT.map((o: { MERORDERID: string }) => o.MERORDERID)).toEqual(paid.slice(0, 2));
    expect(Object.keys(first.Body.BIZ_CONTENT[0])).toEqual(['STATUS', 'LIST_ID', 'MERORDERID', 'AMT', 'GOODSNAME', 'PAY_CHANNEL', 'PAY_DATE', 'NOTIFY_DATE', 'REMARK']);
    const last = await client.send(782, { START_DATE: day, END_DATE: day, PERPAGE: '2', PAGE: '2' });
    expect(last.Body.BIZ_CONTENT.map((o: { MERORDERID: string }) => o.MERORDERID)).toEqual(paid.slice(2));
    expect((await client.send(777, { START_DATE: day, END_DATE: day, PAGE: '1' })).Body.TOTAL_NUM).toBe('1');
    const out = await client.send(782, { START_DATE: day, END_DATE: day, PERPAGE: '1001', PAGE: '1' });
    expect(out.Body).toMatchObject({ STATUS: '2', ERRCODE: '30' });
    expect((await client.send(782, { START_DATE: '20260101', END_DATE: '20260102', PAGE: '1' })).Body).toMatchObject({ STATUS: '0', TOTAL_NUM: '0' });
  });
});

describe('bad input on the form: an HTML error page carrying the envelope error, no state change', () => {
  async function refused(response: Promise<Response>, code: string, mentions?: string) {
    const before = await sim.state();
    const reply = await response;
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toContain('text/html');
    const html = await reply.text();
    expect(html).toContain('支付请求失败');
    expect(html).toContain(code);
    if (mentions) expect(html).toContain(mentions);
    expect(await sim.state()).toBe(before);
    return html;
  }

  it('a wrong Sign', async () => {
    const html = await refused(submitForm({ ...quickEnvelope(2322, gatewayBody()), Sign: '275C5F8C4D850E6932CCDE88F4DEE399' }), '[-1005] 签名错误');
    // The negative envelope, unsigned, as on /mmsp/api.
    expect(html).toContain('&quot;CommandID&quot;: 32768');
  });

  it('no web_api, not JSON, an envelope without Body', async () => {
    await refused(fetch(`${sim.url}/mmsp/gateway`, { method: 'POST', body: new URLSearchParams({ other: '1' }) }), '[-1001]', 'web_api');
    await refused(submitForm('{ "CommandID":2322,'), '[-1001]');
    const { Body: _body, ...noBody } = quickEnvelope(2322, gatewayBody());
    await refused(submitForm(noBody), '[-1002]', 'Body');
  });

  it('missing or malformed fields, an unknown PAY_CHANNEL', async () => {
    for (const field of ['MERORDERID', 'NOTIFY_URL', 'JUMP_URL', 'PAY_CHANNEL']) {
      await refused(submitForm(quickEnvelope(2322, gatewayBody({ [field]: undefined }))), '[-1004]', field);
    }
    await refused(submitForm(quickEnvelope(2322, gatewayBody({ AMT: '6.66' }))), '[-3005]');
    await refused(submitForm(quickEnvelope(2322, gatewayBody({ PAY_CHANNEL: 'HSBC-NET-B2C' }))), '[-1004]', 'YLBILL-NET-B2C');
    await refused(submitForm(quickEnvelope(2322, gatewayBody({ GOODSNAME: '商'.repeat(33) }))), '[-1004]', 'GOODSNAME');
  });

  it('another command, an unknown merchant, a merchant without the gateway', async () => {
    await refused(submitForm(quickEnvelope(2323, { MERORDERID: 'X' })), '[-1003]', '/mmsp/api');
    await refused(submitForm(quickEnvelope(2322, gatewayBody(), { MERNO: '001440399999999' })), '[-1006]');
    await sim.post('/_sim/merchants', { ...OPEN_MERCHANT, settings: { products: { gateway: false } } });
    await refused(submitForm(quickEnvelope(2322, gatewayBody(), OPEN_HEADER, OPEN_MERCHANT.md5Key)), '[-1009] 暂未开通');
    const query = await client.send(2323, { MERORDERID: 'X' }, OPEN_HEADER, OPEN_MERCHANT.md5Key);
    expect(query.ErrorMsg).toMatch(/^\[-1009\]/);
  });

  it('a MERORDERID already used', async () => {
    const { body } = await submit();
    await refused(submitForm(quickEnvelope(2322, gatewayBody({ MERORDERID: body.MERORDERID }))), '94', '重复交易');
  });
});

describe('magic amounts', () => {
  it('2001: Pay leaves it paying (front STATUS 0/AA); paid and notified 60 s later', async () => {
    const { body, page } = await submit(gatewayBody({ AMT: '2001' }));
    const pay = await pressButton(page, 'pay');
    const fields = Object.fromEntries(new URL(pay.headers.get('location')!).searchParams);
    expect(fields).toMatchObject({ STATUS: '0', ERRCODE: 'AA' });
    expect((await orderOf(body.MERORDERID)).state).toBe('pending');
    await sim.advance(60);
    expect((await client.send(2323, { MERORDERID: body.MERORDERID })).Body.STATUS).toBe('1');
    expect(merchant.received).toHaveLength(1);
  });

  it('2002: closed at expiry (D4); 2003: failed at once', async () => {
    const pending = await submit(gatewayBody({ AMT: '2002' }));
    await sim.advance(30 * 60);
    expect((await client.send(2323, { MERORDERID: pending.body.MERORDERID })).Body).toMatchObject({ STATUS: '2', ERRCODE: 'D4' });
    const failed = await submit(gatewayBody({ AMT: '2003' }));
    expect((await orderOf(failed.body.MERORDERID)).state).toBe('failed');
    const html = await (await fetch(`${sim.url}${failed.page}`)).text();
    expect(html).toContain('支付失败');
    expect(html).not.toContain('/pay"');
    expect(merchant.received).toHaveLength(0);
  });

  it('2004: the form gets no answer (the connection drops), nor the first query; then paid and notified', async () => {
    const body = gatewayBody({ AMT: '2004' });
    await expect(submitForm(quickEnvelope(2322, body))).rejects.toThrow();
    await expect(client.send(2323, { MERORDERID: body.MERORDERID })).rejects.toThrow();
    expect((await client.send(2323, { MERORDERID: body.MERORDERID })).Body.STATUS).toBe('1');
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
  });
});
