import iconv from 'iconv-lite';
import {
  BATCH_ORDER,
  CANCEL_ORDER,
  certVerifies,
  CONFIRM_ORDER,
  cstCompact,
  DEBIT,
  INTERNATIONAL_EXAMPLE,
  INTERNATIONAL_EXT1,
  KEY,
  MERCHANT,
  md5,
  ORDER_DATETIME,
  orderNo,
  PAY_DATA_ORDER,
  pageError,
  parseAnswer,
  QUERY_ORDER,
  REFUND_ORDER,
  REFUND_QUERY_ORDER,
  REFUND_REPLY_ORDER,
  RESULT_ORDER,
  signOf,
  source,
  WEB_ORDER,
  type Fields,
} from '../support/allinpay.js';
import type { RunningSandbox } from '../support/sandbox.js';
import { formValue, type FuzzAnswer, type FuzzContext, type FuzzRequest, type FuzzTarget, type Verdict } from './framework.js';

/**
 * Allinpay (seed 003): payData and the web order form, and the gateway's text
 * interfaces. The merchant of test/support/allinpay.ts (from the document)
 * signs each interface's non-empty fields in its table's order with the MD5
 * key; every answer's signMsg is verified as the merchant would (MD5 with the
 * key for signType 0, the platform certificate for signType 1).
 */

let certificate: string | undefined;
const loadCertificate = async (sim: RunningSandbox) => {
  certificate ??= (await sim.get('/_sim/keys')).platform.allinpay.certificate as string;
};

/** inputCharset → the charset a merchant's form and signature use (§2.1); UTF-8 for anything else. */
const CHARSETS: Record<string, string> = { '1': 'utf8', '2': 'gbk', '3': 'gb2312' };
const charsetOf = (inputCharset: unknown) => {
  const name = formValue(inputCharset);
  return Object.hasOwn(CHARSETS, name) ? CHARSETS[name]! : 'utf8';
};

/** A form whose values are percent-encoded bytes of `charset` (a GBK form writes 中 as %D6%D0). */
function formBytes(fields: Fields, charset: string): string {
  const encode = (text: string) =>
    [...iconv.encode(text, charset)].map((b) => (/[A-Za-z0-9*\-._]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return Object.entries(fields)
    .map(([name, value]) => `${encode(name)}=${encode(value)}`)
    .join('&');
}

/** The fields as text, the way the gateway reads a form. */
const texts = (fields: Record<string, unknown>): Fields => Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, formValue(value)]));

/** signMsg as the merchant computes it, or with a key that is not the merchant's. */
const signMsgOf = (fields: Fields, order: readonly string[], sign: boolean, charset = 'utf8') => signOf(fields, [...order], sign ? KEY : 'not-the-merchant-key', charset);

/** The gateway's codes (§6.1; the refund status query's 001–011, §3.8). */
const ERROR_CODE = /^(ZF\d{5}|10001|30007|EM0001_\d{6}|BL0004_100002|0(0[1-9]|1[01]))$/;

/** A gateway error: `ZF99999` is the sandbox's own fault; `BL0004_100002` the scripted system error (magic amount 2004: the order or refund exists). */
function errorVerdict(code: string): Verdict {
  if (!ERROR_CODE.test(code)) return 'unreadable';
  if (code === 'ZF99999') return 'internal';
  return code === 'BL0004_100002' ? 'accepted' : 'rejected';
}

const errorCodeOf = (text: string) => /^ERRORCODE=([^&]*)&ERRORMSG=./.exec(text)?.[1];

/** The server interfaces answer text: UTF-8 bytes under `text/plain` with no charset (docs/providers/allinpay.md). */
const isText = (answer: FuzzAnswer) => answer.status === 200 && answer.headers.get('content-type') === 'text/plain';

/** An order submission: a 303 to the payment control, or the error page with its code. */
function judgeSubmission(answer: FuzzAnswer): Verdict {
  if (answer.status === 303) return /^\/allinpay\/mobile\/pay\/\d{18}$/.test(answer.headers.get('location') ?? '') ? 'accepted' : 'unreadable';
  if (answer.status !== 200 || !(answer.headers.get('content-type') ?? '').startsWith('text/html')) return 'unreadable';
  const code = pageError(answer.text);
  return code === undefined ? 'unreadable' : errorVerdict(code);
}

/** A gateway refusal in text: `ERRORCODE=…&ERRORMSG=…`, what the mount answers a method or path no interface takes. */
function judgeTextError(answer: FuzzAnswer): Verdict {
  const code = isText(answer) ? errorCodeOf(answer.text) : undefined;
  return code === undefined ? 'unreadable' : errorVerdict(code);
}

/**
 * `/gateway/index.do` tells its interfaces apart by `version`: a web order
 * whose version is gone or unknown is no order form any more, and is answered
 * as the gateway answers any request it cannot place (`ERRORCODE=ZF10019…`).
 */
const judgeWebOrder = (answer: FuzzAnswer): Verdict => (isText(answer) ? judgeTextError(answer) : judgeSubmission(answer));

/** A signMsg over a field source (name=value answers): MD5 with the key for signType 0, the certificate over the source itself for 1. */
const fieldsSigned = (fields: Fields, order: string[]) =>
  fields.signType === '0' ? fields.signMsg === md5(`${source(fields, order)}&key=${KEY}`) : fields.signType === '1' && certVerifies(certificate!, source(fields, order), fields.signMsg ?? '');

/** A signMsg over a text answer (§3.8): MD5 of text + "|" + key for signType 0, the certificate over MD5(text) for 1. */
const textSigned = (text: string, signature: string, signType: string | undefined) =>
  signType === '0' ? signature === md5(`${text}|${KEY}`) : signType === '1' && certVerifies(certificate!, md5(text), signature);

/** `name=value&…` answers (§2.2.3 single query, §3.6 refund), signed, with their result field. */
const judgeFields = (order: string[], result: string) => (answer: FuzzAnswer): Verdict => {
  if (!isText(answer)) return 'unreadable';
  const code = errorCodeOf(answer.text);
  if (code !== undefined) return errorVerdict(code);
  let fields: Fields;
  try {
    fields = parseAnswer(answer.text);
  } catch {
    return 'unreadable';
  }
  return fields[result] && fieldsSigned(fields, order) ? 'accepted' : 'unreadable';
};

/** Pre-authorisation (§4.2, §4.4): one pipe line then the signature; retCode 0000, or the operation's failure (nothing changes). */
function judgePreauth(answer: FuzzAnswer): Verdict {
  if (!isText(answer)) return 'unreadable';
  const code = errorCodeOf(answer.text);
  if (code !== undefined) return errorVerdict(code);
  const [line, signature, ...rest] = answer.text.split('\r\n');
  const columns = line!.split('|');
  if (rest.length > 0 || signature === undefined || columns.length !== 11 || !textSigned(line!, signature, columns[3])) return 'unreadable';
  if (columns[0] === '0000') return 'accepted';
  return columns[0] === 'FC0003_000008' || columns[0] === 'FC0003_000009' ? 'rejected' : 'unreadable';
}

/** Refund status (§3.8): a line per refund, CRLF, the signature; or §3.8's ERRORCODE 001–011. */
function judgeRefundQuery(answer: FuzzAnswer): Verdict {
  if (!isText(answer)) return 'unreadable';
  const code = errorCodeOf(answer.text);
  if (code !== undefined) return errorVerdict(code);
  const at = answer.text.lastIndexOf('\r\n');
  if (at < 0) return 'unreadable';
  const text = answer.text.slice(0, at);
  const lines = text.split('\r\n').map((line) => line.split('|'));
  if (!lines.every((columns) => columns.length === 9 && columns[0] === 'v2.4')) return 'unreadable';
  return textSigned(text, answer.text.slice(at + 2), lines[0]![1]) ? 'accepted' : 'unreadable';
}

/** Batch query (§3.4): Base64 of the summary and detail lines and the certificate's signature, or of `ERRORCODE=…&ERRORMSG="…"`. */
function judgeBatch(answer: FuzzAnswer): Verdict {
  if (!isText(answer) || !/^[A-Za-z0-9+/]*={0,2}$/.test(answer.text)) return 'unreadable';
  const text = Buffer.from(answer.text, 'base64').toString('utf8');
  const code = /^ERRORCODE=([^&]*)&ERRORMSG="/.exec(text)?.[1];
  if (code !== undefined) return errorVerdict(code);
  const at = text.lastIndexOf('\r\n');
  const signed = text.slice(0, at);
  if (at < 0 || !signed.endsWith('\r\n') || !/^\d+\|\d+\|\d+\|[YN]\r\n/.test(signed)) return 'unreadable';
  return certVerifies(certificate!, md5(signed), text.slice(at + 2)) ? 'accepted' : 'unreadable';
}

/**
 * The payment control's buttons (获取验证码, 确认支付: a browser form): the control
 * page again — with the code sent, or the refusal's code (`data-code`, the
 * order as it was) —, a 303 back to it once the payment is decided, or the
 * auto-submitted return to the merchant's pickupUrl.
 */
function judgeControl(answer: FuzzAnswer): Verdict {
  if (answer.status === 303) return /^\/allinpay\/mobile\/pay\/\d{18}$/.test(answer.headers.get('location') ?? '') ? 'accepted' : 'unreadable';
  if (answer.status !== 200 || !(answer.headers.get('content-type') ?? '').startsWith('text/html')) return 'unreadable';
  if (answer.text.includes('id="sms-code"') || answer.text.includes('<form method="POST"')) return 'accepted';
  const code = pageError(answer.text);
  return code !== undefined && /^(EM0001_\d{6}|P00002_\d{6})$/.test(code) ? 'rejected' : 'unreadable';
}

const BOUNDARY = '----fuzz7MA4YWxkTrZu0gW';

/** A multipart/form-data body, as a browser sends a form with enctype multipart. */
const multipart = (fields: Fields) =>
  `${Object.entries(fields)
    .map(([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('')}--${BOUNDARY}--\r\n`;

const post = (path: string, body: string, type = 'application/x-www-form-urlencoded') => ({ method: 'POST' as const, path, headers: { 'content-type': type }, body });

/** The gateway's and the query hosts' interfaces take GET and POST ("订单可以通过post方式或get方式提交"); payData and the control POST only. */
const BOTH: FuzzRequest['method'][] = ['GET', 'POST'];

function target(
  name: string,
  fields: (context: FuzzContext) => Record<string, unknown>,
  encode: FuzzTarget['encode'],
  judge: FuzzTarget['judge'],
  prepare?: FuzzTarget['prepare'],
  methods: FuzzRequest['method'][] = BOTH,
): FuzzTarget {
  return {
    name: `allinpay ${name}`,
    methods,
    unrouted: judgeTextError,
    prepare: async (sim, notifyUrl) => {
      await loadCertificate(sim);
      return (await prepare?.(sim, notifyUrl)) ?? {};
    },
    fields,
    encode,
    judge,
  };
}

/**
 * payData's values as the gateway reads them: strings and finite numbers; a
 * value it refuses (an object, a boolean) cannot be signed and goes out with
 * the signature of the rest.
 */
function payDataSigned(fields: Record<string, unknown>, sign: boolean): Record<string, unknown> {
  const signable: Fields = {};
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') signable[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) signable[name] = String(value);
  }
  return { ...fields, signMsg: signMsgOf(signable, PAY_DATA_ORDER, sign, charsetOf(signable.inputCharset)) };
}

/** §2.1 payData, with the card number the control is pre-filled with (unsigned). */
const payData = ({ notifyUrl }: FuzzContext) => ({
  inputCharset: '1',
  receiveUrl: notifyUrl,
  version: 'v1.0',
  language: '1',
  signType: '0',
  merchantId: MERCHANT,
  orderNo: orderNo('FZ'),
  orderAmount: '100',
  orderCurrency: '156',
  orderDatetime: ORDER_DATETIME,
  productName: '笔记本电脑',
  payType: '27',
  tradeNature: 'GOODS',
  cardNo: DEBIT.cardNo,
});

/** The web gateway order form (the official SDK's fields), in UTF-8 (inputCharset 1) or GBK (2). */
const webOrder = (version: 'v1.0' | 'v2.0', inputCharset = '1') => ({ notifyUrl }: FuzzContext) => ({
  inputCharset,
  pickupUrl: 'https://shop.example/pickup',
  receiveUrl: notifyUrl,
  version,
  language: '1',
  signType: '0',
  merchantId: MERCHANT,
  payerName: '张三',
  payerEmail: 'buyer@example.com',
  payerTelephone: '13800138000',
  orderNo: orderNo('FW'),
  orderAmount: '100',
  orderCurrency: '156',
  orderDatetime: ORDER_DATETIME,
  orderExpireDatetime: '60',
  productName: '笔记本电脑',
  productPrice: '100',
  productNum: '1',
  productId: 'P1',
  productDesc: '描述',
  ext1: 'e1',
  ext2: 'e2',
  ...(version === 'v1.0' ? { payType: '0' } : {}),
});

/** The web form signs in the SDK's order; v2.0 without payType and issuerId. */
const webSigned = (values: Record<string, unknown>, sign: boolean): Fields => {
  const fields = texts(values);
  const order = fields.version === 'v2.0' ? WEB_ORDER.filter((name) => name !== 'payType' && name !== 'issuerId') : WEB_ORDER;
  const charset = charsetOf(fields.inputCharset);
  return { ...fields, signMsg: signMsgOf(fields, order, sign, charset) };
};

/** A text interface's request: the form, signed in its table's order. */
const textRequest = (path: string, order: string[]) => (values: Record<string, unknown>, { sign }: { sign: boolean }) => {
  const fields = texts(values);
  return post(path, new URLSearchParams({ ...fields, signMsg: signMsgOf(fields, order, sign) }).toString());
};

/** An order placed by payData and paid (the operator's pay: the payer), notified. */
async function paidOrder(sim: RunningSandbox, notifyUrl: string, overrides: Record<string, string> = {}, extra: Record<string, string> = {}) {
  const fields = { ...payData({ notifyUrl, given: {} }), ...overrides };
  delete (fields as Record<string, unknown>).cardNo;
  const response = await fetch(`${sim.url}/allinpay/mobile/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...payDataSigned(fields, true), ...extra }),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  await sim.post(`/_sim/orders/allinpay/${fields.orderNo}/pay`);
  await sim.advance(0);
  return { orderNo: fields.orderNo, orderDatetime: fields.orderDatetime, orderAmount: fields.orderAmount };
}

/** An international card payment (payType 30): a pre-authorisation, authorised. */
const authorised = (sim: RunningSandbox, notifyUrl: string) =>
  paidOrder(sim, notifyUrl, { payType: '30', orderAmount: '10000', orderCurrency: '840', issuerId: 'visa', ext1: INTERNATIONAL_EXT1 }, INTERNATIONAL_EXAMPLE);

/** An order placed by payData, waiting on its payment control: the control's path. */
async function onControl(sim: RunningSandbox, notifyUrl: string) {
  const fields = { ...payData({ notifyUrl, given: {} }), orderAmount: '10000' };
  const response = await fetch(`${sim.url}/allinpay/mobile/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payDataSigned(fields, true)),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  return { control: response.headers.get('location')!, orderNo: fields.orderNo };
}

/** On the control, the code sent to the debit card's phone. */
async function smsSent(sim: RunningSandbox, notifyUrl: string) {
  const order = await onControl(sim, notifyUrl);
  await fetch(`${sim.url}${order.control}/sms`, { method: 'POST', body: new URLSearchParams({ cardNo: DEBIT.cardNo, phone: DEBIT.phone }) }).then((r) => r.text());
  const [stored] = await sim.get(`/_sim/orders?provider=allinpay&orderNo=${order.orderNo}`);
  return { ...order, smsCode: String(stored.smsCode) };
}

const now = async (sim: RunningSandbox) => cstCompact((await sim.get('/_sim/health')).now);

/** A paid order of 10000 fen: any refund amount the fuzzer tries fits, magic ones included. */
const paidLarge = (sim: RunningSandbox, notifyUrl: string) => paidOrder(sim, notifyUrl, { orderAmount: '10000' });

/** A paid order and a refund of it accepted (v2.3). */
async function refunded(sim: RunningSandbox, notifyUrl: string) {
  const order = await paidLarge(sim, notifyUrl);
  const refund = { version: 'v2.3', signType: '0', merchantId: MERCHANT, orderNo: order.orderNo, refundAmount: '30', mchtRefundOrderNo: orderNo('R'), orderDatetime: order.orderDatetime };
  await fetch(`${sim.url}/allinpay/gateway/index.do`, { method: 'POST', body: new URLSearchParams({ ...refund, signMsg: signMsgOf(refund, REFUND_ORDER, true) }) }).then((r) => r.text());
  return { ...order, mchtRefundOrderNo: refund.mchtRefundOrderNo };
}

/** A control button: the fields the payer types, posted (as a form, or multipart) to the control prepare() placed. */
function control(action: 'sms' | 'pay', fields: (given: Record<string, string>) => Fields, as: 'form' | 'multipart', prepare: FuzzTarget['prepare']): FuzzTarget {
  return target(
    `control ${action} (${as})`,
    ({ given }) => fields(given),
    (values, { given }) =>
      as === 'form'
        ? post(`${given.control}/${action}`, new URLSearchParams(texts(values)).toString())
        : post(`${given.control}/${action}`, multipart(texts(values)), `multipart/form-data; boundary=${BOUNDARY}`),
    judgeControl,
    prepare,
    ['POST'],
  );
}

export const ALLINPAY_TARGETS: FuzzTarget[] = [
  target('payData (JSON)', payData, (fields, { sign }) => post('/allinpay/mobile/pay', JSON.stringify(payDataSigned(fields, sign)), 'application/json'), judgeSubmission, undefined, ['POST']),
  target(
    'payData (form)',
    payData,
    (fields, { sign }) => {
      const payload = JSON.stringify(payDataSigned(fields, sign));
      return post('/allinpay/mobile/pay', formBytes({ payData: payload }, charsetOf(fields.inputCharset)));
    },
    judgeSubmission,
    undefined,
    ['POST'],
  ),
  target(
    'web order v1.0 (POST)',
    webOrder('v1.0'),
    (fields, { sign }) => {
      const signed = webSigned(fields, sign);
      return post('/allinpay/gateway/index.do', formBytes(signed, charsetOf(signed.inputCharset)));
    },
    judgeWebOrder,
  ),
  target(
    'web order v1.0 GBK (POST)',
    webOrder('v1.0', '2'),
    (fields, { sign }) => {
      const signed = webSigned(fields, sign);
      return post('/allinpay/gateway/index.do', formBytes(signed, charsetOf(signed.inputCharset)));
    },
    judgeWebOrder,
  ),
  target('web order v2.0 (GET)', webOrder('v2.0'), (fields, { sign }) => ({ method: 'GET', path: `/allinpay/gateway/index.do?${formBytes(webSigned(fields, sign), 'utf8')}` }), judgeWebOrder),
  target(
    'v1.5 single query',
    ({ given }) => ({ merchantId: MERCHANT, version: 'v1.5', signType: '0', orderNo: given.orderNo, orderDatetime: given.orderDatetime, queryDatetime: given.now }),
    textRequest('/allinpay/gateway/index.do', QUERY_ORDER),
    judgeFields(RESULT_ORDER, 'payResult'),
    async (sim, url) => ({ ...(await paidOrder(sim, url)), now: await now(sim) }),
  ),
  target(
    'v2.3 refund',
    ({ given }) => ({ version: 'v2.3', signType: '1', merchantId: MERCHANT, orderNo: given.orderNo, refundAmount: '30', mchtRefundOrderNo: orderNo('R'), orderDatetime: given.orderDatetime }),
    textRequest('/allinpay/gateway/index.do', REFUND_ORDER),
    judgeFields(REFUND_REPLY_ORDER, 'refundResult'),
    paidLarge,
  ),
  target(
    'v1.8 pre-auth cancel',
    ({ given }) => ({ merchantId: MERCHANT, version: 'v1.8', orderAmount: given.orderAmount, currency: '840', orderNo: given.orderNo, orderDatetime: given.orderDatetime, signType: '0' }),
    textRequest('/allinpay/gateway/index.do', CANCEL_ORDER),
    judgePreauth,
    authorised,
  ),
  target(
    'v1.9 pre-auth confirm',
    ({ given }) => ({ version: 'v1.9', merchantId: MERCHANT, orderAmount: given.orderAmount, confirmAmount: '8000', currency: '840', orderNo: given.orderNo, orderDatetime: given.orderDatetime, signType: '1' }),
    textRequest('/allinpay/gateway/index.do', CONFIRM_ORDER),
    judgePreauth,
    authorised,
  ),
  target(
    'v1.6 batch query',
    ({ given }) => ({ version: 'v1.6', merchantId: MERCHANT, beginDateTime: `${given.now!.slice(0, 8)}00`, endDateTime: `${given.now!.slice(0, 8)}23`, pageNo: '1', signType: '1' }),
    textRequest('/allinpay/mchtoq/index.do', BATCH_ORDER),
    judgeBatch,
    async (sim, url) => ({ ...(await paidOrder(sim, url)), now: await now(sim) }),
  ),
  target(
    'v2.4 refund status query',
    ({ given }) => ({ version: 'v2.4', signType: '1', merchantId: MERCHANT, orderNo: given.orderNo, refundAmount: '30', mchtRefundOrderNo: given.mchtRefundOrderNo }),
    textRequest('/allinpay/mchtoq/refundQuery', REFUND_QUERY_ORDER),
    judgeRefundQuery,
    refunded,
  ),
  control('sms', () => ({ cardNo: DEBIT.cardNo, phone: DEBIT.phone, holder: DEBIT.holder, idNumber: DEBIT.idNumber }), 'multipart', onControl),
  control('pay', (given) => ({ cardNo: DEBIT.cardNo, phone: DEBIT.phone, smsCode: given.smsCode! }), 'form', smsSent),
];
