import { createHash } from 'node:crypto';
import { requestSign } from '../../src/simulators/aggpay/signature.js';
import { signBody } from '../../src/simulators/mmsp/signature.js';
import { AGG_APPID, AGG_SECRET, unifiedParams } from '../support/aggpay.js';
import { ICASHIER_KEY, submitBody } from '../support/icashier.js';
import { envelope, micropayBody, MMSP_KEY, orderNo, prepayBody } from '../support/mmsp.js';
import type { FuzzAnswer, FuzzTarget, Verdict } from './framework.js';

const json = (text: string): any => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** MMSP (扫码): RetCode 1 is a signed answer; RetCode 0 the negative reply; [-9998] the sandbox's own fault. */
function judgeMmsp(answer: FuzzAnswer): Verdict {
  const reply = json(answer.text);
  if (answer.status !== 200 || !reply || typeof reply.RetCode !== 'number') return 'unreadable';
  if (reply.RetCode === 1) return typeof reply.Body === 'object' && typeof reply.Sign === 'string' ? 'accepted' : 'unreadable';
  if (typeof reply.ErrorMsg !== 'string' || reply.CommandID !== 32768) return 'unreadable';
  if (reply.ErrorMsg.startsWith('[-9998]')) return 'internal';
  // [-9999] is the scripted system error (magic amount 2004): the record exists.
  return reply.ErrorMsg.startsWith('[-9999]') ? 'accepted' : 'rejected';
}

function mmsp(command: number, name: string, fields: FuzzTarget['fields']): FuzzTarget {
  return {
    name: `mmsp ${command} ${name}`,
    fields,
    encode: (body, { sign }) => ({
      method: 'POST',
      path: '/mmsp/api',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...envelope(command, {}), Body: body, Sign: sign ? signOrNot(body) : 'WRONGSIGN' }),
    }),
    judge: judgeMmsp,
  };
}

/** A Body PHP could not encode (INF, NaN) cannot be signed either: it goes out with a sign that cannot match. */
function signOrNot(body: Record<string, unknown>): string {
  try {
    return signBody(body, MMSP_KEY);
  } catch {
    return 'UNSIGNABLE';
  }
}

const lookup = () => ({ MERORDERID: orderNo('Q'), RANDSTR: 'r' });

export const MMSP_TARGETS: FuzzTarget[] = [
  mmsp(2306, 'wechat prepay', ({ notifyUrl }) => prepayBody(notifyUrl)),
  mmsp(2307, 'wechat micropay', ({ notifyUrl }) => micropayBody(notifyUrl)),
  mmsp(2308, 'alipay prepay', ({ notifyUrl }) => prepayBody(notifyUrl)),
  mmsp(2310, 'query', lookup),
  mmsp(2311, 'cancel', lookup),
  mmsp(2314, 'close', lookup),
  mmsp(2312, 'refund', () => ({ ...lookup(), REFUND_MERORDERID: orderNo('R'), AMT: '1' })),
  mmsp(2313, 'refund query', () => ({ REFUND_MERORDERID: orderNo('R'), RANDSTR: 'r' })),
];

/** aggpay: PHP JSON with status "1" or "0"; its internal-error message is the sandbox's fault. */
function judgeAgg(answer: FuzzAnswer): Verdict {
  const reply = json(answer.text);
  if (answer.status !== 200 || !reply || (reply.status !== '1' && reply.status !== '0') || typeof reply.message !== 'string') return 'unreadable';
  if (reply.status === '1') return 'accepted';
  if (reply.message.startsWith('沙箱内部错误')) return 'internal';
  return reply.message === '系统繁忙，请稍后再试' ? 'accepted' : 'rejected';
}

const aggSign = (fields: Record<string, unknown>, sign: boolean) => {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) params[key] = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return { ...params, sign: sign ? requestSign(params, AGG_SECRET) : 'wrongsign' };
};

export const AGGPAY_TARGETS: FuzzTarget[] = [
  {
    name: 'aggpay unified',
    fields: ({ notifyUrl }) => unifiedParams(notifyUrl),
    encode: (fields, { sign }) => ({
      method: 'POST',
      path: '/aggpay/api/order/unified',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(aggSign(fields, sign)).toString(),
    }),
    judge: judgeAgg,
  },
  {
    name: 'aggpay check_order',
    fields: () => ({ appid: AGG_APPID, order_no: orderNo('A') }),
    encode: (fields, { sign }) => ({ method: 'GET', path: `/aggpay/api/order/check_order?${new URLSearchParams(aggSign(fields, sign))}` }),
    judge: judgeAgg,
  },
];

/** The cashier: a 303 to the cashier page, or `{resp, sign}` whose respcode 98 is the sandbox's fault. */
function judgeCashier(answer: FuzzAnswer): Verdict {
  if (answer.status === 303) return 'accepted';
  const reply = json(answer.text);
  if (answer.status !== 200 || !reply || typeof reply.resp !== 'string' || typeof reply.sign !== 'string') return 'unreadable';
  const message = json(Buffer.from(reply.resp, 'base64').toString('utf8'));
  if (!message || typeof message.respcode !== 'string') return 'unreadable';
  if (message.respcode === '98') return 'internal';
  return message.respcode === '00' || message.respcode === '99' ? 'accepted' : 'rejected';
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const cashierForm = (fields: Record<string, unknown>, sign: boolean) => {
  const req = Buffer.from(JSON.stringify(fields), 'utf8').toString('base64');
  return new URLSearchParams({ req, sign: sign ? md5(req + ICASHIER_KEY) : 'wrong' }).toString();
};

export const ICASHIER_TARGETS: FuzzTarget[] = [
  {
    name: 'icashier submit (POST)',
    fields: ({ notifyUrl }) => submitBody(notifyUrl),
    encode: (fields, { sign }) => ({
      method: 'POST',
      path: '/icashier/api/icashier',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: cashierForm(fields, sign),
    }),
    judge: judgeCashier,
  },
  {
    name: 'icashier submit (GET)',
    fields: ({ notifyUrl }) => submitBody(notifyUrl),
    encode: (fields, { sign }) => ({ method: 'GET', path: `/icashier/apis/icashier?${cashierForm(fields, sign)}` }),
    judge: judgeCashier,
  },
  {
    name: 'icashier query',
    fields: () => ({ merid: '880000000000001', orderid: orderNo('C') }),
    encode: (fields, { sign }) => ({
      method: 'POST',
      path: '/icashier/api/query',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: cashierForm(fields, sign),
    }),
    judge: judgeCashier,
  },
];
