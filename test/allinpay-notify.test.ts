import { X509Certificate } from 'node:crypto';
import iconv from 'iconv-lite';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import {
  allinpayClient,
  certVerifies,
  cstCompact,
  KEY,
  MERCHANT,
  md5,
  ORDER_DATETIME,
  orderNo,
  pageError,
  parseAnswer,
  parseFormBody,
  payData,
  QUERY_ORDER,
  RESULT_ORDER,
  signed,
  source,
  WEB_ORDER,
} from './support/allinpay.js';

const { sim, merchant } = useSandbox({ resetEach: true, ack: '商户订单处理完成' });
let client: ReturnType<typeof allinpayClient>;
let RECEIVE: string;
let certificate: string;

beforeAll(async () => {
  client = allinpayClient(sim.url);
  RECEIVE = `${merchant.url}/receive`;
  certificate = (await sim.get('/_sim/keys')).platform.allinpay.certificate;
});

const stored = async (no: string) => (await sim.get(`/_sim/orders?provider=allinpay&orderNo=${no}`))[0];
const notifications = async (no: string) => sim.get(`/_sim/notifications?provider=allinpay&orderNo=${no}`);
const now = async () => (await sim.get('/_sim/health')).now as string;

async function place(fields: Record<string, string>) {
  const response = await client.submit(fields);
  expect(response.status, await response.clone().text()).toBe(303);
  return response.headers.get('location')!.split('/').pop()!;
}

/** The payer pays through the admin API, as a test would; the notification due at once is then delivered. */
async function pay(no: string) {
  await sim.post(`/_sim/orders/allinpay/${no}/pay`);
  await sim.advance(0);
}

describe('§2.2.3 the notification to receiveUrl', () => {
  it('signType 0: a form POST, the result fields in table order, signMsg the MD5 with the key', async () => {
    const fields = payData(RECEIVE, { orderAmount: '1234' });
    const id = await place(fields);
    const paidAt = await now();
    await pay(fields.orderNo!);
    expect(merchant.received).toHaveLength(1);
    const [request] = merchant.received;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/receive');
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    const body = parseFormBody(request!.bytes);
    const expected = {
      merchantId: MERCHANT,
      version: 'v1.0',
      signType: '0',
      payType: '27',
      paymentOrderId: id,
      orderNo: fields.orderNo,
      orderDatetime: ORDER_DATETIME,
      orderAmount: '1234',
      payDatetime: cstCompact(paidAt),
      payAmount: '1234',
      payResult: '1',
      returnDatetime: cstCompact(paidAt),
    };
    // Exactly these, in this order: empty fields (language, issuerId, ext1, ext2, errorCode) are left out.
    expect(Object.keys(body)).toEqual([...Object.keys(expected), 'signMsg']);
    expect(body).toMatchObject(expected);
    expect(body.signMsg).toBe(md5(`${source(body, RESULT_ORDER)}&key=${KEY}`));
    const [item] = await notifications(fields.orderNo!);
    expect(item).toMatchObject({ status: 'delivered', attempts: [{ verdict: 'acked', httpStatus: 200 }] });
  });

  it('signType 1: signMsg is SHA1withRSA over the raw source, verified with the certificate /_sim/keys hands out (PEM and .cer)', async () => {
    const fields = payData(RECEIVE, { signType: '1', ext1: '<USER>U1</USER>' });
    await place(fields);
    await pay(fields.orderNo!);
    const body = parseFormBody(merchant.received[0]!.bytes);
    expect(body).toMatchObject({ signType: '1', ext1: '<USER>U1</USER>' });
    const text = source(body, RESULT_ORDER);
    expect(Buffer.from(body.signMsg!, 'base64')).toHaveLength(128);
    expect(certVerifies(certificate, text, body.signMsg!)).toBe(true);
    expect(certVerifies(certificate, md5(text), body.signMsg!)).toBe(false);
    // The same certificate as DER, the way the SDK loads TLCert.cer.
    const der = Buffer.from(await (await fetch(`${sim.url}/_sim/keys/allinpay/platform.cer`)).arrayBuffer());
    const fromDer = forge.pki.certificateToPem(forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary'))));
    expect(certVerifies(fromDer, text, body.signMsg!)).toBe(true);
    expect(new X509Certificate(der).subject).toContain('allinpay');
  });

  it('a GBK order is notified in GBK, its Chinese signed as GBK bytes', async () => {
    const unsigned: Record<string, string> = {
      inputCharset: '2',
      pickupUrl: 'http://shop.example/pickup',
      receiveUrl: RECEIVE,
      version: 'v1.0',
      signType: '0',
      merchantId: MERCHANT,
      orderNo: orderNo('GBK'),
      orderAmount: '100',
      orderDatetime: ORDER_DATETIME,
      productName: 'goods',
      ext1: '中文扩展',
      payType: '0',
    };
    const fields = signed(unsigned, WEB_ORDER, KEY, 'gbk');
    const body = Object.entries(fields)
      .map(([name, value]) => `${name}=${Array.from(iconv.encode(value, 'gbk')).map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`)
      .join('&');
    const response = await client.post('/allinpay/gateway/index.do', body);
    expect(response.status, await response.clone().text()).toBe(303);
    await pay(fields.orderNo!);
    const [request] = merchant.received;
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=GBK');
    expect(request!.body).toContain('ext1=%D6%D0%CE%C4%C0%A9%D5%B9');
    const notified = parseFormBody(request!.bytes, 'gbk');
    expect(notified.ext1).toBe('中文扩展');
    expect(notified.signMsg).toBe(md5(`${source(notified, RESULT_ORDER)}&key=${KEY}`, 'gbk'));
  });

  it('only payments are notified: not a failure, not an expiry', async () => {
    const failed = payData(RECEIVE);
    await place(failed);
    await sim.post(`/_sim/orders/allinpay/${failed.orderNo}/fail`);
    const expired = payData(RECEIVE);
    await place(expired);
    await sim.advance(24 * 3600 + 1);
    expect((await stored(expired.orderNo!)).state).toBe('closed');
    expect(merchant.received).toHaveLength(0);
  });

  it('"最多重发 3 次": a failed delivery is sent again 60 s apart, three times, each signed anew', async () => {
    merchant.setReply(() => ({ status: 500, body: 'error' }));
    const fields = payData(RECEIVE);
    await place(fields);
    const paidAt = Date.parse(await now());
    await pay(fields.orderNo!);
    expect(merchant.received).toHaveLength(1);
    await sim.advance(59);
    expect(merchant.received).toHaveLength(1);
    await sim.advance(1);
    expect(merchant.received).toHaveLength(2);
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(4);
    const [item] = await notifications(fields.orderNo!);
    expect(item.status).toBe('exhausted');
    expect(item.attempts.map((a: { at: string }) => (Date.parse(a.at) - paidAt) / 1000)).toEqual([0, 60, 120, 180]);
    const returned = merchant.received.map((r) => parseFormBody(r.bytes));
    expect(returned.map((r) => r.returnDatetime)).toEqual([0, 60, 120, 180].map((s) => cstCompact(new Date(paidAt + s * 1000).toISOString())));
    for (const body of returned) expect(body.signMsg).toBe(md5(`${source(body, RESULT_ORDER)}&key=${KEY}`));
  });

  it('any 2xx answer is an acknowledgement, whatever its body; an unreachable receiveUrl is retried', async () => {
    merchant.setReply((_request, index) => (index === 0 ? { status: 502 } : { status: 204 }));
    const fields = payData(RECEIVE);
    await place(fields);
    await pay(fields.orderNo!);
    await sim.advance(60);
    expect((await notifications(fields.orderNo!))[0]).toMatchObject({ status: 'delivered' });
    expect(merchant.received).toHaveLength(2);

    const unreachable = payData('http://127.0.0.1:9/receive');
    await place(unreachable);
    await pay(unreachable.orderNo!);
    await sim.advance(180);
    const [item] = await notifications(unreachable.orderNo!);
    expect(item.status).toBe('exhausted');
    expect(item.attempts).toHaveLength(4);
  });
});

describe('magic amounts', () => {
  const query = (fields: Record<string, string>, queryDatetime: string) =>
    client.gateway(
      signed(
        { merchantId: MERCHANT, version: 'v1.5', signType: '0', orderNo: fields.orderNo!, orderDatetime: fields.orderDatetime!, queryDatetime },
        QUERY_ORDER,
      ),
    );

  it('2001: processing on the control (SDK result 0) for 60 s, the payer cannot change it, then paid and notified', async () => {
    const fields = payData(RECEIVE, { orderAmount: '2001' });
    const id = await place(fields);
    expect((await stored(fields.orderNo!)).state).toBe('pending');
    expect(await client.page(id)).toContain('支付处理中');
    expect((await client.result(id)).ios.payResult).toBe(0);
    await sim.post(`/_sim/orders/allinpay/${fields.orderNo}/fail`);
    expect((await stored(fields.orderNo!)).state).toBe('pending');
    expect(parseAnswer(await query(fields, cstCompact(await now())))).toMatchObject({ ERRORCODE: 'ZF10027' });
    await sim.advance(60);
    expect((await stored(fields.orderNo!)).state).toBe('paid');
    expect(merchant.received).toHaveLength(1);
  });

  it('2002: processing until the order expires, then closed, never notified', async () => {
    const fields = payData(RECEIVE, { orderAmount: '2002' });
    await place(fields);
    await sim.advance(24 * 3600);
    expect((await stored(fields.orderNo!)).state).toBe('closed');
    expect(merchant.received).toHaveLength(0);
  });

  it('2003: the payment fails at once (SDK result 1, P00002_100003)', async () => {
    const fields = payData(RECEIVE, { orderAmount: '2003' });
    const id = await place(fields);
    expect((await stored(fields.orderNo!)).state).toBe('failed');
    expect((await client.result(id)).ios.payResult).toBe(1);
    expect(pageError(await client.page(id))).toBe('P00002_100003');
  });

  it('2004: the submission answers BL0004_100002 though the order is paid and notified; the first query fails too', async () => {
    const fields = payData(RECEIVE, { orderAmount: '2004' });
    const page = await (await client.submit(fields)).text();
    expect(pageError(page)).toBe('BL0004_100002');
    expect((await stored(fields.orderNo!)).state).toBe('paid');
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
    const at = cstCompact(await now());
    expect(parseAnswer(await query(fields, at))).toEqual({ ERRORCODE: 'BL0004_100002', ERRORMSG: '未知业务异常' });
    expect(parseAnswer(await query(fields, at))).toMatchObject({ orderNo: fields.orderNo, payResult: '1' });
  });
});

