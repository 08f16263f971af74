import { describe, expect, it } from 'vitest';
import { allinpay, mmsp, umpay } from '../src/testkit/index.js';
import { useSandbox } from './support/harness.js';

/**
 * The merchant-side helpers of the providers that joined after the first three
 * (MMSP quick pay / gateway, Allinpay, UMPay), against the running sandbox:
 * what they sign is accepted, what the sandbox sends they verify. (MMSP
 * payouts and UMPay quick pay run end to end in examples/merchant-shop.)
 */
const { sim, merchant } = useSandbox({ resetEach: true });

let sequence = 0;
const orderNo = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${(sequence++).toString(36)}`;
const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('mmsp: the gateway form, its front and async notifications', () => {
  it('web_api places the order; the front notification and the 35104 notification verify; "success, thanks" acknowledges', async () => {
    const m = (await sim.get('/_sim/keys')).merchants.find((x: { provider: string; merchantId: string }) => x.provider === 'mmsp' && x.merchantId === '001440353999853');
    const key: string = m.md5Key;
    const credentials = { merchantId: m.merchantId, terminalId: m.terminalId, key };
    const no = orderNo('GW');
    const web = mmsp.gatewayForm(
      { MERORDERID: no, AMT: '666', NOTIFY_URL: `${merchant.url}/notify`, JUMP_URL: `${merchant.url}/return?shop=1`, PAY_CHANNEL: 'YLBILL-NET-B2C', GOODSNAME: 'product' },
      credentials,
    );
    const placed = await fetch(`${sim.url}/mmsp/gateway`, { ...form(web), redirect: 'manual' });
    expect(placed.status).toBe(303);
    const page = new URL(placed.headers.get('location')!, sim.url);
    merchant.setReply(() => ({ body: 'success, thanks' }));
    const paid = await fetch(`${page}/pay`, { method: 'POST', redirect: 'manual' });
    const back = paid.headers.get('location')!;
    expect(mmsp.verifyFrontNotification(back, key)).toMatchObject({ valid: true, fields: { STATUS: '1', MERORDERID: no, shop: '1' } });
    expect(mmsp.verifyFrontNotification(back, 'another key').valid).toBe(false);

    await sim.advance(0);
    const [received] = merchant.received;
    expect(mmsp.verifyPaymentNotification(received!.body, key)).toMatchObject({ valid: true, fields: { STATUS: '1', MERORDERID: no, AMT: '666' } });
    expect(mmsp.isAcknowledged('success, thanks', 'payment')).toBe(true);
    const [notification] = await sim.get(`/_sim/notifications?orderNo=${no}`);
    expect(notification).toMatchObject({ status: 'delivered', attempts: [{ verdict: 'acked' }] });
  });
});

describe('allinpay: payData, the notification in both signTypes, query, refund, refund status, batch', () => {
  const KEY = '1234567890';
  const MERCHANT = '100020091218001';

  async function paidOrder(signType: '0' | '1') {
    const no = orderNo('AL');
    const payData = allinpay.signRequest(
      { inputCharset: '1', receiveUrl: `${merchant.url}/receive`, version: 'v1.0', signType, merchantId: MERCHANT, orderNo: no, orderAmount: '100', orderCurrency: '156', orderDatetime: '20260301100000', productName: '笔记本电脑', payType: '27' },
      'payData',
      KEY,
    );
    const placed = await fetch(`${sim.url}/allinpay/mobile/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payData), redirect: 'manual' });
    expect(placed.status).toBe(303);
    await sim.post(`/_sim/orders/allinpay/${no}/pay`);
    await sim.advance(0);
    return no;
  }

  it('verifies the notification, MD5 (signType 0) and certificate (signType 1)', async () => {
    const certificate = (await sim.get('/_sim/keys')).platform.allinpay.certificate;
    const md5 = await paidOrder('0');
    const rsa = await paidOrder('1');
    const [first, second] = merchant.received;
    expect(allinpay.verifyNotification(first!.bytes, { key: KEY, charset: 'UTF-8' })).toMatchObject({ valid: true, fields: { orderNo: md5, payResult: '1', signType: '0' } });
    expect(allinpay.verifyNotification(second!.bytes, { certificate })).toMatchObject({ valid: true, fields: { orderNo: rsa, signType: '1' } });
    expect(allinpay.verifyNotification(second!.bytes, { key: KEY }).valid).toBe(false);
    // The .cer bytes work as well as the PEM.
    const der = Buffer.from(await (await fetch(`${sim.url}/_sim/keys/allinpay/platform.cer`)).arrayBuffer());
    expect(allinpay.verifyNotification(second!.body, { certificate: der }).valid).toBe(true);
  });

  it('queries, refunds, reads the refund status and the batch', async () => {
    const certificate = (await sim.get('/_sim/keys')).platform.allinpay.certificate;
    const no = await paidOrder('0');

    const query = allinpay.signRequest({ merchantId: MERCHANT, version: 'v1.5', signType: '0', orderNo: no, orderDatetime: '20260301100000', queryDatetime: '20260301100000' }, 'query', KEY);
    const answer = await (await fetch(`${sim.url}/allinpay/gateway/index.do`, form(query))).text();
    expect(allinpay.verifyNotification(answer, { key: KEY })).toMatchObject({ valid: true, fields: { orderNo: no, payResult: '1' } });

    const refund = allinpay.signRequest({ version: 'v2.3', signType: '0', merchantId: MERCHANT, orderNo: no, refundAmount: '30', mchtRefundOrderNo: 'R1', orderDatetime: '20260301100000' }, 'refund', KEY);
    const refunded = await (await fetch(`${sim.url}/allinpay/gateway/index.do`, form(refund))).text();
    expect(allinpay.verifyRefundReply(refunded, { key: KEY })).toMatchObject({ valid: true, fields: { refundResult: '20', refundAmount: '30' } });

    const status = allinpay.signRequest({ version: 'v2.4', signType: '1', merchantId: MERCHANT, orderNo: no, refundAmount: '30' }, 'refundQuery', KEY);
    const statusText = await (await fetch(`${sim.url}/allinpay/mchtoq/refundQuery`, form(status))).text();
    expect(allinpay.parseRefundQuery(statusText, { certificate })).toMatchObject({ valid: true, refunds: [{ orderNo: no, mchtRefundOrderNo: 'R1', refundResult: 'TKSUCC0002' }] });
    const unknown = allinpay.signRequest({ version: 'v2.4', signType: '0', merchantId: MERCHANT, orderNo: no, refundAmount: '31' }, 'refundQuery', KEY);
    expect(allinpay.parseRefundQuery(await (await fetch(`${sim.url}/allinpay/mchtoq/refundQuery`, form(unknown))).text(), { key: KEY })).toMatchObject({ valid: false, error: { code: '011' } });

    const batch = allinpay.signRequest({ version: 'v1.6', merchantId: MERCHANT, beginDateTime: '2026030100', endDateTime: '2026030123', pageNo: '1', signType: '1' }, 'batch', KEY);
    const decoded = allinpay.decodeBatch(await (await fetch(`${sim.url}/allinpay/mchtoq/index.do`, form(batch))).text(), certificate);
    expect(decoded).toMatchObject({ valid: true, summary: { merchantId: MERCHANT, count: 1, pageNo: 1, hasNext: false }, orders: [{ orderNo: no, payAmount: '100', payResult: '1' }] });
  });
});

describe('umpay: a signed request, its META answer, a refusal', () => {
  it('query_order built by the helpers is accepted; the answer and a refusal are signed by the platform', async () => {
    const keys = await sim.get('/_sim/keys');
    const m = keys.merchants.find((x: { provider: string; merchantId: string }) => x.provider === 'umpay' && x.merchantId === '60000100');
    const certificate = keys.platform.umpay.certificate;
    const options = { merId: '60000100', merchantPrivateKey: m.privateKey, platformCertificate: certificate };
    const send = async (fields: Record<string, string>) => umpay.readMeta(await (await fetch(`${sim.url}${umpay.GATEWAY_PATH}`, form(fields))).text(), certificate);

    const no = orderNo('UQ');
    const placed = await send(umpay.buildRequest('apply_pay_shortcut', { order_id: no, mer_date: '20260301', amount: '100', amt_type: 'RMB', pay_type: 'DEBITCARD', gate_id: 'ICBC' }, options));
    expect(placed).toMatchObject({ valid: true, fields: { ret_code: umpay.RET_OK, order_id: no, trade_state: umpay.TRADE_STATE.waiting } });
    // Signed over GBK as the Java SDK does, declared UTF-8: accepted too.
    const queried = await send(umpay.buildRequest('query_order', { order_id: no, mer_date: '20260301' }, { ...options, signCharset: 'GBK' }));
    expect(queried).toMatchObject({ valid: true, fields: { ret_code: '0000', trade_no: placed.fields.trade_no } });
    const refused = await send(umpay.buildRequest('query_order', { order_id: 'NOSUCHORDER', mer_date: '20260301' }, options));
    expect(refused).toMatchObject({ valid: true, fields: { ret_code: '00990010' } });
    const forged = await send(umpay.buildRequest('query_order', { order_id: no, mer_date: '20260301' }, { ...options, merchantPrivateKey: keys.platform.umpay.privateKey }));
    expect(forged.fields.ret_code).toBe('00990001');
  });
});
