import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import {
  allinpayClient,
  BATCH_ORDER,
  CANCEL_ORDER,
  certVerifies,
  CONFIRM_ORDER,
  CREDIT,
  cstCompact,
  INTERNATIONAL_EXAMPLE,
  INTERNATIONAL_EXT1,
  KEY,
  MERCHANT,
  md5,
  ORDER_DATETIME,
  parseAnswer,
  parseFormBody,
  payData,
  QUERY_ORDER,
  REFUND_ORDER,
  REFUND_QUERY_ORDER,
  REFUND_REPLY_ORDER,
  RESULT_ORDER,
  signed,
  source,
  WEB_ORDER,
} from './support/allinpay.js';

const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof allinpayClient>;
let RECEIVE: string;
let certificate: string;

beforeAll(async () => {
  client = allinpayClient(sim.url);
  RECEIVE = `${merchant.url}/receive`;
  certificate = (await sim.get('/_sim/keys')).platform.allinpay.certificate;
});

const now = async () => (await sim.get('/_sim/health')).now as string;
const stored = async (no: string) => (await sim.get(`/_sim/orders?provider=allinpay&orderNo=${no}`))[0];

/** A placed order, paid through the admin API (the payer); answers its fields and paymentOrderId. */
async function paidOrder(overrides: Record<string, string> = {}, extra: Record<string, string> = {}) {
  const fields = payData(RECEIVE, overrides);
  const response = await client.submit({ ...fields, ...extra });
  expect(response.status, await response.clone().text()).toBe(303);
  const id = response.headers.get('location')!.split('/').pop()!;
  await sim.post(`/_sim/orders/allinpay/${fields.orderNo}/pay`);
  await sim.advance(0);
  merchant.received.length = 0;
  return { fields, id };
}

const queryRequest = (fields: Record<string, string>, signType: string, queryDatetime: string) =>
  signed({ merchantId: MERCHANT, version: 'v1.5', signType, orderNo: fields.orderNo!, orderDatetime: fields.orderDatetime!, queryDatetime }, QUERY_ORDER);

describe('§3.1 single query (v1.5, /gateway/index.do)', () => {
  it('signType 0: answers the paid order in the notification format, MD5-signed, and pushes it to receiveUrl', async () => {
    const { fields, id } = await paidOrder({ orderAmount: '888' });
    await sim.advance(120);
    const at = await now();
    const text = await client.gateway(queryRequest(fields, '0', cstCompact(at)));
    const answer = parseAnswer(text);
    expect(Object.keys(answer)).toEqual(['merchantId', 'version', 'signType', 'payType', 'paymentOrderId', 'orderNo', 'orderDatetime', 'orderAmount', 'payDatetime', 'payAmount', 'payResult', 'returnDatetime', 'signMsg']);
    expect(answer).toMatchObject({ version: 'v1.0', signType: '0', paymentOrderId: id, orderAmount: '888', payAmount: '888', payResult: '1', returnDatetime: cstCompact(at) });
    expect(answer.signMsg).toBe(md5(`${source(answer, RESULT_ORDER)}&key=${KEY}`));
    await sim.advance(0);
    // §3.2 "异步方式将交易结果通知到原交易发起时上送的 receiveUrl".
    expect(merchant.received).toHaveLength(1);
    expect(parseFormBody(merchant.received[0]!.bytes)).toEqual(answer);
  });

  it('signType 1: the answer and the push are certificate-signed; a Base64 signMsg survives the demo\'s URL-decoding', async () => {
    const { fields } = await paidOrder();
    const text = await client.gateway(queryRequest(fields, '1', cstCompact(await now())));
    // "+" is percent-encoded: the demo URL-decodes the whole answer, which would make it a space.
    expect(text).not.toMatch(/signMsg=[^&]*\+/);
    const answer = parseAnswer(text);
    expect(answer.signType).toBe('1');
    expect(certVerifies(certificate, source(answer, RESULT_ORDER), answer.signMsg!)).toBe(true);
    await sim.advance(0);
    const pushed = parseFormBody(merchant.received[0]!.bytes);
    expect(pushed.signType).toBe('1');
    expect(certVerifies(certificate, source(pushed, RESULT_ORDER), pushed.signMsg!)).toBe(true);
  });

  it('values are raw but for %, + and &: a client that only decodeURIs the answer (a public Node client) verifies it', async () => {
    const { fields } = await paidOrder({ ext1: '<USER>A_1</USER>' });
    const text = await client.gateway(queryRequest(fields, '0', cstCompact(await now())));
    expect(text).toContain('&ext1=<USER>A_1</USER>&');
    const answer = Object.fromEntries(decodeURI(text).split('&').map((pair) => pair.split('=') as [string, string]));
    expect(answer.signMsg).toBe(md5(`${source(answer, RESULT_ORDER)}&key=${KEY}`));
  });

  it('a refunded order was paid: it is still answered with payResult 1', async () => {
    const { fields } = await paidOrder();
    await client.gateway(signed({ version: 'v2.3', signType: '0', merchantId: MERCHANT, orderNo: fields.orderNo!, refundAmount: '100', orderDatetime: ORDER_DATETIME }, REFUND_ORDER));
    await sim.advance(180);
    expect((await stored(fields.orderNo!)).state).toBe('refunded');
    expect(parseAnswer(await client.gateway(queryRequest(fields, '0', cstCompact(await now()))))).toMatchObject({ payResult: '1' });
  });
});

describe('§3.3 batch query (v1.6, /mchtoq/index.do)', () => {
  const batchRequest = (begin: string, end: string, pageNo = '1') =>
    signed({ version: 'v1.6', merchantId: MERCHANT, beginDateTime: begin, endDateTime: end, pageNo, signType: '1' }, BATCH_ORDER);

  /** Splits the decoded answer: signed text (summary and details with their CRLFs), and the signature after the blank line. */
  function read(text: string) {
    const at = text.lastIndexOf('\r\n\r\n');
    const signedText = text.slice(0, at + 2);
    const signature = text.slice(at + 4);
    return { signedText, signature, lines: signedText.split('\r\n').slice(0, -1) };
  }

  it('lists the day\'s paid orders in the §3.4 text, Base64, the signature over the MD5 of summary and details', async () => {
    const first = await paidOrder({ orderAmount: '100', ext1: '<USER>A1</USER>' });
    await sim.advance(10);
    const second = await paidOrder({ orderAmount: '200' });
    // Unpaid orders are not listed.
    await client.submit(payData(RECEIVE));
    const day = cstCompact(await now()).slice(0, 8);
    const raw = await client.batchRaw(batchRequest(`${day}00`, `${day}23`));
    expect(raw).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const text = Buffer.from(raw, 'base64').toString('utf8');
    const { signedText, signature, lines } = read(text);
    const firstOrder = await stored(first.fields.orderNo!);
    const secondOrder = await stored(second.fields.orderNo!);
    expect(lines).toEqual([
      `${MERCHANT}|2|1|N`,
      `${MERCHANT}|${first.id}|${first.fields.orderNo}|${ORDER_DATETIME}|100|${cstCompact(firstOrder.paidAt)}|100|<USER>A1</USER>||1`,
      `${MERCHANT}|${second.id}|${second.fields.orderNo}|${ORDER_DATETIME}|200|${cstCompact(secondOrder.paidAt)}|200|||1`,
    ]);
    expect(text).toBe(`${lines.join('\r\n')}\r\n\r\n${signature}`);
    expect(certVerifies(certificate, md5(signedText), signature)).toBe(true);
  });

  it('no order: the summary M|0|0|N, a blank line and the signature', async () => {
    const text = await client.batch(batchRequest('2026010100', '2026010123'));
    const { signedText, signature } = read(text);
    expect(signedText).toBe(`${MERCHANT}|0|0|N\r\n`);
    expect(text).toBe(`${MERCHANT}|0|0|N\r\n\r\n${signature}`);
    expect(certVerifies(certificate, md5(signedText), signature)).toBe(true);
  });

  it('pages 500 at a time with hasNext Y, and keeps to the hours asked', async () => {
    // Web orders with a pickupUrl only: nothing to notify, so the test stays quick.
    const submitted: string[] = [];
    const webOrder = () =>
      signed(
        { inputCharset: '1', pickupUrl: 'http://shop.example/pickup', version: 'v1.0', signType: '0', merchantId: MERCHANT, orderNo: `B${submitted.length}x${Math.random().toString(36).slice(2, 8)}`, orderAmount: '1', orderDatetime: ORDER_DATETIME, productName: 'p' },
        WEB_ORDER,
      );
    for (let batch = 0; batch < 26; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const fields = webOrder();
          submitted.push(fields.orderNo!);
          expect((await client.gatewayRaw(fields)).status).toBe(303);
        }),
      );
    }
    for (let i = 0; i < submitted.length; i += 20) {
      await Promise.all(submitted.slice(i, i + 20).map((no) => sim.post(`/_sim/orders/allinpay/${no}/pay`)));
    }
    const hour = cstCompact(await now()).slice(0, 10);
    const page1 = read(await client.batch(batchRequest(hour, hour)));
    expect(page1.lines[0]).toBe(`${MERCHANT}|500|1|Y`);
    expect(page1.lines).toHaveLength(501);
    const page2 = read(await client.batch(batchRequest(hour, hour, '2')));
    expect(page2.lines[0]).toBe(`${MERCHANT}|20|2|N`);
    expect(new Set([...page1.lines.slice(1), ...page2.lines.slice(1)].map((line) => line.split('|')[2]))).toEqual(new Set(submitted));
    // The hour before holds none of them.
    const before = String(Number(hour.slice(8)) - 1).padStart(2, '0');
    expect(read(await client.batch(batchRequest(`${hour.slice(0, 8)}${before}`, `${hour.slice(0, 8)}${before}`))).lines[0]).toBe(`${MERCHANT}|0|0|N`);
  });
});

describe('§3.5 refund (v2.3) and §3.7 refund status query (v2.4)', () => {
  const refundRequest = (fields: Record<string, string>, refundAmount: string, signType = '0', mchtRefundOrderNo = '') =>
    signed({ version: 'v2.3', signType, merchantId: MERCHANT, orderNo: fields.orderNo!, refundAmount, mchtRefundOrderNo, orderDatetime: fields.orderDatetime! }, REFUND_ORDER);
  const statusRequest = (fields: Record<string, string>, refundAmount: string, signType = '0', extra: Record<string, string> = {}) =>
    signed({ version: 'v2.4', signType, merchantId: MERCHANT, orderNo: fields.orderNo!, refundAmount, ...extra }, REFUND_QUERY_ORDER);

  it('partial refunds, mchtRefundOrderNo echoed, refundResult 20, the answer in §3.6 order with an MD5 signMsg', async () => {
    const { fields } = await paidOrder({ orderAmount: '1000' });
    const at = await now();
    const text = await client.gateway(refundRequest(fields, '300', '0', 'R-1'));
    expect(text).toBe(
      `merchantId=${MERCHANT}&version=v2.3&signType=0&orderNo=${fields.orderNo}&orderAmount=1000&orderDatetime=${ORDER_DATETIME}&refundAmount=300&refundDatetime=${cstCompact(at)}&refundResult=20&mchtRefundOrderNo=R-1&returnDatetime=${cstCompact(at)}&signMsg=${md5(
        `merchantId=${MERCHANT}&version=v2.3&signType=0&orderNo=${fields.orderNo}&orderAmount=1000&orderDatetime=${ORDER_DATETIME}&refundAmount=300&refundDatetime=${cstCompact(at)}&refundResult=20&mchtRefundOrderNo=R-1&returnDatetime=${cstCompact(at)}&key=${KEY}`,
      )}`,
    );
    // Without mchtRefundOrderNo the field is left out.
    const second = parseAnswer(await client.gateway(refundRequest(fields, '700')));
    expect(second).toMatchObject({ refundAmount: '700', refundResult: '20' });
    expect('mchtRefundOrderNo' in second).toBe(false);
    // Nothing is left to refund.
    expect(parseAnswer(await client.gateway(refundRequest(fields, '1')))).toEqual({ ERRORCODE: 'ZF10028', ERRORMSG: '该笔订单不符合退款条件' });
    expect((await stored(fields.orderNo!)).refunds.map((r: { amount: number }) => r.amount)).toEqual([300, 700]);
  });

  it('signType 1: the refund answer is certificate-signed', async () => {
    const { fields } = await paidOrder();
    const answer = parseAnswer(await client.gateway(refundRequest(fields, '50', '1')));
    expect(answer.signType).toBe('1');
    expect(certVerifies(certificate, source(answer, REFUND_REPLY_ORDER), answer.signMsg!)).toBe(true);
  });

  it('the status moves TKSUCC0002 → 0003 → 0005 → 0006 on simulated time, one line per refund, MD5 with "|key"', async () => {
    const { fields } = await paidOrder({ orderAmount: '1000' });
    const refundedAt = cstCompact(await now());
    await client.gateway(refundRequest(fields, '100', '0', 'R-A'));
    await sim.advance(30);
    await client.gateway(refundRequest(fields, '100'));
    const states = async () => {
      const text = await client.refundQuery(statusRequest(fields, '100'));
      const lines = text.split('\r\n');
      const signature = lines.pop()!;
      expect(signature).toBe(md5(`${lines.join('\r\n')}|${KEY}`));
      return lines.map((line) => line.split('|'));
    };
    const first = await states();
    expect(first).toHaveLength(2);
    expect(first[0]!.slice(0, 8)).toEqual(['v2.4', '0', MERCHANT, fields.orderNo, '100', refundedAt, 'R-A', 'TKSUCC0002']);
    expect(first[1]![6]).toBe('');
    expect(first[0]![8]).toBe(cstCompact(await now()));
    await sim.advance(30);
    expect((await states()).map((line) => line[7])).toEqual(['TKSUCC0003', 'TKSUCC0002']);
    await sim.advance(60);
    expect((await states()).map((line) => line[7])).toEqual(['TKSUCC0005', 'TKSUCC0003']);
    await sim.advance(90);
    expect((await states()).map((line) => line[7])).toEqual(['TKSUCC0006', 'TKSUCC0006']);
    expect((await stored(fields.orderNo!)).state).toBe('partially_refunded');
    // Narrowed by mchtRefundOrderNo, and by refundDatetime.
    const byNo = await client.refundQuery(statusRequest(fields, '100', '0', { mchtRefundOrderNo: 'R-A' }));
    expect(byNo.split('\r\n')).toHaveLength(2);
    const byTime = await client.refundQuery(statusRequest(fields, '100', '0', { refundDatetime: refundedAt }));
    expect(byTime.split('\r\n')[0]).toContain('|R-A|');
  });

  it('signType 1: the status answer is SHA1withRSA over the MD5 hex of the records', async () => {
    const { fields } = await paidOrder();
    await client.gateway(refundRequest(fields, '10'));
    const text = await client.refundQuery(statusRequest(fields, '10', '1'));
    expect(text.startsWith('v2.4|1|')).toBe(true);
    const [record, signature] = text.split('\r\n');
    expect(certVerifies(certificate, md5(record!), signature!)).toBe(true);
  });

  it('magic amounts on a refund: 2003 fails (0007), 2005 is rejected in review (0008), both giving the amount back', async () => {
    const { fields } = await paidOrder({ orderAmount: '5000' });
    expect(parseAnswer(await client.gateway(refundRequest(fields, '2003')))).toMatchObject({ refundResult: '20' });
    expect((await client.refundQuery(statusRequest(fields, '2003'))).split('|')[7]).toBe('TKSUCC0007');
    expect(parseAnswer(await client.gateway(refundRequest(fields, '2005')))).toMatchObject({ refundResult: '20' });
    expect((await client.refundQuery(statusRequest(fields, '2005'))).split('|')[7]).toBe('TKSUCC0008');
    expect((await stored(fields.orderNo!)).refundedAmount).toBe(0);
    expect(parseAnswer(await client.gateway(refundRequest(fields, '5000')))).toMatchObject({ refundResult: '20' });
  });

  it('magic amount 2004 on a refund: a system error though the refund exists; the first status query fails too', async () => {
    const { fields } = await paidOrder({ orderAmount: '5000' });
    expect(parseAnswer(await client.gateway(refundRequest(fields, '2004')))).toEqual({ ERRORCODE: 'BL0004_100002', ERRORMSG: '未知业务异常' });
    expect((await stored(fields.orderNo!)).refunds).toHaveLength(1);
    expect(await client.refundQuery(statusRequest(fields, '2004'))).toBe('ERRORCODE=BL0004_100002&ERRORMSG=未知业务异常');
    expect((await client.refundQuery(statusRequest(fields, '2004'))).split('|')[7]).toBe('TKSUCC0006');
  });
});

describe('§4 international card pre-authorisation (v1.8 cancel, v1.9 confirm)', () => {
  async function authorised(amount = '10000') {
    const order = await paidOrder(
      { payType: '30', orderAmount: amount, orderCurrency: '840', tradeNature: 'GOODS', ext1: INTERNATIONAL_EXT1 },
      INTERNATIONAL_EXAMPLE,
    );
    const [preauth] = await sim.get(`/_sim/records?provider=allinpay&kind=preauth`);
    return { ...order, preAuthId: preauth.platformNumber as string };
  }
  const cancel = (fields: Record<string, string>, signType = '0', overrides: Record<string, string> = {}) =>
    signed({ merchantId: MERCHANT, version: 'v1.8', orderAmount: fields.orderAmount!, currency: '840', orderNo: fields.orderNo!, orderDatetime: ORDER_DATETIME, signType, ...overrides }, CANCEL_ORDER);
  const confirm = (fields: Record<string, string>, confirmAmount: string, signType = '0') =>
    signed({ version: 'v1.9', merchantId: MERCHANT, orderAmount: fields.orderAmount!, confirmAmount, currency: '840', orderNo: fields.orderNo!, orderDatetime: ORDER_DATETIME, signType }, CONFIRM_ORDER);
  const read = (text: string) => {
    const [line, signature, ...rest] = text.split('\r\n');
    expect(rest).toEqual([]);
    return { line: line!, fields: line!.split('|'), signature: signature! };
  };

  it('cancel: 0000, the pipe line then the signature on the next line (MD5 with "|key"); the payment is reversed', async () => {
    const { fields, preAuthId } = await authorised();
    const at = cstCompact(await now());
    const { line, fields: reply, signature } = read(await client.gateway(cancel(fields)));
    expect(reply).toEqual(['0000', '预授权撤销成功', 'v1.8', '0', MERCHANT, fields.orderNo, ORDER_DATETIME, '10000', '840', preAuthId, at]);
    expect(signature).toBe(md5(`${line}|${KEY}`));
    expect((await stored(fields.orderNo!)).state).toBe('reversed');
    expect((await sim.get('/_sim/records?provider=allinpay&kind=preauth'))[0].state).toBe('cancelled');
    // Once cancelled, it cannot be cancelled again, nor confirmed.
    expect(read(await client.gateway(cancel(fields))).fields[0]).toBe('FC0003_000008');
    expect(read(await client.gateway(confirm(fields, '100'))).fields[0]).toBe('FC0003_000009');
  });

  it('confirm: never above the authorised amount; a refund waits for it and stays within the captured amount; certificate-signed with signType 1', async () => {
    const { fields, preAuthId } = await authorised('10000');
    const refund = (refundAmount: string) =>
      signed({ version: 'v2.3', signType: '0', merchantId: MERCHANT, orderNo: fields.orderNo!, refundAmount, orderDatetime: ORDER_DATETIME }, REFUND_ORDER);
    expect(parseAnswer(await client.gateway(refund('100')))).toMatchObject({ ERRORCODE: 'ZF10028' });
    expect(read(await client.gateway(confirm(fields, '10001'))).fields.slice(0, 2)).toEqual(['FC0003_000009', '预授权确认失败：确认金额不能大于预授权金额10000']);
    const { line, fields: reply, signature } = read(await client.gateway(confirm(fields, '8000', '1')));
    expect(reply.slice(0, 4)).toEqual(['0000', '预授权确认成功', 'v1.9', '1']);
    expect(reply[9]).toBe(preAuthId);
    expect(certVerifies(certificate, md5(line), signature)).toBe(true);
    expect((await sim.get('/_sim/records?provider=allinpay&kind=preauth'))[0]).toMatchObject({ state: 'confirmed', consumedAmount: 8000 });
    expect(read(await client.gateway(cancel(fields))).fields[0]).toBe('FC0003_000008');
    // 8000 captured: 8000 can be refunded, not a fen more.
    expect(parseAnswer(await client.gateway(refund('8001')))).toMatchObject({ ERRORCODE: 'ZF10028' });
    expect(parseAnswer(await client.gateway(refund('8000')))).toMatchObject({ refundResult: '20' });
  });

  it('an order paid without an international card has no pre-authorisation to cancel', async () => {
    const { fields } = await paidOrder({ orderAmount: '100' });
    const { fields: reply } = read(await client.gateway(cancel(fields, '0', { currency: '156' })));
    expect(reply.slice(0, 2)).toEqual(['FC0003_000008', '预授权撤销失败：该订单没有外卡预授权']);
    expect(reply[9]).toBe('');
  });

  it('the payer pays an international card on the control, which creates the pre-authorisation', async () => {
    const fields = payData(RECEIVE, { payType: '30', orderCurrency: '840', tradeNature: 'GOODS', ext1: INTERNATIONAL_EXT1 });
    const id = (await client.submit({ ...fields, ...INTERNATIONAL_EXAMPLE })).headers.get('location')!.split('/').pop()!;
    await client.pay(id, { cardNo: CREDIT.cardNo, validDate: CREDIT.validDate, cvv2: CREDIT.cvv2 });
    const { fields: reply } = read(await client.gateway(confirm(fields, '100')));
    expect(reply[0]).toBe('0000');
    await sim.advance(0);
    // The notification of an international payment: payAmount in RMB fen at the sandbox rate (USD 7.10).
    expect(parseFormBody(merchant.received[0]!.bytes)).toMatchObject({ orderAmount: '100', payAmount: '710' });
  });
});
