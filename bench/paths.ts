import { createSign } from 'node:crypto';
import { requestSign } from '../src/simulators/aggpay/signature.js';
import { signRequest as allinpaySign } from '../src/testkit/providers/allinpay.js';
import { signRequest as cashierSign } from '../src/testkit/providers/icashier.js';
import { encryptSegmented, signSha1 } from '../src/simulators/mmsp/payout/crypto.js';
import { envelope, MMSP_KEY, MMSP_MERCHANT } from '../test/support/mmsp.js';
import type { BaselineKeys } from './baseline.js';
import type { LoadRequest } from './load.js';

const AGG_APPID = 'gpu10000000';
const AGG_SECRET = 'c1277xxxxxxxxx';
const UMPAY_MERCHANT = '60000100';
/** The cashier's and Allinpay's default merchants (docs/providers/icashier.md, allinpay.md). */
export const CASHIER_MERCHANT = { merid: '880000000000001', key: '4e9b7c2d0a1f36e58c7d2b9a0f1e3c5d' };
export const ALLINPAY_MERCHANT = { merchantId: '100020091218001', key: '1234567890' };

/** The keys the bench signs with and the baseline verifies with, from the sandbox's `GET /_sim/keys`. */
export interface BenchKeys extends BaselineKeys {
  umpayMerchantPrivate: string;
  payoutMerchantPrivate: string;
  payoutPlatformPublic: string;
}

export async function keysOf(url: string): Promise<BenchKeys> {
  const keys = (await (await fetch(`${url}/_sim/keys`)).json()) as {
    platform: Record<string, { publicKey: string; privateKey: string }>;
    merchants: { provider: string; merchantId: string; publicKey: string | null; privateKey: string | null }[];
  };
  const merchant = (provider: string, id: string) => keys.merchants.find((m) => m.provider === provider && m.merchantId === id)!;
  return {
    mmspKey: MMSP_KEY,
    aggSecret: AGG_SECRET,
    cashierKey: CASHIER_MERCHANT.key,
    allinpayKey: ALLINPAY_MERCHANT.key,
    umpayMerchantPublic: merchant('umpay', UMPAY_MERCHANT).publicKey!,
    umpayMerchantPrivate: merchant('umpay', UMPAY_MERCHANT).privateKey!,
    umpayPlatformPrivate: keys.platform.umpay!.privateKey,
    payoutMerchantPublic: merchant('mmsp', MMSP_MERCHANT).publicKey!,
    payoutMerchantPrivate: merchant('mmsp', MMSP_MERCHANT).privateKey!,
    payoutPlatformPrivate: keys.platform.mmsp!.privateKey,
    payoutPlatformPublic: keys.platform.mmsp!.publicKey,
  };
}

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** An MMSP envelope as the tests build it (test/support/mmsp.ts), as the JSON text sent. */
export function mmspEnvelope(commandId: number, body: Record<string, unknown>): string {
  return JSON.stringify(envelope(commandId, body));
}

/** A request whose body is built from a count of the requests before it (a fresh order number each). */
function numbered(request: Omit<LoadRequest, 'body'>, body: (n: number) => string): LoadRequest {
  let n = 0;
  return { ...request, body: () => body(n++) };
}

/** 2306 WeChat QR pre-orders, each with a new MERORDERID (prefix keeps runs apart). */
export function prepay(prefix: string, notifyUrl: string): LoadRequest {
  return numbered({ method: 'POST', path: '/mmsp/api', headers: json }, (n) =>
    mmspEnvelope(2306, { TRADETYPE: '1', AMT: '100', MERORDERID: `${prefix}${n}`, RANDSTR: 'r', GOODSNAME: 'bench', NOTIFY_URL: notifyUrl }),
  );
}

/** The default test card (docs/providers/mmsp.md, Quick pay; `GET /_sim/cards`). */
const QUICK_CARD = { CARDNO: '6222021307418529630', CARDTYPE: '1', NAME: '张三', ID_NO: '110105199003071239', PHONENO: '13800138000' };

/** MMSP quick pay 771 (快捷 §5.3): a card payment with the test card; the order is placed and an SMS code sent. */
export function quickPay(prefix: string, notifyUrl: string): LoadRequest {
  return numbered({ method: 'POST', path: '/mmsp/api', headers: json }, (n) =>
    mmspEnvelope(771, { MERORDERID: `${prefix}${n}`, AMT: '100', ...QUICK_CARD, RANDSTR: 'r', NOTIFY_URL: notifyUrl }),
  );
}

/** 2310 queries of the orders `prefix`0 … `prefix`(count − 1). */
export function query(prefix: string, count: number): LoadRequest {
  return numbered({ method: 'POST', path: '/mmsp/api', headers: json }, (n) => mmspEnvelope(2310, { MERORDERID: `${prefix}${n % count}`, RANDSTR: 'q' }));
}

/** aggpay §5.1 unified orders: a form, MD5-signed, each with a new order_no (at most 20 characters). */
export function unified(prefix: string, notifyUrl: string): LoadRequest {
  return numbered({ method: 'POST', path: '/aggpay/api/order/unified', headers: form }, (n) => {
    const params: Record<string, string> = {
      appid: AGG_APPID,
      order_no: `${prefix}${n}`.slice(0, 20),
      amount: '10000',
      product_name: 'bench',
      bank_code: '912',
      notify_url: notifyUrl,
      return_url: 'https://shop.example/return',
    };
    return new URLSearchParams({ ...params, sign: requestSign(params, AGG_SECRET) }).toString();
  });
}

/** The cashier's 交易提交 (§3.1): a WeiXin order, `req` = Base64(JSON) and `sign` = md5(req + key), as a form; answered 303 to its page. */
export function cashierSubmit(prefix: string, notifyUrl: string): LoadRequest {
  return numbered({ method: 'POST', path: '/icashier/api/icashier', headers: form, redirects: true }, (n) => {
    const message = { action: 'WeiXin', txnamt: 100, merid: CASHIER_MERCHANT.merid, orderid: `${prefix}${String(n).padStart(8, '0')}`, backurl: notifyUrl };
    return new URLSearchParams(cashierSign(message, CASHIER_MERCHANT.key)).toString();
  });
}

/** Allinpay §2.1 payData as a JSON body, MD5-signed in the table's order; answered 303 to the payment control. */
export function allinpayPayData(prefix: string, notifyUrl: string): LoadRequest {
  return numbered({ method: 'POST', path: '/allinpay/mobile/pay', headers: json, redirects: true }, (n) => {
    const fields = {
      inputCharset: '1',
      receiveUrl: notifyUrl,
      version: 'v1.0',
      signType: '0',
      merchantId: ALLINPAY_MERCHANT.merchantId,
      orderNo: `${prefix}${n}`,
      orderAmount: '100',
      orderDatetime: '20260301100000',
      productName: 'bench',
      payType: '0',
    };
    return JSON.stringify(allinpaySign(fields, 'payData', ALLINPAY_MERCHANT.key));
  });
}

function umpayFields(keys: BenchKeys, service: string, params: Record<string, string>): string {
  const fields: Record<string, string> = { service, charset: 'UTF-8', mer_id: UMPAY_MERCHANT, sign_type: 'RSA', res_format: 'HTML', version: '4.0', ...params };
  const plain = Object.keys(fields)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  fields.sign = createSign('RSA-SHA1').update(Buffer.from(plain, 'utf8')).sign(keys.umpayMerchantPrivate, 'base64');
  return new URLSearchParams(fields).toString();
}

/** UMPay apply_pay_shortcut (the order a query then reads). */
export function umpayOrderBody(keys: BenchKeys, orderId: string, merDate: string, notifyUrl: string): string {
  return umpayFields(keys, 'apply_pay_shortcut', {
    order_id: orderId,
    mer_date: merDate,
    amount: '100',
    amt_type: 'RMB',
    pay_type: 'DEBITCARD',
    gate_id: 'ICBC',
    goods_inf: 'bench',
    notify_url: notifyUrl,
  });
}

/** UMPay query_order of one order: an RSA-SHA1 check of the request and a signed META answer. */
export function umpayQuery(keys: BenchKeys, orderId: string, merDate: string): LoadRequest {
  const body = umpayFields(keys, 'query_order', { order_id: orderId, mer_date: merDate });
  return { method: 'POST', path: '/umpay/spay/pay/payservice.do', headers: form, body: () => body };
}

/** MMSP payout 4099 balance query: RSA decrypt and verify the request, encrypt and sign the answer. */
export function payoutBalance(keys: BenchKeys): LoadRequest {
  const plaintext = JSON.stringify({ CMDID: '4099', VERSION: '1.0', QRYTYPE: '1', MERNO: MMSP_MERCHANT, ORDERNO: '20260301000000001', REQTIME: '20260301100000' });
  const body = JSON.stringify({ ENCRYPT: encryptSegmented(plaintext, keys.payoutPlatformPublic), SIGN: signSha1(plaintext, keys.payoutMerchantPrivate) });
  return { method: 'POST', path: '/mmsp/payout', headers: json, body: () => body };
}
