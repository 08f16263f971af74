import { generateKeyPairSync } from 'node:crypto';
import iconv from 'iconv-lite';
import type { RunningSandbox } from '../support/sandbox.js';
import {
  CARDS,
  elementsFor,
  encrypt,
  formEncode,
  GATEWAY,
  loadKeys,
  MER_ID,
  plain,
  quickPay,
  readMeta,
  rsaSign,
  SENSITIVE,
  umpayClient,
  type SendOptions,
  type UmpayKeys,
} from '../support/umpay.js';
import { formValue, type FuzzAnswer, type FuzzContext, type FuzzTarget, type Verdict } from './framework.js';

/**
 * UMPay 4.0 (seed 000) on `GET|POST /umpay/spay/pay/payservice.do`: every
 * parameter is fuzzed, the protocol ones (service, charset, mer_id, sign_type,
 * version) included. The merchant of test/support/umpay.ts (node-forge, iconv)
 * encrypts the sensitive fields with the platform certificate and signs the
 * sorted string over the bytes of the charset the form is sent in.
 */

/** A merchant that may refund on the day of payment (settings.sameDayRefund): the default one must use 撤销 on T+0. */
const REFUND_MER_ID = '60000300';

interface Loaded {
  keys: UmpayKeys;
  refundKeys: UmpayKeys;
}
let loaded: Loaded | undefined;

async function load(sim: RunningSandbox): Promise<Loaded> {
  if (loaded) return loaded;
  const keys = await loadKeys(sim.get);
  // The merchant's own pair, registered by its public key alone (docs/providers/umpay.md, Default merchants).
  const pair = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  await sim.post('/_sim/merchants', {
    provider: 'umpay',
    merchantId: REFUND_MER_ID,
    name: '联动优势当日退费商户',
    publicKey: pair.publicKey,
    settings: { products: ['quick', 'h5'], sameDayRefund: true },
  });
  loaded = { keys, refundKeys: { ...keys, merchantPrivateKey: pair.privateKey, merchantPublicKey: pair.publicKey } };
  return loaded;
}

const CHARSETS: Record<string, string> = { 'UTF-8': 'utf8', GBK: 'gbk', GB2312: 'gb2312', GB18030: 'gb18030' };

/**
 * UMPay's answers (§2.2.2): a 302 to the cashier (H5), the empty 504 of the
 * scripted system error (magic amount 2004: the order or refund went
 * through), or a META page in the request's charset whose content the
 * platform signed (verified as the SDKs do: GBK bytes, platform certificate).
 * `0000` is accepted, `00990098` the sandbox's own fault; another ret_code
 * is a refusal, which carries nothing but mer_id, ret_code, ret_msg and
 * version — unless the answer reports the trade or the refund it failed
 * (00990030/31 TRADE_FAIL, 00990040 REFUND_CLOSE: records, not refusals), or
 * it is a wrong SMS code, which is counted (five void the code).
 */
function judgeUmpay(answer: FuzzAnswer): Verdict {
  if (answer.status === 504) return answer.bytes.length === 0 ? 'accepted' : 'unreadable';
  if (answer.status === 302) return /\/pay\/umpay\/\d+$/.test(answer.headers.get('location') ?? '') ? 'accepted' : 'unreadable';
  const charset = /^text\/html;charset=(UTF-8|GBK|GB2312|GB18030)$/.exec(answer.headers.get('content-type') ?? '')?.[1];
  if (answer.status !== 200 || charset === undefined) return 'unreadable';
  const html = iconv.decode(Buffer.from(answer.bytes), CHARSETS[charset]!);
  if (!html.includes('<META NAME="MobilePayPlatform" CONTENT="')) return 'unreadable';
  const { fields, signValid } = readMeta(html, loaded!.keys.platformCertificate);
  if (!signValid || fields.sign_type !== 'RSA' || fields.version !== '4.0' || !fields.ret_msg || !/^\d{4}(\d{4})?$/.test(fields.ret_code ?? '')) return 'unreadable';
  if (fields.ret_code === '0000') return 'accepted';
  if (fields.ret_code === '00990098') return 'internal';
  if (fields.ret_code === '00060700' || fields.trade_state !== undefined || fields.refund_state !== undefined) return 'accepted';
  const extra = Object.keys(fields).filter((name) => !['mer_id', 'ret_code', 'ret_msg', 'version', 'sign_type', 'sign'].includes(name));
  return extra.length === 0 ? 'rejected' : 'unreadable';
}

/** The protocol parameters every request carries (§2.1). */
const protocol = (service: string, charset = 'UTF-8', merId = MER_ID) => ({ service, charset, mer_id: merId, sign_type: 'RSA', res_format: 'HTML', version: '4.0' });

interface Wire {
  method?: 'GET' | 'POST';
  /** The charset the form's bytes are in, and the signature over them. */
  charset?: 'UTF-8' | 'GBK';
  /** Signs as this merchant (the refund merchant). */
  refund?: boolean;
}

function service(name: string, fields: (context: FuzzContext) => Record<string, unknown>, wire: Wire = {}, prepare?: (sim: RunningSandbox, notifyUrl: string) => Promise<Record<string, string>>): FuzzTarget {
  const method = wire.method ?? 'POST';
  const charset = wire.charset ?? 'UTF-8';
  return {
    name: `umpay ${name}`,
    prepare: async (sim, notifyUrl) => {
      await load(sim);
      return (await prepare?.(sim, notifyUrl)) ?? {};
    },
    fields,
    encode(values, { sign }) {
      const keys = wire.refund ? loaded!.refundKeys : loaded!.keys;
      // A sensitive text is encrypted as an SDK would; anything else (a number, a structure) goes out as it is, as ciphertext that is none.
      const sent = (key: string, value: unknown) => {
        const text = formValue(value);
        if (!SENSITIVE.includes(key) || text === '' || typeof value !== 'string') return text;
        try {
          return encrypt(text, keys.platformCertificate);
        } catch {
          // Longer than one RSA block: a value no SDK could encrypt goes out as it is.
          return text;
        }
      };
      // From entries, so that a parameter named `__proto__` is one like any other.
      const params: Record<string, string> = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, sent(key, value)]));
      // A wrong sign is a real signature, over another string.
      const signed = sign ? plain(params) : `${plain(params)}&`;
      params.sign = rsaSign(signed, keys.merchantPrivateKey, charset === 'GBK' ? 'gbk' : 'utf8');
      if (method === 'GET') return { method, path: `${GATEWAY}?${formEncode(params, 'UTF-8')}` };
      return { method, path: `${GATEWAY}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formEncode(params, charset) };
    },
    judge: judgeUmpay,
    systemErrorStatus: 504,
  };
}

const CARD = CARDS.icbcDebit;
const merDate = async (sim: RunningSandbox) => new Date(Date.parse((await sim.get('/_sim/health')).now) + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
let sequence = 0;
const orderId = (prefix = 'F') => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36)}`.toUpperCase();

const flow = (sim: RunningSandbox, refund = false) => {
  const keys = refund ? loaded!.refundKeys : loaded!.keys;
  const options: SendOptions = refund ? { merId: REFUND_MER_ID, keys } : {};
  return { steps: quickPay(umpayClient(sim.url, keys), sim), options };
};

/** A quick-pay order placed (apply_pay_shortcut): its trade_no and payElements. */
async function placed(sim: RunningSandbox, notifyUrl: string): Promise<Record<string, string>> {
  const { steps } = flow(sim);
  const order = await steps.place(CARD, { notify_url: notifyUrl });
  return { order_id: order.order_id, mer_date: order.mer_date, trade_no: order.trade_no, payElements: order.payElements };
}

/**
 * The amounts the confirm target's orders take in turn: the money moves at the
 * confirm, so that is where magic amounts play (2004: the empty 504 after the
 * payment went through) — under the fuzzer's hostile confirms too.
 */
const CONFIRM_AMOUNTS = ['100', '100', '2001', '100', '2003', '100', '2004'];
let confirms = 0;

/** Placed, and its SMS code sent: the code. */
async function awaitingCode(sim: RunningSandbox, notifyUrl: string): Promise<Record<string, string>> {
  const { steps } = flow(sim);
  const order = await steps.place(CARD, { notify_url: notifyUrl, amount: CONFIRM_AMOUNTS[confirms++ % CONFIRM_AMOUNTS.length]! });
  await steps.sms(CARD, order);
  return { trade_no: order.trade_no, verify_code: await steps.smsCode(order.orderNo) };
}

/**
 * Paid by quick pay (with mer_cust_id: 支付+签约, an agreement signed), notified.
 * 10000 fen: any refund amount the fuzzer tries fits, magic ones included.
 */
async function paid(sim: RunningSandbox, notifyUrl: string, options: { refund?: boolean; merCustId?: string } = {}): Promise<Record<string, string>> {
  const { steps, options: send } = flow(sim, options.refund);
  const order = await steps.place(CARD, { notify_url: notifyUrl, amount: '10000', ...(options.merCustId ? { mer_cust_id: options.merCustId } : {}) }, send);
  await steps.sms(CARD, order, {}, send);
  const confirmed = await steps.confirm(CARD, order, {}, send);
  await sim.advance(0);
  return {
    order_id: order.order_id,
    mer_date: order.mer_date,
    amount: '10000',
    mer_cust_id: options.merCustId ?? '',
    usr_pay_agreement_id: confirmed.fields.usr_pay_agreement_id ?? '',
    usr_busi_agreement_id: confirmed.fields.usr_busi_agreement_id ?? '',
  };
}

const signedUp = (sim: RunningSandbox, notifyUrl: string) => paid(sim, notifyUrl, { merCustId: orderId('C') });
const paidForRefund = (sim: RunningSandbox, notifyUrl: string) => paid(sim, notifyUrl, { refund: true });

/** A refund accepted (mer_refund of 50 fen, by the merchant that refunds on T+0): its refund_no. */
async function refunded(sim: RunningSandbox, notifyUrl: string): Promise<Record<string, string>> {
  const order = await paidForRefund(sim, notifyUrl);
  const refundNo = orderId('R');
  const { options } = flow(sim, true);
  await umpayClient(sim.url, loaded!.refundKeys).call('mer_refund', { refund_no: refundNo, order_id: order.order_id!, mer_date: order.mer_date!, org_amount: order.amount!, refund_amount: '50' }, options);
  return { refund_no: refundNo };
}

const applyPay = (charset: 'UTF-8' | 'GBK') => (context: FuzzContext) => ({
  ...protocol('apply_pay_shortcut', charset),
  order_id: orderId(),
  mer_date: context.given.mer_date,
  amount: '100',
  amt_type: 'RMB',
  pay_type: CARD.pay_type,
  gate_id: CARD.gate_id,
  notify_url: context.notifyUrl,
  goods_inf: '测试商品',
});

const today = async (sim: RunningSandbox) => ({ mer_date: await merDate(sim) });

export const UMPAY_TARGETS: FuzzTarget[] = [
  service('apply_pay_shortcut (UTF-8)', applyPay('UTF-8'), {}, today),
  service('apply_pay_shortcut (GBK)', applyPay('GBK'), { charset: 'GBK' }, today),
  service(
    'sms_req_shortcut',
    ({ given }) => ({ ...protocol('sms_req_shortcut'), trade_no: given.trade_no, ...elementsFor(CARD, given.payElements!) }),
    {},
    placed,
  ),
  service(
    'confirm_pay_shortcut (GBK)',
    ({ given }) => ({ ...protocol('confirm_pay_shortcut', 'GBK'), trade_no: given.trade_no, verify_code: given.verify_code, media_id: CARD.media_id, media_type: 'MOBILE' }),
    { charset: 'GBK' },
    awaitingCode,
  ),
  service(
    'unbind_mercust_protocol_shortcut',
    ({ given }) => ({ ...protocol('unbind_mercust_protocol_shortcut'), mer_cust_id: given.mer_cust_id, usr_pay_agreement_id: given.usr_pay_agreement_id, pay_type: CARD.pay_type }),
    {},
    signedUp,
  ),
  service(
    'query_mercust_bank_shortcut',
    ({ given }) => ({ ...protocol('query_mercust_bank_shortcut'), pay_type: CARD.pay_type, mer_cust_id: given.mer_cust_id }),
    {},
    signedUp,
  ),
  service('query_mer_bank_shortcut', () => ({ ...protocol('query_mer_bank_shortcut'), pay_type: 'CREDITCARD' })),
  service('query_order', ({ given }) => ({ ...protocol('query_order'), order_id: given.order_id, mer_date: given.mer_date }), {}, placed),
  service('mer_order_info_query (GET)', ({ given }) => ({ ...protocol('mer_order_info_query'), order_id: given.order_id, mer_date: given.mer_date }), { method: 'GET' }, (sim, url) => paid(sim, url)),
  service('mer_cancel', ({ given }) => ({ ...protocol('mer_cancel'), order_id: given.order_id, mer_date: given.mer_date, amount: given.amount }), {}, (sim, url) => paid(sim, url)),
  service(
    'mer_refund',
    ({ notifyUrl, given }) => ({
      ...protocol('mer_refund', 'UTF-8', REFUND_MER_ID),
      refund_no: orderId('R'),
      order_id: given.order_id,
      mer_date: given.mer_date,
      org_amount: given.amount,
      refund_amount: '50',
      notify_url: notifyUrl,
    }),
    { refund: true },
    paidForRefund,
  ),
  service('mer_refund_query', ({ given }) => ({ ...protocol('mer_refund_query', 'UTF-8', REFUND_MER_ID), refund_no: given.refund_no }), { refund: true }, refunded),
  service(
    'pay_req_h5_frontpage (GET)',
    ({ notifyUrl, given }) => ({
      ...protocol('pay_req_h5_frontpage'),
      order_id: orderId('H'),
      mer_date: given.mer_date,
      amount: '100',
      notify_url: notifyUrl,
      ret_url: 'https://shop.example/return',
      goods_inf: '测试商品',
    }),
    { method: 'GET' },
    today,
  ),
];
