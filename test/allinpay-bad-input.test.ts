import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import {
  allinpayClient,
  BATCH_ORDER,
  CANCEL_ORDER,
  CONFIRM_ORDER,
  cstCompact,
  DECLINED,
  INTERNATIONAL_EXAMPLE,
  INTERNATIONAL_EXT1,
  KEY,
  MERCHANT,
  ORDER_DATETIME,
  orderNo,
  PAY_DATA_ORDER,
  pageError,
  parseAnswer,
  payData,
  QUERY_ORDER,
  REFUND_ORDER,
  REFUND_QUERY_ORDER,
  RMB_KEY,
  RMB_MERCHANT,
  signed,
  WEB_ORDER,
} from './support/allinpay.js';

/**
 * Every refusal the sandbox answers, each from its own cause, in Allinpay's
 * own codes and formats — and none of them changes any state.
 */
const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof allinpayClient>;
let RECEIVE: string;

beforeAll(() => {
  client = allinpayClient(sim.url);
  RECEIVE = `${merchant.url}/receive`;
});

/** Orders, notifications and every Allinpay record (refunds, SMS, pre-authorisations). */
const snapshot = async () => `${await sim.state()}${JSON.stringify(await sim.get('/_sim/records?provider=allinpay'))}`;

/** Runs `request`, expects `code` from it, and that nothing changed. */
async function refused(code: string, request: () => Promise<string | undefined>) {
  const before = await snapshot();
  expect(await request()).toBe(code);
  await sim.advance(0);
  expect(await snapshot()).toBe(before);
}

/** payData with `overrides`, re-signed; `unsigned` fields are set after signing. */
const mobile = (overrides: Record<string, string> = {}, after: Record<string, string> = {}, key = KEY) => ({ ...payData(RECEIVE, overrides, key), ...after });
const submitCode = async (fields: Record<string, unknown>, as: 'json' | 'form' = 'json', extra: Record<string, string> = {}) => {
  const response = await client.submit(fields, as, extra);
  expect(response.status).toBe(200);
  return pageError(await response.text());
};

describe('payData refused on the error page (§6.1)', () => {
  const cases: [string, string, () => Record<string, unknown>][] = [
    ['10001', 'inputCharset not 1, 2 or 3', () => mobile({ inputCharset: '4' })],
    ['ZF10002', 'receiveUrl missing', () => mobile({ receiveUrl: '' })],
    ['ZF10002', 'receiveUrl not http', () => mobile({ receiveUrl: 'ftp://shop.example/r' })],
    ['ZF10004', 'signType 2', () => mobile({ signType: '2' })],
    ['ZF10005', 'language 4', () => mobile({ language: '4' })],
    ['ZF10006', 'payType 99', () => mobile({ payType: '99' })],
    ['ZF10006', 'tradeNature not GOODS or SERVICES', () => mobile({ tradeNature: 'OTHER' })],
    ['ZF10006', 'a foreign currency without tradeNature', () => mobile({ orderCurrency: '840' })],
    ['ZF10008', 'ext1 neither empty nor <USER>id</USER>', () => mobile({ ext1: 'member-1' })],
    ['ZF10008', 'an international payment whose ext1 is not the digest', () => ({ ...mobile({ payType: '30', orderCurrency: '840', tradeNature: 'GOODS', ext1: 'B7C37324D6824A6FD029EE365BD0F5A9' }), ...INTERNATIONAL_EXAMPLE })],
    ['ZF10008', 'an international payment without ship_to_city', () => {
      const { ship_to_city: _, ...rest } = INTERNATIONAL_EXAMPLE;
      return { ...mobile({ payType: '30', orderCurrency: '840', tradeNature: 'GOODS', ext1: INTERNATIONAL_EXT1 }), ...rest };
    }],
    ['ZF10012', 'productName missing', () => mobile({ productName: '' })],
    ['ZF10012', 'productName over 256', () => mobile({ productName: '商'.repeat(257) })],
    ['ZF10013', 'orderDatetime not a date', () => mobile({ orderDatetime: '20261301100000' })],
    ['ZF10014', 'orderAmount 0', () => mobile({ orderAmount: '0' })],
    ['ZF10014', 'orderAmount 1.5', () => mobile({ orderAmount: '1.5' })],
    ['ZF10015', 'orderNo with a space', () => mobile({ orderNo: 'NO 1' })],
    ['ZF10015', 'orderNo over 50', () => mobile({ orderNo: 'N'.repeat(51) })],
    ['ZF10019', 'version v2.0 (payData is v1.0)', () => mobile({ version: 'v2.0' })],
    ['ZF10020', 'signMsg of another key', () => mobile({}, {}, 'wrong-key')],
    ['ZF10020', 'signMsg missing', () => mobile({}, { signMsg: '' })],
    ['ZF10020', 'a signed field changed after signing', () => mobile({}, { orderAmount: '101' })],
    ['ZF10021', 'issuerId amex for an international card', () => ({ ...mobile({ payType: '30', orderCurrency: '840', tradeNature: 'GOODS', ext1: INTERNATIONAL_EXT1, issuerId: 'amex' }), ...INTERNATIONAL_EXAMPLE })],
    ['ZF20001', 'a non-string value', () => ({ ...mobile(), productName: { name: 'x' } })],
    ['ZF30005', 'an unknown merchant', () => mobile({ merchantId: '100020091218999' })],
    ['ZF30005', 'merchantId missing', () => mobile({ merchantId: '' })],
    ['30007', 'payType 30 for a merchant without international cards', () => ({ ...mobile({ merchantId: RMB_MERCHANT, payType: '30', orderCurrency: '840', tradeNature: 'GOODS', ext1: INTERNATIONAL_EXT1 }, {}, RMB_KEY), ...INTERNATIONAL_EXAMPLE })],
    ['EM0001_000073', 'USD for a merchant without cross-border', () => mobile({ merchantId: RMB_MERCHANT, orderCurrency: '840', tradeNature: 'GOODS' }, {}, RMB_KEY)],
    ['EM0001_000073', 'a currency no list has', () => mobile({ orderCurrency: '999', tradeNature: 'GOODS' })],
    ['EM0001_000073', 'an international payment in a currency §6.3 lacks', () => ({ ...mobile({ payType: '30', orderCurrency: '458', tradeNature: 'GOODS', ext1: INTERNATIONAL_EXT1 }), ...INTERNATIONAL_EXAMPLE })],
    ['EM0001_000012', 'cardNo not 12-19 digits', () => mobile({ cardNo: '6222-0213' })],
  ];
  for (const [code, cause, fields] of cases) {
    it(`${code}: ${cause}`, () => refused(code, () => submitCode(fields())));
  }

  it('ZF20001: a body that is not JSON, and a form without payData', async () => {
    await refused('ZF20001', async () => pageError(await (await client.post('/allinpay/mobile/pay', '{not json', 'application/json')).text()));
    await refused('ZF20001', async () => pageError(await (await client.post('/allinpay/mobile/pay', 'data=1')).text()));
  });

  it('the error page carries the document\'s ERRORCODE and ERRORMSG, and the front-end hint', async () => {
    const page = await (await client.submit(mobile({}, {}, 'wrong-key'))).text();
    expect(page).toContain('ERRORCODE=ZF10020&amp;ERRORMSG=参数签名信息不正确');
    expect(page).toContain('签名错误, 请参考接口文档签名章节');
    const [entry] = await sim.get('/_sim/requests?provider=allinpay&limit=1');
    expect(entry.note).toMatch(/^ZF10020 参数签名信息不正确; expected signMsg [0-9A-F]{32} = MD5\(UTF-8 bytes of "inputCharset=1&.*&payType=27&key=<MD5 key>"\)/);
  });

  it('ZF30002 for a paid order\'s number, ZF30003 for a used one with other data', async () => {
    const fields = mobile();
    await client.submit(fields);
    await refused('ZF30003', () => submitCode(mobile({ orderNo: fields.orderNo!, orderAmount: '200' })));
    await sim.post(`/_sim/orders/allinpay/${fields.orderNo}/pay`);
    await sim.advance(0);
    await refused('ZF30002', () => submitCode(fields));
  });
});

describe('the web form refused (§6.1)', () => {
  const web = (overrides: Record<string, string> = {}) =>
    signed(
      { inputCharset: '1', pickupUrl: 'http://shop.example/p', receiveUrl: RECEIVE, version: 'v1.0', signType: '0', merchantId: MERCHANT, orderNo: orderNo('W'), orderAmount: '100', orderDatetime: ORDER_DATETIME, productName: 'p', payType: '0', ...overrides },
      WEB_ORDER,
    );
  const cases: [string, string, Record<string, string>][] = [
    ['ZF10002', 'pickupUrl not a URL', { pickupUrl: 'not a url' }],
    ['ZF10002', 'neither pickupUrl nor receiveUrl', { pickupUrl: '', receiveUrl: '' }],
    ['ZF10006', 'payType 2', { payType: '2' }],
    ['ZF10007', 'ext2 over 128', { ext2: 'x'.repeat(129) }],
    ['ZF10009', 'productDesc over 400', { productDesc: 'x'.repeat(401) }],
    ['ZF10010', 'productId over 20', { productId: 'x'.repeat(21) }],
    ['ZF10011', 'productNum not a number', { productNum: 'two' }],
    ['ZF10013', 'orderExpireDatetime over 9999 minutes', { orderExpireDatetime: '10000' }],
    ['ZF10016', 'payerEmail not an address', { payerEmail: 'nobody' }],
    ['ZF10017', 'payerTelephone with letters', { payerTelephone: '138abc' }],
    ['ZF10018', 'payerName over 32', { payerName: '名'.repeat(33) }],
  ];
  for (const [code, cause, overrides] of cases) {
    it(`${code}: ${cause}`, () => refused(code, async () => pageError(await (await client.gatewayRaw(web(overrides))).text())));
  }
});

describe('server interfaces refused with ERRORCODE=…&ERRORMSG=…', () => {
  let order: Record<string, string>;
  beforeEach(async () => {
    order = mobile({ orderAmount: '1000' });
    await client.submit(order);
    await sim.post(`/_sim/orders/allinpay/${order.orderNo}/pay`);
    await sim.advance(0);
  });
  const code = async (fields: Record<string, string>) => parseAnswer(await client.gateway(fields)).ERRORCODE;
  const query = async (overrides: Record<string, string> = {}, after: Record<string, string> = {}) => {
    const at = cstCompact((await sim.get('/_sim/health')).now);
    return { ...signed({ merchantId: MERCHANT, version: 'v1.5', signType: '0', orderNo: order.orderNo!, orderDatetime: ORDER_DATETIME, queryDatetime: at, ...overrides }, QUERY_ORDER), ...after };
  };
  const refund = (overrides: Record<string, string> = {}, after: Record<string, string> = {}) => ({
    ...signed({ version: 'v2.3', signType: '0', merchantId: MERCHANT, orderNo: order.orderNo!, refundAmount: '100', mchtRefundOrderNo: '', orderDatetime: ORDER_DATETIME, ...overrides }, REFUND_ORDER),
    ...after,
  });

  it('an unknown version on /gateway/index.do is ZF10019', () => refused('ZF10019', () => code({ version: 'v9.9', merchantId: MERCHANT })));

  it('ZF10019 / 10001: a version or inputCharset named like an Object property (__proto__, constructor, toString) names no interface or charset', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      await refused('ZF10019', () => code({ version: name, merchantId: MERCHANT }));
      await refused('10001', async () => pageError(await (await client.submit(mobile({ inputCharset: name }))).text()));
      await refused('10001', async () => pageError(await (await client.submit(mobile({ inputCharset: name }), 'form')).text()));
      // inputCharset picks the charset a form is read in, on every interface.
      const asked = await query({}, { inputCharset: name, signMsg: '0'.repeat(32) });
      await refused('ZF10020', () => code(asked));
      // The signing tool too: no table for such a version, the charset UTF-8.
      expect((await sim.request('POST', '/_sim/sign/allinpay', { version: name })).body.error).toMatch(/^version must be one of v1\.0/);
      expect((await sim.post('/_sim/sign/allinpay', { version: 'v1.5', inputCharset: name })).signMsg).toMatch(/^[0-9A-F]{32}$/);
    }
  });

  it('the answer is exactly ERRORCODE=…&ERRORMSG=… with the document\'s text, UTF-8 bytes under no declared charset', async () => {
    const response = await client.gatewayRaw(await query({}, { signMsg: '0'.repeat(32) }));
    // The official refund demo decodes the body as ISO-8859-1 and re-reads ERRORMSG as UTF-8 itself.
    expect(response.headers.get('content-type')).toBe('text/plain');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.toString('utf8')).toBe('ERRORCODE=ZF10020&ERRORMSG=参数签名信息不正确');
    const [entry] = await sim.get('/_sim/requests?provider=allinpay&limit=1');
    expect(entry.responseBody).toBe('ERRORCODE=ZF10020&ERRORMSG=参数签名信息不正确');
  });

  describe('v1.5 single query', () => {
    it('ZF30005: an unknown merchant', async () => refused('ZF30005', async () => code(await query({ merchantId: '100020091218999' }))));
    it('ZF10004: signType 3', async () => refused('ZF10004', async () => code(await query({ signType: '3' }))));
    it('ZF10015: a malformed orderNo', async () => refused('ZF10015', async () => code(await query({ orderNo: 'a/b' }))));
    it('ZF10013: a malformed orderDatetime', async () => refused('ZF10013', async () => code(await query({ orderDatetime: '2026' }))));
    it('ZF10023: queryDatetime malformed', async () => refused('ZF10023', async () => code(await query({ queryDatetime: 'now' }))));
    it('ZF10023: queryDatetime 16 minutes off the sandbox clock, either way', async () => {
      const at = Date.parse((await sim.get('/_sim/health')).now);
      for (const offset of [16, -16]) {
        await refused('ZF10023', async () => code(await query({ queryDatetime: cstCompact(new Date(at + offset * 60_000).toISOString()) })));
      }
      // 15 minutes is still within.
      expect(parseAnswer(await client.gateway(await query({ queryDatetime: cstCompact(new Date(at - 15 * 60_000).toISOString()) }))).payResult).toBe('1');
    });
    it('ZF10020: a bad signature', async () => refused('ZF10020', async () => code(await query({}, { signMsg: 'A'.repeat(32) }))));
    it('ZF10027: an unknown order', async () => refused('ZF10027', async () => code(await query({ orderNo: 'NOSUCHORDER' }))));
    it('ZF10027: another merchant\'s order', async () => {
      await refused('ZF10027', async () => {
        const at = cstCompact((await sim.get('/_sim/health')).now);
        return code(signed({ merchantId: RMB_MERCHANT, version: 'v1.5', signType: '0', orderNo: order.orderNo!, orderDatetime: ORDER_DATETIME, queryDatetime: at }, QUERY_ORDER, RMB_KEY));
      });
    });
    it('ZF10027: an orderDatetime other than the order\'s', async () => refused('ZF10027', async () => code(await query({ orderDatetime: '20260301100001' }))));
    it('ZF10027: an unpaid order (only paid orders are answered)', async () => {
      const unpaid = mobile();
      await client.submit(unpaid);
      await refused('ZF10027', async () => code(await query({ orderNo: unpaid.orderNo! })));
    });
    it('ZF10027: an order older than a month', async () => {
      await sim.advance(32 * 24 * 3600);
      await refused('ZF10027', async () => code(await query()));
    });
  });

  describe('v2.3 refund', () => {
    it('ZF30005: an unknown merchant', () => refused('ZF30005', () => code(refund({ merchantId: '1' }))));
    it('ZF10004: signType missing', () => refused('ZF10004', () => code(refund({ signType: '' }))));
    it('ZF10014: refundAmount 0, and not a number', async () => {
      await refused('ZF10014', () => code(refund({ refundAmount: '0' })));
      await refused('ZF10014', () => code(refund({ refundAmount: '1.00' })));
    });
    it('ZF20001: a malformed mchtRefundOrderNo', () => refused('ZF20001', () => code(refund({ mchtRefundOrderNo: 'R#1' }))));
    it('ZF10020: a bad signature', () => refused('ZF10020', () => code(refund({}, { refundAmount: '200' }))));
    it('ZF10027: an unknown order', () => refused('ZF10027', () => code(refund({ orderNo: 'NOSUCHORDER' }))));
    it('ZF10028: more than the order amount', () => refused('ZF10028', () => code(refund({ refundAmount: '1001' }))));
    it('ZF10028: an unpaid order', async () => {
      const unpaid = mobile();
      await client.submit(unpaid);
      await refused('ZF10028', () => code(refund({ orderNo: unpaid.orderNo! })));
    });
    it('ZF30003: a used mchtRefundOrderNo', async () => {
      await client.gateway(refund({ mchtRefundOrderNo: 'R-1' }));
      await refused('ZF30003', () => code(refund({ mchtRefundOrderNo: 'R-1', refundAmount: '50' })));
    });
  });

  describe('v1.8 / v1.9 pre-authorisation', () => {
    const cancel = (overrides: Record<string, string> = {}) =>
      signed({ merchantId: MERCHANT, version: 'v1.8', orderAmount: '1000', currency: '156', orderNo: order.orderNo!, orderDatetime: ORDER_DATETIME, signType: '0', ...overrides }, CANCEL_ORDER);
    const confirm = (overrides: Record<string, string> = {}) =>
      signed({ version: 'v1.9', merchantId: MERCHANT, orderAmount: '1000', confirmAmount: '1000', currency: '156', orderNo: order.orderNo!, orderDatetime: ORDER_DATETIME, signType: '0', ...overrides }, CONFIRM_ORDER);
    it('ZF30005: an unknown merchant', () => refused('ZF30005', () => code(cancel({ merchantId: '1' }))));
    it('ZF10014: an orderAmount other than the order\'s', () => refused('ZF10014', () => code(cancel({ orderAmount: '999' }))));
    it('ZF10014: confirmAmount 0', () => refused('ZF10014', () => code(confirm({ confirmAmount: '0' }))));
    it('ZF20001: a currency §6.3 does not list', () => refused('ZF20001', () => code(cancel({ currency: '458' }))));
    it('ZF10027: the order in another currency', () => refused('ZF10027', () => code(cancel({ currency: '840' }))));
    it('ZF10027: an unknown order', () => refused('ZF10027', () => code(confirm({ orderNo: 'NOSUCHORDER' }))));
    it('ZF10020: a bad signature', () => refused('ZF10020', async () => code({ ...confirm(), confirmAmount: '1' })));
  });

  describe('v1.6 batch query (Base64, the message in quotes)', () => {
    const batch = (overrides: Record<string, string> = {}, after: Record<string, string> = {}) => ({
      ...signed({ version: 'v1.6', merchantId: MERCHANT, beginDateTime: '2026030100', endDateTime: '2026030123', pageNo: '1', signType: '1', ...overrides }, BATCH_ORDER),
      ...after,
    });
    const batchCode = async (fields: Record<string, string>) => /^ERRORCODE=([^&]+)&ERRORMSG="[^"]+"$/.exec(await client.batch(fields))?.[1];

    it('the answer is Base64 of ERRORCODE=…&ERRORMSG="…"', async () => {
      expect(await client.batch(batch({ signType: '0' }))).toBe('ERRORCODE=ZF10004&ERRORMSG="参数签名类型不正确"');
    });
    it('ZF10019: version v1.5', () => refused('ZF10019', () => batchCode(batch({ version: 'v1.5' }))));
    it('ZF30005: an unknown merchant', () => refused('ZF30005', () => batchCode(batch({ merchantId: '1' }))));
    it('ZF10024: beginDateTime malformed', () => refused('ZF10024', () => batchCode(batch({ beginDateTime: '20260301' }))));
    it('ZF10025: endDateTime malformed', () => refused('ZF10025', () => batchCode(batch({ endDateTime: '2026030124' }))));
    it('ZF10025: begin and end on different days', () => refused('ZF10025', () => batchCode(batch({ endDateTime: '2026030200' }))));
    it('ZF10025: end before begin', () => refused('ZF10025', () => batchCode(batch({ beginDateTime: '2026030110', endDateTime: '2026030109' }))));
    it('ZF20001: pageNo 0', () => refused('ZF20001', () => batchCode(batch({ pageNo: '0' }))));
    it('ZF10004: signType 0 (fixed 1)', () => refused('ZF10004', () => batchCode(batch({ signType: '0' }))));
    it('ZF10020: a bad signature', () => refused('ZF10020', () => batchCode(batch({}, { pageNo: '2' }))));
  });

  describe('v2.4 refund status query: §3.8 codes 001–011', () => {
    beforeEach(async () => {
      await client.gateway(refund({ refundAmount: '100', mchtRefundOrderNo: 'R-1' }));
    });
    const status = (overrides: Record<string, string> = {}, after: Record<string, string> = {}) => ({
      ...signed({ version: 'v2.4', signType: '0', merchantId: MERCHANT, orderNo: order.orderNo!, refundAmount: '100', ...overrides }, REFUND_QUERY_ORDER),
      ...after,
    });
    const statusCode = async (fields: Record<string, string>) => {
      const text = await client.refundQuery(fields);
      expect(text).toMatch(/^ERRORCODE=\w+&ERRORMSG=\S+$/);
      return parseAnswer(text).ERRORCODE;
    };
    const cases: [string, string, () => Record<string, string>][] = [
      ['001', 'merchantId empty', () => status({ merchantId: '' })],
      ['002', 'merchantId over 15', () => status({ merchantId: '1000200912180010' })],
      ['003', 'an unknown merchant', () => status({ merchantId: '100020091218999' })],
      ['004', 'orderNo empty', () => status({ orderNo: '' })],
      ['005', 'an unknown order', () => status({ orderNo: 'NOSUCHORDER' })],
      ['006', 'refundAmount empty', () => status({ refundAmount: '' })],
      ['007', 'refundAmount 0', () => status({ refundAmount: '0' })],
      ['008', 'refundAmount 1.5', () => status({ refundAmount: '1.5' })],
      ['009', 'refundDatetime malformed', () => status({ refundDatetime: '2026-03-01' })],
      ['010', 'a bad signature', () => status({}, { refundAmount: '200' })],
      ['010', 'signMsg missing', () => status({}, { signMsg: '' })],
      ['011', 'no refund of that amount', () => status({ refundAmount: '101' })],
      ['011', 'no refund with that mchtRefundOrderNo', () => status({ mchtRefundOrderNo: 'R-2' })],
      ['ZF10019', 'version v2.3', () => status({ version: 'v2.3' })],
      ['ZF10004', 'signType 2', () => status({ signType: '2' })],
    ];
    for (const [expected, cause, fields] of cases) {
      it(`${expected}: ${cause}`, () => refused(expected, () => statusCode(fields())));
    }
    it('the message is the document\'s', async () => {
      expect(await client.refundQuery(status({ merchantId: '' }))).toBe('ERRORCODE=001&ERRORMSG=商户号不能为空');
    });
    it('011: a refund older than a month', async () => {
      await sim.advance(32 * 24 * 3600);
      await refused('011', () => statusCode(status()));
    });
  });
});

describe('the payment control refuses a decided order', () => {
  it('EM0001_000072: a failed order cannot be paid again', async () => {
    const fields = mobile({ orderAmount: '2003' });
    const id = (await client.submit(fields)).headers.get('location')!.split('/').pop()!;
    await refused('EM0001_000072', async () => pageError(await (await client.sms(id, DECLINED)).text()));
  });
});

describe('the payment control reads a body that is no form as an empty one', () => {
  it('EM0001_000012: a multipart body cut short or without its boundary is the control again, never a 500', async () => {
    const id = (await client.submit(mobile())).headers.get('location')!.split('/').pop()!;
    for (const action of ['sms', 'pay']) {
      for (const [type, body] of [
        ['multipart/form-data; boundary=x', ''],
        ['multipart/form-data', '--x\r\nContent-Disposition: form-data; name="cardNo"\r\n\r\n6222021307418529630\r\n--x--'],
        ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="" "\r\n\r\n0\r\n--x--\r\n'],
      ] as const) {
        await refused('EM0001_000012', async () => {
          const response = await client.post(`/allinpay/mobile/pay/${id}/${action}`, body, type);
          expect(response.status).toBe(200);
          return pageError(await response.text());
        });
      }
    }
  });
});

describe('payData signed over its own fields only', () => {
  it('a web-only field in payData is not signed, and cardNo never is', async () => {
    const fields = { ...mobile(), pickupUrl: 'http://shop.example/p', cardNo: '6222021307418529630' };
    const response = await client.submit(fields);
    expect(response.status).toBe(303);
    expect(PAY_DATA_ORDER).not.toContain('cardNo');
  });
});
