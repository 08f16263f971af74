import { envelope, micropayBody, MMSP_KEY, orderNo, prepayBody } from '../support/mmsp.js';
import { cardPayBody, merchantSign, OPEN_HEADER, OPEN_MERCHANT, quickClient, quickEnvelope, type Card } from '../support/mmsp-quick.js';
import type { RunningSandbox } from '../support/sandbox.js';
import { isObject, once, parseJson, type FuzzAnswer, type FuzzContext, type FuzzTarget, type Verdict } from './framework.js';

/**
 * MMSP (seed 001) on `POST /mmsp/api`: scan pay, quick pay and the gateway's
 * queries, one JSON envelope whose Body the merchant signs with its MD5 key
 * (signed here by the merchant implementation of test/support/mmsp-quick.ts,
 * written from the document); and the gateway's `web_api` form on
 * `POST /mmsp/gateway`. Only the Body is fuzzed: the header stays valid, so
 * the hostile values reach the signature check and, signed, the business checks.
 */

/** The merchant whose key signs: the default test merchant, or one with every quick-pay switch on (781, 774, 775, 776). */
interface Signer {
  header: Record<string, unknown>;
  key: string;
}
const DEFAULT: Signer = { header: {}, key: MMSP_KEY };
const OPEN: Signer = { header: OPEN_HEADER, key: OPEN_MERCHANT.md5Key };

/** The shared test cards (GET /_sim/cards) the quick-pay requests name: one that pays, and a credit card for bind mode B. */
const DEBIT: Card = { number: '6222021307418529630', type: 'debit', bank: '中国工商银行', holder: '张三', idNumber: '110105199003071239', phone: '13800138000', behaviour: 'ok' };
const CREDIT: Card = {
  number: '4563517307418529',
  type: 'credit',
  bank: '中国银行',
  holder: '赵六',
  idNumber: '510107198808094561',
  phone: '13600136000',
  validDate: '1230',
  cvv2: '123',
  behaviour: 'ok',
};

/** The Sign a merchant computes, or one made with a key that is not the merchant's. */
const signFor = (body: Record<string, unknown>, key: string, sign: boolean) => merchantSign(body, sign ? key : 'not-the-merchant-key');

/**
 * The envelope's answers (扫码 §3.1, §11; 快捷 §3.1): RetCode 1 with a Body
 * signed by the merchant's key and CommandID request + 0x8000; RetCode 0 the
 * negative reply (CommandID 32768, empty Body and Sign, ErrorMsg `[-code] …`)
 * — a refusal, except `[-9998]`, the sandbox's own fault. The scripted system
 * error (magic amount 2004) is no answer at all: the connection drops. A signed
 * reply is accepted unless `refusal` says its Body refuses and changes nothing.
 */
function judgeEnvelope(answer: FuzzAnswer, options: { key: string; replyIds: number[]; refusal?: (body: Record<string, unknown>) => boolean }): Verdict {
  // No MMSP envelope document defines a system error: magic amount 2004 drops the connection after the state change
  // (scan/failures.ts), for scan pay, quick pay and the gateway alike.
  if (answer.dropped) return 'accepted';
  const reply = parseJson(answer.text);
  if (answer.status !== 200 || !isObject(reply) || typeof reply.ErrorMsg !== 'string') return 'unreadable';
  if (reply.RetCode === 1) {
    if (!options.replyIds.includes(reply.CommandID) || !isObject(reply.Body) || reply.Sign !== merchantSign(reply.Body, options.key)) return 'unreadable';
    return options.refusal?.(reply.Body) ? 'rejected' : 'accepted';
  }
  if (reply.RetCode !== 0 || reply.CommandID !== 0x8000 || reply.Body !== '' || reply.Sign !== '') return 'unreadable';
  const code = /^\[(-\d{4})\] \S/.exec(reply.ErrorMsg)?.[1];
  if (code === undefined) return 'unreadable';
  return code === '-9998' ? 'internal' : 'rejected';
}

/** A `POST /mmsp/api` target: the Body is the fuzzed fields, the header the merchant's. */
function command(
  id: number,
  name: string,
  fields: (context: FuzzContext) => Record<string, unknown>,
  options: { signer?: Signer; prepare?: FuzzTarget['prepare']; refusal?: (body: Record<string, unknown>) => boolean; scan?: boolean } = {},
): FuzzTarget {
  const signer = options.signer ?? DEFAULT;
  const header = options.scan ? envelope(id, {}) : quickEnvelope(id, {}, signer.header, signer.key);
  return {
    name: `mmsp ${id} ${name}`,
    prepare: async (sim, notifyUrl) => {
      if (signer === OPEN) await openMerchant(sim);
      return (await options.prepare?.(sim, notifyUrl)) ?? {};
    },
    fields,
    encode: (body, { sign }) => ({
      method: 'POST',
      path: '/mmsp/api',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...header, Body: body, Sign: signFor(body, signer.key, sign) }),
    }),
    judge: (answer) =>
      judgeEnvelope(answer, {
        key: signer.key,
        // 776 is also the scan document's QQ micropay, answered 2326's reply (MMSP-12).
        replyIds: id === 776 ? [776 + 0x8000, 2326 + 0x8000] : [id + 0x8000],
        ...(options.refusal ? { refusal: options.refusal } : {}),
      }),
  };
}

/** 扫码: a signed reply may refuse (STATUS 2) and still keep a record (a refused refund is kept, 10.6), so every signed reply counts as accepted. */
const scan = (id: number, name: string, fields: (context: FuzzContext) => Record<string, unknown>, prepare?: FuzzTarget['prepare']) =>
  command(id, name, fields, { scan: true, ...(prepare ? { prepare } : {}) });

/** A WeChat QR pre-order placed (not paid), large enough for any refund amount the fuzzer tries, magic ones included. */
async function prepaid(sim: RunningSandbox, notifyUrl: string) {
  const body = prepayBody(notifyUrl, { AMT: '10000' });
  await send(sim, 2306, body);
  return { MERORDERID: body.MERORDERID };
}

/** The pre-order paid by its payer (the operator's pay), and pushed. */
async function scanPaid(sim: RunningSandbox, notifyUrl: string) {
  const order = await prepaid(sim, notifyUrl);
  await sim.post(`/_sim/orders/mmsp/${order.MERORDERID}/pay`);
  await sim.advance(0);
  return order;
}

/** A refund of 1 fen of a paid pre-order, accepted. */
async function scanRefunded(sim: RunningSandbox, notifyUrl: string) {
  const order = await scanPaid(sim, notifyUrl);
  const REFUND_MERORDERID = orderNo('R');
  await send(sim, 2312, { MERORDERID: order.MERORDERID, REFUND_MERORDERID, AMT: '1', RANDSTR: 'r' });
  return { REFUND_MERORDERID };
}

const lookup = (given: Record<string, string>) => ({ MERORDERID: given.MERORDERID, RANDSTR: 'r' });

export const MMSP_SCAN_TARGETS: FuzzTarget[] = [
  scan(2306, 'wechat prepay', ({ notifyUrl }) => prepayBody(notifyUrl)),
  scan(2307, 'wechat micropay', ({ notifyUrl }) => micropayBody(notifyUrl)),
  scan(2308, 'alipay prepay', ({ notifyUrl }) => prepayBody(notifyUrl)),
  scan(2310, 'query', ({ given }) => lookup(given), scanPaid),
  scan(2311, 'cancel', ({ given }) => lookup(given), prepaid),
  scan(2314, 'close', ({ given }) => lookup(given), prepaid),
  scan(2312, 'refund', ({ given }) => ({ ...lookup(given), REFUND_MERORDERID: orderNo('R'), AMT: '1' }), scanPaid),
  scan(2313, 'refund query', ({ given }) => ({ REFUND_MERORDERID: given.REFUND_MERORDERID, RANDSTR: 'r' }), scanRefunded),
];

/**
 * Quick-pay and gateway refusals (STATUS 2 with ERRCODE, 快捷 §5.3.3) that
 * change nothing: elements that do not match or a closed order (D4), a state
 * that forbids it (12), a used number (94), bindings (B1–B4), a resend within
 * 60 s (S2), batch paging out of range (30). The others are outcomes with a
 * record behind them: a card that fails the order (05, 51, 54), a wrong code
 * counted or the code voided (55, 75), a code found expired (S1).
 */
const QUICK_REFUSALS = new Set(['D4', '12', '94', 'B1', 'B2', 'B3', 'B4', 'S2', '30']);
const quickRefusal = (body: Record<string, unknown>) => body.STATUS === '2' && QUICK_REFUSALS.has(String(body.ERRCODE));

const quick = (id: number, name: string, fields: (context: FuzzContext) => Record<string, unknown>, options: { signer?: Signer; prepare?: FuzzTarget['prepare'] } = {}) =>
  command(id, name, fields, { ...options, refusal: quickRefusal });

/** Registers the merchant with every quick-pay switch on (the sandbox keeps merchants across resets). */
const openMerchant = once(async (sim: RunningSandbox) => {
  await sim.post('/_sim/merchants', OPEN_MERCHANT);
});

const send = (sim: RunningSandbox, id: number, body: Record<string, unknown>, signer: Signer = DEFAULT) => quickClient(sim.url).send(id, body, signer.header, signer.key);
const smsCodeOf = async (sim: RunningSandbox, merOrderId: string) => String((await sim.get(`/_sim/orders?provider=mmsp&orderNo=${merOrderId}`))[0].smsCode);
/** The newest SMS challenge's code (781's parent is a binding, not an order). */
const newestSmsCode = async (sim: RunningSandbox) => String((await sim.get('/_sim/records?provider=mmsp&kind=sms&limit=1'))[0].attributes.code);
/** Today in China time, as the batch queries write it. */
const today = async (sim: RunningSandbox) => new Date(Date.parse((await sim.get('/_sim/health')).now) + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');

/** A 771 card payment placed (its code sent), optionally for a user (bind mode A). */
async function placed(sim: RunningSandbox, notifyUrl: string, signer: Signer = DEFAULT, extra: Record<string, string> = {}) {
  const body = cardPayBody(DEBIT, notifyUrl, extra);
  const reply = await send(sim, 771, body, signer);
  return { MERORDERID: body.MERORDERID, LIST_ID: String(reply.Body.LIST_ID), BIND_ID: String(reply.Body.BIND_ID ?? ''), MSG_CODE: await smsCodeOf(sim, body.MERORDERID) };
}

/** A card payment confirmed with its code: the order paid (and notified). */
async function paid(sim: RunningSandbox, notifyUrl: string, signer: Signer = DEFAULT, extra: Record<string, string> = {}) {
  const order = await placed(sim, notifyUrl, signer, extra);
  await send(sim, 772, { LIST_ID: order.LIST_ID, MSG_CODE: order.MSG_CODE }, signer);
  await sim.advance(0);
  return order;
}

/** An active binding of a fresh user (bind mode A: paying with USER_ID binds the card). */
async function binding(sim: RunningSandbox, notifyUrl: string) {
  const USER_ID = `U${orderNo()}`;
  const { BIND_ID } = await paid(sim, notifyUrl, OPEN, { USER_ID });
  return { BIND_ID, USER_ID };
}

/** A 780 bind-pay order placed, its code sent to the bound phone. */
async function bindPayOrder(sim: RunningSandbox, notifyUrl: string) {
  const bound = await binding(sim, notifyUrl);
  const MERORDERID = orderNo('BP');
  await send(sim, 780, { ...bound, MERORDERID, PHONENO: DEBIT.phone, AMT: '100' }, OPEN);
  return { ...bound, MERORDERID, MSG_CODE: await smsCodeOf(sim, MERORDERID) };
}

/** A 781 bind request (mode B), its code sent. */
async function bindRequest(sim: RunningSandbox) {
  const MERORDERID = orderNo('BD');
  const USER_ID = `U${orderNo()}`;
  await send(sim, 781, { MERORDERID, USER_ID, CARDNO: CREDIT.number, PHONENO: CREDIT.phone }, OPEN);
  return { MERORDERID, USER_ID, MSG_CODE: await newestSmsCode(sim) };
}

/** What the web_api form of 2322 carries besides the envelope (网关 §5.1.2). */
const gatewayBody = (notifyUrl: string) => ({
  MERORDERID: orderNo('G'),
  AMT: '666',
  NOTIFY_URL: notifyUrl,
  JUMP_URL: 'https://shop.example/return?from=gw',
  PAY_CHANNEL: 'YLBILL-NET-B2C',
  GOODSNAME: '测试商品',
  REMARK: '备注',
});

const webApiForm = (body: Record<string, unknown>, sign: boolean) =>
  new URLSearchParams({ web_api: JSON.stringify({ ...quickEnvelope(2322, {}), Body: body, Sign: signFor(body, MMSP_KEY, sign) }) }).toString();

/** A gateway order placed by the form and paid on its bank page (the operator's pay). */
async function gatewayPaid(sim: RunningSandbox, notifyUrl: string) {
  const body = gatewayBody(notifyUrl);
  await fetch(`${sim.url}/mmsp/gateway`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: webApiForm(body, true), redirect: 'manual' });
  await sim.post(`/_sim/orders/mmsp/${body.MERORDERID}/pay`);
  await sim.advance(0);
  return { MERORDERID: body.MERORDERID };
}

/**
 * 2322's form (网关 §5.1): a 303 to the bank page, or an HTML error page
 * (400) carrying the envelope error (`data-error`, the negative reply's code)
 * or the business refusal: `-9998` is the sandbox's fault; the scripted system
 * error (the order is placed and paid) drops the connection.
 */
function judgeGatewayForm(answer: FuzzAnswer): Verdict {
  if (answer.dropped) return 'accepted';
  if (answer.status === 303) return /\/pay\/mmsp\/\d+$/.test(answer.headers.get('location') ?? '') ? 'accepted' : 'unreadable';
  if (answer.status !== 400 || !(answer.headers.get('content-type') ?? '').startsWith('text/html')) return 'unreadable';
  const code = /data-error="([^"]+)"/.exec(answer.text)?.[1];
  if (code === undefined) return 'unreadable';
  return code === '-9998' ? 'internal' : 'rejected';
}

const batch = (given: Record<string, string>) => ({ START_DATE: given.today!, END_DATE: given.today!, PERPAGE: '10', PAGE: '1' });

export const MMSP_QUICK_TARGETS: FuzzTarget[] = [
  quick(771, 'quick card pay', ({ notifyUrl }) => cardPayBody(DEBIT, notifyUrl)),
  quick(772, 'quick sms confirm', ({ given }) => ({ LIST_ID: given.LIST_ID, MSG_CODE: given.MSG_CODE, RANDSTR: 'r' }), { prepare: (sim, url) => placed(sim, url) }),
  quick(773, 'quick query', ({ given }) => ({ MERORDERID: given.MERORDERID }), { prepare: (sim, url) => paid(sim, url) }),
  quick(777, 'quick batch query', ({ given }) => batch(given), { prepare: async (sim, url) => ({ ...(await paid(sim, url)), today: await today(sim) }) }),
  // A code may be sent again 60 s after the last (快捷 5.11): the clock moves on so that a valid resend is accepted.
  quick(778, 'quick sms resend', ({ given }) => ({ LIST_ID: given.LIST_ID, RANDSTR: 'r' }), {
    prepare: async (sim, url) => {
      const order = await placed(sim, url);
      await sim.advance(60);
      return order;
    },
  }),
  quick(
    780,
    'quick bind pay sms',
    ({ given }) => ({ BIND_ID: given.BIND_ID, MERORDERID: orderNo('BP'), USER_ID: given.USER_ID, PHONENO: DEBIT.phone, AMT: '100', RANDSTR: 'r' }),
    { signer: OPEN, prepare: binding },
  ),
  quick(
    779,
    'quick bind pay confirm',
    ({ notifyUrl, given }) => ({ BIND_ID: given.BIND_ID, MERORDERID: given.MERORDERID, USER_ID: given.USER_ID, AMT: '100', MSG_CODE: given.MSG_CODE, NOTIFY_URL: notifyUrl, RANDSTR: 'r' }),
    { signer: OPEN, prepare: bindPayOrder },
  ),
  quick(781, 'quick bind sms', () => ({ MERORDERID: orderNo('BD'), USER_ID: `U${orderNo()}`, CARDNO: CREDIT.number, PHONENO: CREDIT.phone, RANDSTR: 'r' }), { signer: OPEN }),
  quick(
    774,
    'quick bind',
    ({ given }) => ({
      MERORDERID: given.MERORDERID,
      USER_ID: given.USER_ID,
      CARDNO: CREDIT.number,
      CARDTYPE: '2',
      EXPDATE: CREDIT.validDate,
      CVN2: CREDIT.cvv2,
      NAME: CREDIT.holder,
      ID_NO: CREDIT.idNumber,
      PHONENO: CREDIT.phone,
      MSG_CODE: given.MSG_CODE,
      RANDSTR: 'r',
    }),
    { signer: OPEN, prepare: bindRequest },
  ),
  quick(775, 'quick unbind', ({ given }) => ({ BIND_ID: given.BIND_ID }), { signer: OPEN, prepare: binding }),
  quick(776, 'quick bind query', ({ given }) => ({ BIND_ID: given.BIND_ID }), { signer: OPEN, prepare: binding }),
  quick(783, 'quick unionpay order', ({ notifyUrl }) => ({ MERORDERID: orderNo('UP'), AMT: '2500', JUMP_URL: 'https://shop.example/done?x=1', NOTIFY_URL: notifyUrl, TRADE_MODE: '2', RANDSTR: 'r' })),
];

export const MMSP_GATEWAY_TARGETS: FuzzTarget[] = [
  {
    name: 'mmsp 2322 gateway web_api form',
    fields: ({ notifyUrl }) => gatewayBody(notifyUrl),
    encode: (body, { sign }) => ({
      method: 'POST',
      path: '/mmsp/gateway',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: webApiForm(body, sign),
    }),
    // Another method on /mmsp/gateway gets the same error page (mmsp/refusal.ts).
    judge: judgeGatewayForm,
  },
  quick(2323, 'gateway query', ({ given }) => ({ MERORDERID: given.MERORDERID }), { prepare: gatewayPaid }),
  quick(782, 'gateway batch query', ({ given }) => batch(given), { prepare: async (sim, url) => ({ ...(await gatewayPaid(sim, url)), today: await today(sim) }) }),
];

/**
 * The envelope itself fuzzed: its header fields (CommandID, SeqID, NodeType,
 * NodeID, Version, AGENTNO, MERNO, TERMNO) and the Body as a whole, around a
 * 773 query of a paid order; the Sign is the Body's when the Body is still an object.
 */
const ENVELOPE_TARGET: FuzzTarget = {
  name: 'mmsp envelope header (773)',
  prepare: (sim, url) => paid(sim, url),
  fields: ({ given }) => {
    const { Sign: _, ...envelope } = quickEnvelope(773, { MERORDERID: given.MERORDERID, RANDSTR: 'r' });
    return envelope;
  },
  encode: (envelope, { sign }) => ({
    method: 'POST',
    path: '/mmsp/api',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...envelope, Sign: isObject(envelope.Body) ? signFor(envelope.Body, MMSP_KEY, sign) : 'NOBODY' }),
  }),
  judge: (answer) => judgeEnvelope(answer, { key: MMSP_KEY, replyIds: [773 + 0x8000], refusal: quickRefusal }),
};

export const MMSP_TARGETS: FuzzTarget[] = [...MMSP_SCAN_TARGETS, ...MMSP_QUICK_TARGETS, ...MMSP_GATEWAY_TARGETS, ENVELOPE_TARGET];
