import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import forge from 'node-forge';

/**
 * A merchant's side of Allinpay, written from the document independently of
 * the simulator: field orders, MD5 signing, the certificate check (node-forge,
 * where the sandbox signs with node:crypto), and the wire formats.
 */

/** §2.1's example merchant and key (the payData example reproduces with them). */
export const MERCHANT = '100020091218001';
export const KEY = '1234567890';
/** The sandbox's RMB-only merchant (no cross-border, no international cards). */
export const RMB_MERCHANT = '100020091218010';
export const RMB_KEY = 'sandbox0987654321';

export const PAY_DATA_ORDER = ['inputCharset', 'receiveUrl', 'version', 'language', 'signType', 'merchantId', 'orderNo', 'orderAmount', 'orderCurrency', 'orderDatetime', 'productName', 'ext1', 'payType', 'issuerId', 'tradeNature'];
export const WEB_ORDER = ['inputCharset', 'pickupUrl', 'receiveUrl', 'version', 'language', 'signType', 'merchantId', 'payerName', 'payerEmail', 'payerTelephone', 'payerIDCard', 'pid', 'orderNo', 'orderAmount', 'orderCurrency', 'orderDatetime', 'orderExpireDatetime', 'productName', 'productPrice', 'productNum', 'productId', 'productDesc', 'ext1', 'ext2', 'extTL', 'payType', 'issuerId', 'pan', 'tradeNature'];
export const RESULT_ORDER = ['merchantId', 'version', 'language', 'signType', 'payType', 'issuerId', 'paymentOrderId', 'orderNo', 'orderDatetime', 'orderAmount', 'payDatetime', 'payAmount', 'ext1', 'ext2', 'payResult', 'errorCode', 'returnDatetime'];
export const QUERY_ORDER = ['merchantId', 'version', 'signType', 'orderNo', 'orderDatetime', 'queryDatetime'];
export const BATCH_ORDER = ['version', 'merchantId', 'beginDateTime', 'endDateTime', 'pageNo', 'signType'];
export const REFUND_ORDER = ['version', 'signType', 'merchantId', 'orderNo', 'refundAmount', 'mchtRefundOrderNo', 'orderDatetime'];
export const REFUND_REPLY_ORDER = ['merchantId', 'version', 'signType', 'orderNo', 'orderAmount', 'orderDatetime', 'refundAmount', 'refundDatetime', 'refundResult', 'mchtRefundOrderNo', 'returnDatetime'];
export const REFUND_QUERY_ORDER = ['version', 'signType', 'merchantId', 'orderNo', 'refundAmount', 'refundDatetime', 'mchtRefundOrderNo'];
export const CANCEL_ORDER = ['merchantId', 'version', 'orderAmount', 'currency', 'orderNo', 'orderDatetime', 'signType'];
export const CONFIRM_ORDER = ['version', 'merchantId', 'orderAmount', 'confirmAmount', 'currency', 'orderNo', 'orderDatetime', 'signType'];
export const INTERNATIONAL_ORDER = ['ship_to_country', 'ship_to_state', 'ship_to_city', 'ship_to_street1', 'ship_to_street2', 'ship_to_phonenumber', 'ship_to_postalcode', 'ship_to_firstname', 'ship_to_lastname', 'registration_name', 'registration_email', 'registration_phone', 'buyerid_period', 'fnpay_mode', 'bill_firstname', 'bill_lastname', 'expireddate', 'cvv2', 'bill_email', 'bill_country', 'bill_address', 'bill_city', 'bill_state', 'bill_zip', 'mdd07', 'mdd08', 'mdd09', 'mdd10', 'mdd11', 'mdd12', 'mdd13', 'mdd14', 'mdd15', 'mdd16', 'mdd17', 'mdd18'];

export type Fields = Record<string, string>;

export const md5 = (text: string, charset = 'utf8') =>
  createHash('md5')
    .update(charset === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, charset))
    .digest('hex')
    .toUpperCase();

/** name=value of the non-empty fields in `order`, joined with &. */
export const source = (fields: Fields, order: string[]) =>
  order
    .filter((name) => fields[name])
    .map((name) => `${name}=${fields[name]}`)
    .join('&');

/** The request signMsg: MD5(source&key=KEY), upper case. */
export const signOf = (fields: Fields, order: string[], key = KEY, charset = 'utf8') => md5(`${source(fields, order)}&key=${key}`, charset);

export const signed = (fields: Fields, order: string[], key = KEY, charset = 'utf8'): Fields => ({ ...fields, signMsg: signOf(fields, order, key, charset) });

/** SHA1withRSA verified with the certificate's public key, by node-forge. */
export function certVerifies(certificatePem: string, data: string, signatureBase64: string): boolean {
  const certificate = forge.pki.certificateFromPem(certificatePem);
  const digest = forge.md.sha1.create();
  digest.update(forge.util.encodeUtf8(data));
  try {
    return (certificate.publicKey as forge.pki.rsa.PublicKey).verify(digest.digest().bytes(), forge.util.decode64(signatureBase64));
  } catch {
    return false;
  }
}

/** Parses `k=v&…` the way the official demo does: URL-decode the whole answer, then split. */
export function parseAnswer(text: string): Fields {
  const fields: Fields = {};
  for (const pair of decodeURIComponent(text.replace(/\+/g, ' ')).split('&')) {
    const at = pair.indexOf('=');
    if (at > 0) fields[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return fields;
}

/** Parses a form body as received (a notification): percent-decoded bytes, read in `charset`. */
export function parseFormBody(bytes: Buffer, charset = 'utf8'): Fields {
  const fields: Fields = {};
  for (const pair of bytes.toString('latin1').split('&')) {
    const [name, value = ''] = pair.split('=');
    const raw: number[] = [];
    const text = value.replace(/\+/g, ' ');
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '%') {
        raw.push(parseInt(text.slice(i + 1, i + 3), 16));
        i += 2;
      } else raw.push(text.charCodeAt(i));
    }
    fields[name!] = iconv.decode(Buffer.from(raw), charset);
  }
  return fields;
}

let sequence = 0;
/** A merchant order number unique within the run. */
export const orderNo = (prefix = 'NO') => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36).padStart(3, '0')}`.toUpperCase();

/** The test clock's start, 2026-03-01 10:00:00 China time, as the document writes datetimes. */
export const ORDER_DATETIME = '20260301100000';

/** China time of an ISO instant, as yyyyMMddHHmmss. */
export const cstCompact = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace(/[-T:]/g, '').slice(0, 14);

/** A signed payData for the default merchant. */
export function payData(receiveUrl: string, overrides: Fields = {}, key = KEY): Fields {
  return signed(
    {
      inputCharset: '1',
      receiveUrl,
      version: 'v1.0',
      signType: '0',
      merchantId: MERCHANT,
      orderNo: orderNo(),
      orderAmount: '100',
      orderCurrency: '156',
      orderDatetime: ORDER_DATETIME,
      productName: '笔记本电脑',
      payType: '27',
      ...overrides,
    },
    PAY_DATA_ORDER,
    key,
  );
}

/** The §5.4 example's international fields, and its ext1. */
export const INTERNATIONAL_EXAMPLE: Fields = {
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
};
export const INTERNATIONAL_EXT1 = 'B7C37324D6824A6FD029EE365BD0F5A8';

/** The test cards the control checks (core/test-cards.ts). */
export const DEBIT = { cardNo: '6222021307418529630', phone: '13800138000', holder: '张三', idNumber: '110105199003071239' };
export const CREDIT = { cardNo: '4563517307418529', phone: '13600136000', validDate: '1230', cvv2: '123' };
export const DECLINED = { cardNo: '6222600307418529639', phone: '13400134000' };
export const INSUFFICIENT = { cardNo: '6214830307418529638', phone: '13300133000' };
export const EXPIRED_CARD = { cardNo: '6226090307418521', phone: '13200132000', validDate: '0124', cvv2: '789' };

const form = (fields: Fields) => new URLSearchParams(fields).toString();

/** A client of the sandbox's Allinpay mount. */
export function allinpayClient(base: string) {
  const post = (path: string, body: string, type = 'application/x-www-form-urlencoded') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body, redirect: 'manual' });
  return {
    post,
    /** POST /allinpay/mobile/pay: payData as a JSON body (default) or as the form field payData. */
    submit: (fields: Record<string, unknown>, as: 'json' | 'form' = 'json', extra: Fields = {}) =>
      as === 'json'
        ? post('/allinpay/mobile/pay', JSON.stringify(fields), 'application/json')
        : post('/allinpay/mobile/pay', form({ payData: JSON.stringify(fields), ...extra })),
    /** POST /allinpay/gateway/index.do with a form; the raw response. */
    gatewayRaw: (fields: Fields) => post('/allinpay/gateway/index.do', form(fields)),
    /** POST /allinpay/gateway/index.do; the answer's text. */
    gateway: async (fields: Fields) => (await post('/allinpay/gateway/index.do', form(fields))).text(),
    /** POST /allinpay/mchtoq/index.do; the answer Base64-decoded. */
    batch: async (fields: Fields) => Buffer.from(await (await post('/allinpay/mchtoq/index.do', form(fields))).text(), 'base64').toString('utf8'),
    batchRaw: async (fields: Fields) => (await post('/allinpay/mchtoq/index.do', form(fields))).text(),
    /** POST /allinpay/mchtoq/refundQuery; the answer's text. */
    refundQuery: async (fields: Fields) => (await post('/allinpay/mchtoq/refundQuery', form(fields))).text(),
    /** The payment control: its page, SMS, pay and cancel, by paymentOrderId. */
    page: (id: string) => fetch(`${base}/allinpay/mobile/pay/${id}`).then((r) => r.text()),
    sms: (id: string, fields: Record<string, string>) => post(`/allinpay/mobile/pay/${id}/sms`, form(fields)),
    pay: (id: string, fields: Record<string, string>) => post(`/allinpay/mobile/pay/${id}/pay`, form(fields)),
    cancel: (id: string) => post(`/allinpay/mobile/pay/${id}/cancel`, ''),
    result: (id: string) => fetch(`${base}/allinpay/mobile/pay/${id}/result`).then((r) => r.json() as Promise<any>),
  };
}

/** The error code an error page shows. */
export const pageError = (page: string) => /id="error" data-code="([^"]+)"/.exec(page)?.[1];
