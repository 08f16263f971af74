import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import {
  micropayBody,
  mmspClient,
  orderNo,
  prepayBody,
  replySignatureValid,
  type MmspReply,
} from './support/mmsp.js';

const { sim, merchant } = useSandbox();
let client: ReturnType<typeof mmspClient>;
let notifyUrl: string;

beforeAll(() => {
  client = mmspClient(sim.url);
  notifyUrl = `${merchant.url}/notify`;
});

function expectOk(reply: MmspReply, replyId: number) {
  expect(reply.RetCode).toBe(1);
  expect(reply.CommandID).toBe(replyId);
  expect(replySignatureValid(reply)).toBe(true);
  return reply.Body as Record<string, string>;
}

const order = async (merchantOrderNo: string) => (await sim.get(`/_sim/orders?provider=mmsp&orderNo=${merchantOrderNo}`))[0];

describe('pre-orders answer a URL to the hosted page, or PAY_INFO', () => {
  const cases = [
    { id: 2306, reply: 35074, product: 'wechat.qr', body: {} },
    { id: 2308, reply: 35076, product: 'alipay.qr', body: {} },
    { id: 2325, reply: 35093, product: 'qq.qr', body: {} },
    { id: 1025, reply: 33793, product: 'unionpay.qr', body: {} },
    { id: 1026, reply: 33794, product: 'alipay.static', body: {} },
    { id: 1027, reply: 33795, product: 'alipay.dynamic', body: {} },
    { id: 1031, reply: 33799, product: 'jd.qr', body: {} },
  ];
  for (const { id, reply, product } of cases) {
    it(`${id} creates a ${product} order answered by ${reply}`, async () => {
      const request = prepayBody(notifyUrl);
      const body = expectOk(await client.send(id, request), reply);
      expect(body).toMatchObject({ STATUS: '1', MERORDERID: request.MERORDERID, TRADETYPE: '1' });
      expect(body.ORDERNO).toMatch(/^\d{18}$/);
      expect(body.TRADETIME).toBe('2026-03-01 10:00:00');
      expect(body.URL).toBe(`${sim.url}/pay/mmsp/${body.ORDERNO}`);
      const stored = await order(request.MERORDERID);
      expect(stored).toMatchObject({ product, state: 'created', amount: 100, platformOrderNo: body.ORDERNO });
      expect(stored.expiresAt).toBe('2026-03-01T02:05:00.000Z');
    });
  }

  it('2306 TRADETYPE 2 needs OPENID and, with IS_RAW 1, answers PAY_INFO instead of URL', async () => {
    const missing = await client.send(2306, prepayBody(notifyUrl, { TRADETYPE: '2' }));
    expect(missing.CommandID).toBe(32768);
    expect(missing.ErrorMsg).toContain('OPENID');

    const request = prepayBody(notifyUrl, { TRADETYPE: '2', OPENID: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', IS_RAW: '1', SUP_APPID: 'wx2421b1c4370ec43b' });
    const body = expectOk(await client.send(2306, request), 35074);
    expect(body.URL).toBeUndefined();
    const payInfo = JSON.parse(body.PAY_INFO!);
    expect(payInfo).toMatchObject({ appId: 'wx2421b1c4370ec43b', signType: 'MD5' });
    expect(payInfo.package).toMatch(/^prepay_id=wx/);
    expect((await order(request.MERORDERID)).product).toBe('wechat.jsapi');
  });

  it('2306 with IS_MINIPG 1 is a mini-program order', async () => {
    const request = prepayBody(notifyUrl, { TRADETYPE: '2', OPENID: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', IS_MINIPG: '1' });
    const body = expectOk(await client.send(2306, request), 35074);
    expect(body.URL).toContain('/pay/mmsp/');
    expect((await order(request.MERORDERID)).product).toBe('wechat.miniprogram');
  });

  it('2308 服务窗 needs ALIPAY_USER_ID or ALIPAY_ACCOUNT', async () => {
    const missing = await client.send(2308, prepayBody(notifyUrl, { TRADETYPE: '2' }));
    expect(missing.ErrorMsg).toContain('ALIPAY_USER_ID');
    const request = prepayBody(notifyUrl, { TRADETYPE: '2', ALIPAY_USER_ID: '2088102146225135', IS_RAW: '1' });
    const body = expectOk(await client.send(2308, request), 35076);
    expect(JSON.parse(body.PAY_INFO!).tradeNO).toMatch(/^\d{8}22001\d+$/);
  });

  it('1026 accepts only TRADETYPE 1', async () => {
    const reply = await client.send(1026, prepayBody(notifyUrl, { TRADETYPE: '2' }));
    expect(reply.CommandID).toBe(32768);
    expect(reply.ErrorMsg).toContain('TRADETYPE');
  });
});

describe('micropay (刷卡)', () => {
  for (const [id, reply, wallet] of [
    [2307, 35075, 'wechat'],
    [2309, 35077, 'alipay'],
    [2326, 35094, 'qq'],
    [776, 35094, 'qq'],
  ] as const) {
    it(`${id} pays at once and answers ${reply} with STATUS 1`, async () => {
      const request = micropayBody(notifyUrl);
      const body = expectOk(await client.send(id, request), reply);
      expect(body).toMatchObject({ STATUS: '1', MERORDERID: request.MERORDERID });
      expect(body.ERR_CODE).toBeUndefined();
      const stored = await order(request.MERORDERID);
      expect(stored).toMatchObject({ state: 'paid', product: `${wallet}.micropay`, paidAt: '2026-03-01T02:00:00.000Z' });
    });
  }

  it('776 without a payment code is quick pay’s 绑卡查询, not enabled', async () => {
    const reply = await client.send(776, { RANDSTR: 'x' });
    expect(reply).toMatchObject({ CommandID: 32768, RetCode: 0, Body: '', Sign: '' });
    expect(reply.ErrorMsg).toContain('暂未开通');
  });

  it('requires CUR and CODE', async () => {
    const noCode = await client.send(2307, micropayBody(notifyUrl, { CODE: '' }));
    expect(noCode.ErrorMsg).toContain('CODE');
    const { CUR: _dropped, ...rest } = micropayBody(notifyUrl);
    const noCur = await client.send(2307, rest);
    expect(noCur.ErrorMsg).toContain('CUR');
  });
});

describe('H5', () => {
  it('2321 WeChat H5 needs JUMP_URL and answers a URL that returns the browser there', async () => {
    const request = { ...micropayBody(notifyUrl), JUMP_URL: 'https://shop.example/return' } as Record<string, unknown>;
    delete request.CODE;
    const body = expectOk(await client.send(2321, request), 35089);
    expect(body.STATUS).toBe('1');
    expect(body.URL).toBe(`${sim.url}/pay/mmsp/${body.ORDERNO}`);

    const pay = await fetch(`${body.URL}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    expect(pay.headers.get('location')).toBe('https://shop.example/return');
    expect((await order(String(request.MERORDERID))).state).toBe('paid');

    const { JUMP_URL: _j, ...noJump } = request;
    expect((await client.send(2321, { ...noJump, MERORDERID: orderNo() })).ErrorMsg).toContain('JUMP_URL');
  });

  it('1030 Alipay H5 treats JUMP_URL as optional (暂不传)', async () => {
    const request = micropayBody(notifyUrl) as Record<string, unknown>;
    delete request.CODE;
    const body = expectOk(await client.send(1030, request), 33798);
    expect(body.URL).toContain('/pay/mmsp/');
    expect((await order(String(request.MERORDERID))).product).toBe('alipay.h5');
  });
});

describe('query, cancel and close', () => {
  it('2310 answers STATUS 3/AA while unpaid and 1 with PAYTIME once paid, by MERORDERID or ORDERNO', async () => {
    const request = prepayBody(notifyUrl, { AMT: '1234' });
    const created = expectOk(await client.send(2306, request), 35074);

    const unpaid = expectOk(await client.send(2310, { MERORDERID: request.MERORDERID, RANDSTR: 'q' }), 35078);
    expect(unpaid).toMatchObject({ STATUS: '3', ERR_CODE: 'AA', ERR_CODE_MSG: '用户支付中', AMT: '1234', TRADETYPE: '1', PAYTIME: '' });

    await sim.advance(30);
    await sim.post(`/_sim/orders/mmsp/${request.MERORDERID}/pay`);
    const paid = expectOk(await client.send(2310, { ORDERNO: created.ORDERNO, RANDSTR: 'q' }), 35078);
    expect(paid).toMatchObject({ STATUS: '1', ORDERNO: created.ORDERNO, MERORDERID: request.MERORDERID, PAYTIME: '2026-03-01 10:00:30' });
    expect(paid.ERR_CODE).toBeUndefined();
  });

  it('2310 reports the wallet as TRADETYPE: 1 WeChat, 2 Alipay, 3 QQ, 4 JD, 5 UnionPay', async () => {
    for (const [id, tradeType] of [[2306, '1'], [2308, '2'], [2325, '3'], [1031, '4'], [1025, '5']] as const) {
      const request = prepayBody(notifyUrl);
      await client.send(id, request);
      const body = expectOk(await client.send(2310, { MERORDERID: request.MERORDERID, RANDSTR: 'q' }), 35078);
      expect(body.TRADETYPE).toBe(tradeType);
    }
  });

  it('2314 closes an unpaid order; a query then answers D4; closing again answers D4', async () => {
    const request = prepayBody(notifyUrl);
    await client.send(2306, request);
    const closed = expectOk(await client.send(2314, { MERORDERID: request.MERORDERID, RANDSTR: 'c' }), 35082);
    expect(closed.STATUS).toBe('1');
    const query = expectOk(await client.send(2310, { MERORDERID: request.MERORDERID, RANDSTR: 'q' }), 35078);
    expect(query).toMatchObject({ STATUS: '2', ERR_CODE: 'D4', ERR_CODE_MSG: '订单已关闭' });
    const again = expectOk(await client.send(2314, { MERORDERID: request.MERORDERID, RANDSTR: 'c' }), 35082);
    expect(again).toMatchObject({ STATUS: '2', ERR_CODE: 'D4' });
    expect((await order(request.MERORDERID)).state).toBe('closed');
  });

  it('2314 refuses to close a paid order', async () => {
    const request = micropayBody(notifyUrl);
    await client.send(2307, request);
    const reply = expectOk(await client.send(2314, { MERORDERID: request.MERORDERID, RANDSTR: 'c' }), 35082);
    expect(reply).toMatchObject({ STATUS: '2', ERR_CODE: '12' });
    expect((await order(request.MERORDERID)).state).toBe('paid');
  });

  it('2311 cancels an unpaid order, and reverses a paid one only 15 s after payment', async () => {
    const unpaid = prepayBody(notifyUrl);
    await client.send(2306, unpaid);
    expect(expectOk(await client.send(2311, { MERORDERID: unpaid.MERORDERID, RANDSTR: 'x' }), 35079).STATUS).toBe('1');
    expect((await order(unpaid.MERORDERID)).state).toBe('closed');

    const paid = micropayBody(notifyUrl);
    await client.send(2307, paid);
    const early = expectOk(await client.send(2311, { MERORDERID: paid.MERORDERID, RANDSTR: 'x' }), 35079);
    expect(early).toMatchObject({ STATUS: '2', ERR_CODE: '12', ERR_CODE_MSG: '请支付后至少15s再撤销' });
    expect((await order(paid.MERORDERID)).state).toBe('paid');

    await sim.advance(15);
    const later = expectOk(await client.send(2311, { MERORDERID: paid.MERORDERID, RANDSTR: 'x' }), 35079);
    expect(later.STATUS).toBe('1');
    expect((await order(paid.MERORDERID)).state).toBe('reversed');
    const query = expectOk(await client.send(2310, { MERORDERID: paid.MERORDERID, RANDSTR: 'q' }), 35078);
    expect(query).toMatchObject({ STATUS: '2', ERR_CODE: 'D4' });
  });
});

describe('refunds', () => {
  it('2312 refunds in parts, never above the amount, with unique REFUND_MERORDERID; 2313 finds them', async () => {
    const request = micropayBody(notifyUrl, { AMT: '1000' });
    await client.send(2307, request);

    const first = expectOk(
      await client.send(2312, { MERORDERID: request.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RF1', AMT: '300' }),
      35080,
    );
    expect(first).toMatchObject({ STATUS: '1', AMT: '300', REFUND_MERORDERID: 'RF1' });
    expect(first.REFUND_ORDERNO).toMatch(/^\d{20}$/);
    expect((await order(request.MERORDERID))).toMatchObject({ state: 'partially_refunded', refundedAmount: 300 });

    const duplicate = expectOk(
      await client.send(2312, { MERORDERID: request.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RF1', AMT: '100' }),
      35080,
    );
    expect(duplicate).toMatchObject({ STATUS: '2', ERR_CODE: '94' });

    const tooMuch = expectOk(
      await client.send(2312, { MERORDERID: request.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RF2', AMT: '701' }),
      35080,
    );
    expect(tooMuch).toMatchObject({ STATUS: '2', ERR_CODE: '13' });
    expect(tooMuch.ERR_CODE_MSG).toContain('700');

    // The refused RF2 is kept (10.7.2 answers it as 退款失败), so the next refund takes another number.
    const rest = expectOk(
      await client.send(2312, { MERORDERID: request.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RF3', AMT: '700' }),
      35080,
    );
    expect(rest.STATUS).toBe('1');
    const stored = await order(request.MERORDERID);
    expect(stored).toMatchObject({ state: 'refunded', refundedAmount: 1000 });
    expect(stored.refunds.map((r: { refundNo: string; state: string }) => [r.refundNo, r.state])).toEqual([
      ['RF1', 'succeeded'],
      ['RF2', 'failed'],
      ['RF3', 'succeeded'],
    ]);

    const byMerchantNo = expectOk(await client.send(2313, { REFUND_MERORDERID: 'RF1', RANDSTR: 'q' }), 35081);
    expect(byMerchantNo).toMatchObject({ STATUS: '1', AMT: '300', REFUND_ORDERNO: first.REFUND_ORDERNO });
    const byPlatformNo = expectOk(await client.send(2313, { REFUND_ORDERNO: rest.REFUND_ORDERNO, RANDSTR: 'q' }), 35081);
    expect(byPlatformNo).toMatchObject({ REFUND_MERORDERID: 'RF3', AMT: '700' });
  });

  it('2312 refuses an unpaid order', async () => {
    const request = prepayBody(notifyUrl);
    await client.send(2306, request);
    const reply = expectOk(
      await client.send(2312, { MERORDERID: request.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RFX', AMT: '1' }),
      35080,
    );
    expect(reply).toMatchObject({ STATUS: '2', ERR_CODE: '12' });
  });
});

describe('the 2324 push', () => {
  it('is the signed envelope of the document, TRDETIME included, with AMT as a number', async () => {
    const request = prepayBody(notifyUrl, { AMT: '888' });
    const created = expectOk(await client.send(2325, request), 35093);
    merchant.received.length = 0;
    await sim.post(`/_sim/orders/mmsp/${request.MERORDERID}/pay`);
    await sim.advance(0);

    expect(merchant.received).toHaveLength(1);
    const push = JSON.parse(merchant.received[0]!.body);
    expect(merchant.received[0]!.headers['content-type']).toContain('application/json');
    expect(push).toMatchObject({ CommandID: 2324, NodeID: 'openplat', Version: '1.0.0', MERNO: '001440353999853', TERMNO: '84970001' });
    expect(push.Body).toEqual({
      AMT: 888,
      ORDERNO: created.ORDERNO,
      TRDETIME: created.TRADETIME,
      TRADETIME: created.TRADETIME,
      PAYTIME: created.TRADETIME,
      STATUS: '1',
      TRADETYPE: '3',
      MERORDERID: request.MERORDERID,
    });
    expect(replySignatureValid(push)).toBe(true);

    const [notification] = await sim.get(`/_sim/notifications?provider=mmsp&orderNo=${request.MERORDERID}`);
    expect(notification).toMatchObject({ status: 'delivered', channel: 'scan.pay', url: notifyUrl });
    expect(notification.attempts).toHaveLength(1);
    expect(notification.attempts[0]).toMatchObject({ httpStatus: 200, replyBody: 'SUCCESS', verdict: 'acked' });
  });
});
