import { createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodeForm } from '../../core/codec/charset.js';
import { generateKeyPair, selfSignedCertificate } from '../../keys/generate.js';

import * as tables from '../../simulators/allinpay/fields.js';
import { ext1Digest as sandboxExt1, md5Sign, signFields, signSource as sandboxSource, signText } from '../../simulators/allinpay/signature.js';
import { decodeBatch, ext1Digest, FIELD_ORDERS, INTERNATIONAL_FIELDS, parseRefundQuery, signMsg, signRequest, signSource, verifyNotification, verifyRefundReply } from './allinpay.js';

/** A key pair with its self-signed certificate, as a provider hands one out. */
const withCertificate = (pair: { publicKey: string; privateKey: string }, name: string) => ({ ...pair, certificate: selfSignedCertificate(pair, name) });

const KEY = '1234567890';

/** §2.1's payData example, the stray space of "http:// www" removed (PROVIDERS.md §6 E2). */
const PAY_DATA = {
  inputCharset: '1', receiveUrl: 'http://www', version: 'v1.0', signType: '1', merchantId: '100020091218001', orderNo: 'NOM20141125141040856',
  orderAmount: '1', orderDatetime: '20141125141040', productName: '笔记本电脑', payType: '0',
};

/** Allinpay's own test-certificate public key, recovered from two real signatures (research brief §5). */
const ALLINPAY_TEST_KEY = createPublicKey({
  key: {
    kty: 'RSA',
    n: Buffer.from(
      'c4bf6ab6ff13793c5d1d2e7d6f8486959725acbc91551715a01fbb1004e6f361b65738e573a10a665ee4853ab174fe89783a477fd8e19f7575141525197f3010393d569a3ba979cef3d95ea5e3f3d3eda3a0eadfcc27053d696f48c3e005cccd6f9cb39775395654b65bb41ec8889fc785fc010e4caf869d73358a003ebc02e5',
      'hex',
    ).toString('base64url'),
    e: 'AQAB',
  },
  format: 'jwk',
});

/** A real 2018 test-gateway notification (research brief §5). */
const NOTIFY_2018 = {
  merchantId: '100020091218001', version: 'v1.0', signType: '0', payType: '0', paymentOrderId: '201803151649092687', orderNo: 'PF_20180315165437zUjk',
  orderDatetime: '20180315103703', orderAmount: '1', payDatetime: '20180315164927', payAmount: '1', payResult: '1', returnDatetime: '20180315165330',
};

const platform = withCertificate(generateKeyPair({ bits: 1024 }), 'allinpay-testkit');
const certificate = platform.certificate!;

describe('testkit allinpay helpers: the document’s examples (PROVIDERS.md §6)', () => {
  it('E2: payData signMsg 4F521B6E… (table order, non-empty fields, &key=, UTF-8, upper case)', () => {
    expect(signSource(PAY_DATA, 'payData')).toBe(
      'inputCharset=1&receiveUrl=http://www&version=v1.0&signType=1&merchantId=100020091218001&orderNo=NOM20141125141040856&orderAmount=1&orderDatetime=20141125141040&productName=笔记本电脑&payType=0',
    );
    expect(signMsg(PAY_DATA, 'payData', KEY)).toBe('4F521B6E630C4806A2D7388A014C1123');
    // Empty fields, fields outside the table and a stale signMsg change nothing; cardNo is not signed.
    expect(signRequest({ ...PAY_DATA, language: '', cardNo: '6222021307418529630', signMsg: 'X' }, 'payData', KEY).signMsg).toBe('4F521B6E630C4806A2D7388A014C1123');
    // The printed "http:// www" is the document's layout: with the space it is another signMsg.
    expect(signMsg({ ...PAY_DATA, receiveUrl: 'http:// www' }, 'payData', KEY)).toBe('6CF8E9BBE752ED03B114B99C40F13B38');
  });

  it('E3 does not reproduce with the rule (the rule wins), as the checklist found', () => {
    const example = { ...PAY_DATA, receiveUrl: 'http://ceshi.allinpay.com/demo/eshop/recv-pay-result/recv.do', signType: '0', orderNo: 'NOM20150717161126543', orderDatetime: '20150717161126', payType: '00' };
    expect(signMsg(example, 'payData', KEY)).toBe('45988B4CF377FF7A093C195444EC4FC4');
  });

  it('E1: ext1 digest B7C37324… of §5.4 (fnpay_mode 0 is a value; empty fields contribute nothing)', () => {
    const values = {
      ship_to_country: 'US', ship_to_state: 'AL', ship_to_city: 'city', ship_to_street1: 'street_1', ship_to_street2: 'street_2', ship_to_phonenumber: '020-13818349139',
      ship_to_postalcode: '20004', ship_to_firstname: 'Smith', ship_to_lastname: 'Black', registration_name: 'rname', registration_email: 'rname@gmail.com',
      registration_phone: '999-13800000000', buyerid_period: '200', fnpay_mode: '0', bill_firstname: 'handon', bill_lastname: 'hao', expireddate: '2211', cvv2: '888',
      bill_email: 'haod@gmail.com', bill_country: 'US', bill_address: 'billaddress', bill_city: 'billcity', bill_state: 'IL', bill_zip: '22222', ship_to_shipmethod: '', logistics_cost: '',
    };
    expect(ext1Digest(values)).toBe('B7C37324D6824A6FD029EE365BD0F5A8');
  });

  it('the research brief’s generated query and refund vectors', () => {
    const query = { merchantId: '100020091218001', version: 'v1.5', signType: '0', orderNo: 'NOM20150717161126543', orderDatetime: '20150717161126', queryDatetime: '20150717162000' };
    expect(signMsg(query, 'query', KEY)).toBe('FDD4711463D8860803E7B1FA0654261B');
    const refund = { version: 'v2.3', signType: '0', merchantId: '100020091218001', orderNo: 'NOM20150717161126543', refundAmount: '1', mchtRefundOrderNo: '', orderDatetime: '20150717161126' };
    expect(signMsg(refund, 'refund', KEY)).toBe('FCD5FB533373C12C5222F819E9B8288A');
  });

  it('verifies a real notification: signType 0 (B72D9264…) and signType 1 with Allinpay’s own test key, over the raw source', () => {
    const md5Form = new URLSearchParams({ ...NOTIFY_2018, signMsg: 'B72D9264FF3FAA63106F0B6F9218DF70' }).toString();
    expect(verifyNotification(md5Form, { key: KEY })).toMatchObject({ valid: true, fields: { payResult: '1', orderNo: 'PF_20180315165437zUjk' } });
    expect(verifyNotification(md5Form.replace('payAmount=1', 'payAmount=2'), { key: KEY }).valid).toBe(false);
    expect(verifyNotification(md5Form, { key: 'other' }).valid).toBe(false);

    const rsa = {
      ...NOTIFY_2018, signType: '1', paymentOrderId: '201803161510323022', orderNo: 'PF_20180316151555GFu1', orderDatetime: '20180316031555', payDatetime: '20180316151056', returnDatetime: '20180316151459',
      signMsg: 'HM2hT20vuZUGSJUv+OXXxT2xHUA4NAY68uQk+VSs1KD9L6qodLvA1h/7SdIWYzjBZNRZu+SZgDO0pbu+Ej+IJosXUGTM3iOOlOov3UmVTdnveJ9OjVZqFchgTfRDUSr07Wd7SoEufgDDrNbXVGJ0x5jl5azRaFentkTg7soE7sc=',
    };
    expect(verifyNotification(rsa, { certificate: ALLINPAY_TEST_KEY }).valid).toBe(true);
    // As a form body: the Base64's + and / percent-encoded, as a form carries them.
    expect(verifyNotification(new URLSearchParams(rsa).toString(), { certificate: ALLINPAY_TEST_KEY }).valid).toBe(true);
    expect(verifyNotification(rsa, { key: KEY }).valid).toBe(false);
    expect(verifyNotification({ ...rsa, orderAmount: '2' }, { certificate: ALLINPAY_TEST_KEY }).valid).toBe(false);
  });

  it('reads §3.8’s refund status answers: B93C478F… (the 2014 form, with its CRLF) and the 2015 RSA example', () => {
    const record2014 = 'v2.4|0|100020091218001|NO20141128151700|1|20141128031757|2014|TKSUCC0002|20141128151433';
    const answer2014 = parseRefundQuery(`${record2014}\r\nB93C478F65CBB562122D367B262FC305`, { key: KEY });
    expect(answer2014).toMatchObject({ valid: true, refunds: [{ orderNo: 'NO20141128151700', mchtRefundOrderNo: '2014', refundResult: 'TKSUCC0002' }] });

    const records = [
      'v2.4|1|100020091218001|NO20150115093032|1|20150115093027|123|TKSUCC0002|20150115092309',
      'v2.4|1|100020091218001|NO20150115093032|1|20150115093102|1234|TKSUCC0002|20150115092309',
    ];
    // One printing error fixed ("…PsUwMYykjk…" → "…PsUwMYYkjk…", research brief §9).
    const signature =
      'RK/FcBQhhM0/GkjKFYkgxVLZwM8nFfM715UVVmcNgTiF7ZNAkhcM4PBvKO2di4vN3PsUwMYYkjkfqA6x0GYgMK5TFv8bLu4NrvMMvoJdYkqsZPZz1bt11E0KtdXIxdb+GCQ4F2rtgUgWZfuyk8O+ga8kp1OX/AiigqNrcFuXf9w=';
    const answer2015 = parseRefundQuery(`${records.join('\r\n')}\r\n${signature}`, { certificate: ALLINPAY_TEST_KEY });
    expect(answer2015.valid).toBe(true);
    expect(answer2015.refunds.map((r) => r.mchtRefundOrderNo)).toEqual(['123', '1234']);
    expect(parseRefundQuery(`${records.join('\r\n')}\r\n${signature.replace('MYYkjk', 'MYykjk')}`, { certificate: ALLINPAY_TEST_KEY }).valid).toBe(false);
    expect(parseRefundQuery('ERRORCODE=011&ERRORMSG=无此退款记录', { key: KEY })).toEqual({ valid: false, refunds: [], error: { code: '011', message: '无此退款记录' } });
  });
});

describe('testkit allinpay helpers against the sandbox’s own code (random input)', () => {
  const orders = Object.keys(FIELD_ORDERS) as (keyof typeof FIELD_ORDERS)[];
  const fieldValue = fc.oneof(fc.string(), fc.constant(''), fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCharCode(code)) }));

  it('has the sandbox’s field orders', () => {
    expect(FIELD_ORDERS).toEqual({
      payData: [...tables.PAY_DATA_SIGNED], webOrder: [...tables.WEB_ORDER_SIGNED], webOrderV2: [...tables.WEB_ORDER_V2_SIGNED], query: [...tables.QUERY_FIELDS],
      batch: [...tables.BATCH_FIELDS], refund: [...tables.REFUND_FIELDS], refundQuery: [...tables.REFUND_QUERY_FIELDS], preauthCancel: [...tables.CANCEL_FIELDS],
      preauthConfirm: [...tables.CONFIRM_FIELDS], result: [...tables.RESULT_FIELDS], refundReply: [...tables.REFUND_REPLY_FIELDS],
    });
    expect([...INTERNATIONAL_FIELDS]).toEqual([...tables.INTERNATIONAL_FIELDS]);
  });

  it('signs as the sandbox does, in UTF-8 and GBK, for every interface', () => {
    fc.assert(
      fc.property(fc.constantFrom(...orders), fc.dictionary(fc.constantFrom(...new Set(Object.values(FIELD_ORDERS).flat())), fieldValue), fc.constantFrom('1', '2'), (order, fields, inputCharset) => {
        const all = { ...fields, inputCharset };
        const charset = inputCharset === '2' ? 'GBK' : 'UTF-8';
        expect(signSource(all, order)).toBe(sandboxSource(all, FIELD_ORDERS[order]));
        expect(signMsg(all, order, KEY)).toBe(md5Sign(all, FIELD_ORDERS[order], KEY, charset));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...INTERNATIONAL_FIELDS), fc.string()), (fields) => {
        expect(ext1Digest(fields)).toBe(sandboxExt1(fields, INTERNATIONAL_FIELDS));
      }),
      { numRuns: 100 },
    );
  });

  it('verifies the results the sandbox signs, MD5 and certificate, in the order’s charset', () => {
    const result = fc.record({ orderNo: fc.stringMatching(/^[A-Z0-9]{1,20}$/), orderAmount: fc.stringMatching(/^[1-9]\d{0,6}$/), ext1: fieldValue, ext2: fieldValue, payResult: fc.constant('1'), merchantId: fc.constant('100020091218001') });
    fc.assert(
      fc.property(result, fc.constantFrom('0', '1'), fc.constantFrom('UTF-8', 'GBK'), (fields, signType, charset) => {
        const signed = { ...fields, signType, signMsg: signFields({ ...fields, signType }, tables.RESULT_FIELDS, { signType, md5Key: KEY, privateKey: platform.privateKey, charset }) };
        const form = Object.fromEntries(Object.entries(signed).filter(([, value]) => value !== ''));
        // As the notification travels: a form in the order's charset.
        const body = Buffer.from(encodeForm(form, charset), 'latin1');
        const keys = { key: KEY, certificate, charset };
        expect(verifyNotification(body, keys)).toMatchObject({ valid: true, fields: { orderNo: fields.orderNo, payResult: '1' } });
        expect(verifyNotification({ ...form, orderAmount: `${form.orderAmount}0` }, keys).valid).toBe(false);
      }),
      { numRuns: 60 },
    );
    // A GBK notification read as UTF-8 is another text: its signature does not hold.
    const gbk = { merchantId: '1', signType: '0', orderNo: 'A', ext1: '商品', payResult: '1' };
    const signedGbk = { ...gbk, signMsg: md5Sign(gbk, tables.RESULT_FIELDS, KEY, 'GBK') };
    expect(verifyNotification(iconv.encode(new URLSearchParams(signedGbk).toString(), 'utf8'), { key: KEY }).valid).toBe(false);
    expect(verifyNotification(Buffer.from(encodeForm(signedGbk, 'GBK'), 'latin1'), { key: KEY, charset: 'GBK' }).valid).toBe(true);
  });

  it('verifies the refund answer, and reads a refusal', () => {
    const reply = { merchantId: '100020091218001', version: 'v2.3', signType: '0', orderNo: 'DEMO0001', orderAmount: '100', orderDatetime: '20260301100000', refundAmount: '30', refundResult: '20', mchtRefundOrderNo: 'R1', returnDatetime: '20260301100000' };
    const text = new URLSearchParams({ ...reply, signMsg: md5Sign(reply, tables.REFUND_REPLY_FIELDS, KEY) }).toString();
    expect(verifyRefundReply(text, { key: KEY })).toMatchObject({ valid: true, fields: { refundResult: '20' } });
    expect(verifyRefundReply('ERRORCODE=ZF10028&ERRORMSG=退款金额大于可退金额', { key: KEY })).toMatchObject({ valid: false, fields: { ERRORCODE: 'ZF10028' } });
  });

  it('reads the refund status answers the sandbox writes (records joined by CRLF), MD5 and certificate', () => {
    const line = fc.tuple(fc.stringMatching(/^[A-Z0-9]{1,12}$/), fc.stringMatching(/^[1-9]\d{0,4}$/), fc.stringMatching(/^[A-Z0-9]{0,10}$/), fc.constantFrom('TKSUCC0002', 'TKSUCC0006', 'TKSUCC0007'));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), fc.constantFrom('0', '1'), (rows, signType) => {
        const text = rows.map(([orderNo, amount, refundNo, result]) => ['v2.4', signType, '100020091218001', orderNo, amount, '20260301100000', refundNo, result, '20260301100500'].join('|')).join('\r\n');
        const answer = `${text}\r\n${signText(text, { signType, md5Key: KEY, privateKey: platform.privateKey })}`;
        const read = parseRefundQuery(answer, { key: KEY, certificate });
        expect(read.valid).toBe(true);
        expect(read.refunds.map((r) => r.refundResult)).toEqual(rows.map((row) => row[3]));
        expect(parseRefundQuery(answer.replace('|v2.4|', '|v2.5|').replace(/^v2\.4/, 'v2.5'), { key: KEY, certificate }).valid).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('decodes the batch answers the sandbox writes: summary, orders, the certificate’s signature; errors', () => {
    const rows = [
      '100020091218001|202603010000000001|DEMO0001|20260301100000|100|20260301100100|100|||1',
      '100020091218001|202603010000000002|DEMO0002|20260301100200|250|20260301100300|250|<USER>u1</USER>|x|1',
    ];
    const signed = [`100020091218001|2|1|N`, ...rows].map((l) => `${l}\r\n`).join('');
    const base64 = Buffer.from(`${signed}\r\n${signText(signed, { signType: '1', md5Key: '', privateKey: platform.privateKey })}`, 'utf8').toString('base64');
    const batch = decodeBatch(base64, certificate);
    expect(batch).toMatchObject({ valid: true, summary: { merchantId: '100020091218001', count: 2, pageNo: 1, hasNext: false } });
    expect(batch.orders.map((o) => [o.orderNo, o.payAmount, o.ext1, o.payResult])).toEqual([['DEMO0001', '100', '', '1'], ['DEMO0002', '250', '<USER>u1</USER>', '1']]);
    expect(decodeBatch(base64).valid).toBe(false);
    const tampered = Buffer.from(Buffer.from(base64, 'base64').toString('utf8').replace('|250|', '|251|'), 'utf8').toString('base64');
    expect(decodeBatch(tampered, certificate).valid).toBe(false);

    const empty = '100020091218001|0|0|N\r\n';
    const emptyAnswer = decodeBatch(Buffer.from(`${empty}\r\n${signText(empty, { signType: '1', md5Key: '', privateKey: platform.privateKey })}`).toString('base64'), certificate);
    expect(emptyAnswer).toMatchObject({ valid: true, summary: { count: 0, pageNo: 0, hasNext: false }, orders: [] });
    expect(decodeBatch(Buffer.from('ERRORCODE=ZF10024&ERRORMSG="beginDateTime格式错误"').toString('base64'))).toMatchObject({ valid: false, error: { code: 'ZF10024', message: 'beginDateTime格式错误' } });
  });
});
