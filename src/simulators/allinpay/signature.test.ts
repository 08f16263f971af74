import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { INTERNATIONAL_FIELDS, PAY_DATA_SIGNED, QUERY_FIELDS, REFUND_FIELDS, RESULT_FIELDS } from './fields.js';
import { ext1Digest, md5Sign, md5Upper, rsaVerify, signFields, signSource, signText, verifyMd5 } from './signature.js';

const KEY = '1234567890';

/** §2.1's payData example, with the stray space of "http:// www" removed (an extraction artefact). */
const PAY_DATA = {
  inputCharset: '1',
  receiveUrl: 'http://www',
  version: 'v1.0',
  signType: '1',
  merchantId: '100020091218001',
  orderNo: 'NOM20141125141040856',
  orderAmount: '1',
  orderDatetime: '20141125141040',
  productName: '笔记本电脑',
  payType: '0',
};

/**
 * Allinpay's own test-certificate key (research brief §5), recovered from two
 * real signatures. Only a verifier: the sandbox signs with its own key.
 */
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

describe('§5 MD5 request signature', () => {
  it('reproduces the payData example 4F521B6E… with the rule: table order, non-empty fields, &key=, UTF-8, upper case', () => {
    expect(signSource(PAY_DATA, PAY_DATA_SIGNED)).toBe(
      'inputCharset=1&receiveUrl=http://www&version=v1.0&signType=1&merchantId=100020091218001&orderNo=NOM20141125141040856&orderAmount=1&orderDatetime=20141125141040&productName=笔记本电脑&payType=0',
    );
    expect(md5Sign(PAY_DATA, PAY_DATA_SIGNED, KEY)).toBe('4F521B6E630C4806A2D7388A014C1123');
    // The space printed in "http:// www" is the document's layout, not the value.
    expect(md5Sign({ ...PAY_DATA, receiveUrl: 'http:// www' }, PAY_DATA_SIGNED, KEY)).toBe('6CF8E9BBE752ED03B114B99C40F13B38');
  });

  it('the rule wins over §5.2\'s printed 581D81D2…, which no variant reproduces (PROVIDERS.md E3)', () => {
    const example = {
      inputCharset: '1',
      receiveUrl: 'http://ceshi.allinpay.com/demo/eshop/recv-pay-result/recv.do',
      version: 'v1.0',
      signType: '0',
      merchantId: '100020091218001',
      orderNo: 'NOM20150717161126543',
      orderAmount: '1',
      orderDatetime: '20150717161126',
      productName: '笔记本电脑',
      payType: '00',
    };
    expect(md5Sign(example, PAY_DATA_SIGNED, KEY)).toBe('45988B4CF377FF7A093C195444EC4FC4');
    expect(md5Sign(example, PAY_DATA_SIGNED, KEY)).not.toBe('581D81D2FAE6579D53C73867611468B7');
    // Nor with the "&" at head and tail that §5.1's note asks for.
    expect(md5Upper(`&${signSource(example, PAY_DATA_SIGNED)}&key=${KEY}&`)).not.toBe('581D81D2FAE6579D53C73867611468B7');
  });

  it('skips empty fields and fields outside the table (cardNo is not signed)', () => {
    const withExtras = { ...PAY_DATA, language: '', ext1: '', cardNo: '6222021307418529630', signMsg: 'X' };
    expect(md5Sign(withExtras, PAY_DATA_SIGNED, KEY)).toBe('4F521B6E630C4806A2D7388A014C1123');
  });

  it('verifies either hex case, and a GBK merchant signing UTF-8 bytes as the Java SDK does', () => {
    expect(verifyMd5(PAY_DATA, PAY_DATA_SIGNED, KEY, '4f521b6e630c4806a2d7388a014c1123').ok).toBe(true);
    const gbk = { ...PAY_DATA, inputCharset: '2' };
    const inGbk = md5Sign(gbk, PAY_DATA_SIGNED, KEY, 'GBK');
    const inUtf8 = md5Sign(gbk, PAY_DATA_SIGNED, KEY);
    expect(inGbk).not.toBe(inUtf8);
    expect(verifyMd5(gbk, PAY_DATA_SIGNED, KEY, inGbk, 'GBK')).toMatchObject({ ok: true, expected: inGbk });
    expect(verifyMd5(gbk, PAY_DATA_SIGNED, KEY, inUtf8, 'GBK').ok).toBe(true);
    const wrong = verifyMd5(gbk, PAY_DATA_SIGNED, 'other', inGbk, 'GBK');
    expect(wrong.ok).toBe(false);
    expect(wrong.source).toMatch(/&payType=0&key=<MD5 key>$/);
  });

  it('reproduces the research brief\'s generated query and refund vectors', () => {
    const query = {
      merchantId: '100020091218001',
      version: 'v1.5',
      signType: '0',
      orderNo: 'NOM20150717161126543',
      orderDatetime: '20150717161126',
      queryDatetime: '20150717162000',
    };
    expect(md5Sign(query, QUERY_FIELDS, KEY)).toBe('FDD4711463D8860803E7B1FA0654261B');
    const refund = {
      version: 'v2.3',
      signType: '0',
      merchantId: '100020091218001',
      orderNo: 'NOM20150717161126543',
      refundAmount: '1',
      mchtRefundOrderNo: '',
      orderDatetime: '20150717161126',
    };
    expect(md5Sign(refund, REFUND_FIELDS, KEY)).toBe('FCD5FB533373C12C5222F819E9B8288A');
  });
});

describe('§2.2.3 notification signature', () => {
  const NOTIFY_2018 = {
    merchantId: '100020091218001',
    version: 'v1.0',
    signType: '0',
    payType: '0',
    paymentOrderId: '201803151649092687',
    orderNo: 'PF_20180315165437zUjk',
    orderDatetime: '20180315103703',
    orderAmount: '1',
    payDatetime: '20180315164927',
    payAmount: '1',
    payResult: '1',
    returnDatetime: '20180315165330',
  };

  it('signType 0 reproduces a real test-gateway notification (B72D9264…)', () => {
    expect(signFields(NOTIFY_2018, RESULT_FIELDS, { signType: '0', md5Key: KEY, privateKey: null })).toBe('B72D9264FF3FAA63106F0B6F9218DF70');
  });

  it('signType 1 is SHA1withRSA over the raw source: a real 2018 notification verifies so with Allinpay\'s test key', () => {
    const fields = {
      ...NOTIFY_2018,
      signType: '1',
      paymentOrderId: '201803161510323022',
      orderNo: 'PF_20180316151555GFu1',
      orderDatetime: '20180316031555',
      payDatetime: '20180316151056',
      returnDatetime: '20180316151459',
    };
    const signature =
      'HM2hT20vuZUGSJUv+OXXxT2xHUA4NAY68uQk+VSs1KD9L6qodLvA1h/7SdIWYzjBZNRZu+SZgDO0pbu+Ej+IJosXUGTM3iOOlOov3UmVTdnveJ9OjVZqFchgTfRDUSr07Wd7SoEufgDDrNbXVGJ0x5jl5azRaFentkTg7soE7sc=';
    const source = signSource(fields, RESULT_FIELDS);
    expect(rsaVerify(source, ALLINPAY_TEST_KEY, signature)).toBe(true);
    // Not over its MD5, which is §3.8's rule for text answers only.
    expect(rsaVerify(md5Upper(source), ALLINPAY_TEST_KEY, signature)).toBe(false);
  });

  it('signs with the platform key so that its public key verifies', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signature = signFields(NOTIFY_2018, RESULT_FIELDS, { signType: '1', md5Key: KEY, privateKey: pem });
    expect(Buffer.from(signature, 'base64')).toHaveLength(128);
    expect(rsaVerify(signSource(NOTIFY_2018, RESULT_FIELDS), publicKey, signature)).toBe(true);
  });
});

describe('§3.8 text answers', () => {
  it('signType 0 reproduces B93C478F… (key after "|"; the 2014 example signs the record with its CRLF)', () => {
    const record = 'v2.4|0|100020091218001|NO20141128151700|1|20141128031757|2014|TKSUCC0002|20141128151433';
    expect(signText(`${record}\r\n`, { signType: '0', md5Key: KEY, privateKey: null })).toBe('B93C478F65CBB562122D367B262FC305');
    expect(signText(record, { signType: '0', md5Key: KEY, privateKey: null })).toBe('6CDB30553190F5FDCB5B693C6A92503C');
  });

  it('signType 1 is SHA1withRSA over the MD5 hex: the 2015 multi-record example verifies (one printing error fixed)', () => {
    const records = [
      'v2.4|1|100020091218001|NO20150115093032|1|20150115093027|123|TKSUCC0002|20150115092309',
      'v2.4|1|100020091218001|NO20150115093032|1|20150115093102|1234|TKSUCC0002|20150115092309',
    ].join('\r\n');
    // The document prints "…PsUwMYykjk…"; the real signature has "…PsUwMYYkjk…".
    const signature =
      'RK/FcBQhhM0/GkjKFYkgxVLZwM8nFfM715UVVmcNgTiF7ZNAkhcM4PBvKO2di4vN3PsUwMYYkjkfqA6x0GYgMK5TFv8bLu4NrvMMvoJdYkqsZPZz1bt11E0KtdXIxdb+GCQ4F2rtgUgWZfuyk8O+ga8kp1OX/AiigqNrcFuXf9w=';
    expect(rsaVerify(md5Upper(records), ALLINPAY_TEST_KEY, signature)).toBe(true);
    expect(rsaVerify(records, ALLINPAY_TEST_KEY, signature)).toBe(false);
  });

  it('reproduces the brief\'s generated refund-query vector, joined records without a trailing CRLF', () => {
    const record = 'v2.4|0|100020091218001|NOM20150717161126543|1|20150717170000||TKSUCC0002|20150717170100';
    expect(signText(record, { signType: '0', md5Key: KEY, privateKey: null })).toBe('17F9589DF9CDBD743777256D2C95CB2A');
  });
});

describe('§5.4 international ext1 digest', () => {
  it('reproduces the document\'s example B7C37324…', () => {
    const values = {
      ship_to_country: 'US',
      ship_to_state: 'AL',
      ship_to_city: 'city',
      ship_to_street1: 'street_1',
      ship_to_street2: 'street_2',
      ship_to_phonenumber: '020-13818349139',
      ship_to_postalcode: '20004',
      ship_to_firstname: 'Smith',
      ship_to_lastname: 'Black',
      registration_name: 'rname',
      registration_email: 'rname@gmail.com',
      registration_phone: '999-13800000000',
      buyerid_period: '200',
      // "0" is a value, not an empty field.
      fnpay_mode: '0',
      bill_firstname: 'handon',
      bill_lastname: 'hao',
      expireddate: '2211',
      cvv2: '888',
      bill_email: 'haod@gmail.com',
      bill_country: 'US',
      bill_address: 'billaddress',
      bill_city: 'billcity',
      bill_state: 'IL',
      bill_zip: '22222',
      // Listed in the example, but no part of the table: empty anyway.
      ship_to_shipmethod: '',
      logistics_cost: '',
    };
    expect(INTERNATIONAL_FIELDS.map((name) => values[name as keyof typeof values] ?? '').join('')).toBe(
      'USALcitystreet_1street_2020-1381834913920004SmithBlackrnamername@gmail.com999-138000000002000handonhao2211888haod@gmail.comUSbilladdressbillcityIL22222',
    );
    expect(ext1Digest(values, INTERNATIONAL_FIELDS)).toBe('B7C37324D6824A6FD029EE365BD0F5A8');
  });
});
