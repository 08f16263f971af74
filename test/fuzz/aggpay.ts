import { requestSign } from '../../src/simulators/aggpay/signature.js';
import { AGG_APPID, AGG_SECRET, aggClient, signed, unifiedParams } from '../support/aggpay.js';
import { formValue, parseJson, type FuzzAnswer, type FuzzTarget, type Verdict } from './framework.js';

/**
 * aggpay: PHP JSON with status "1" or "0"; its internal-error message is the
 * sandbox's fault. The document defines no system error, so magic amount 2004
 * drops the connection after the order is placed (docs/providers/aggpay.md).
 */
function judgeAgg(answer: FuzzAnswer): Verdict {
  if (answer.dropped) return 'accepted';
  const reply = parseJson(answer.text);
  if (answer.status !== 200 || !reply || (reply.status !== '1' && reply.status !== '0') || typeof reply.message !== 'string') return 'unreadable';
  if (reply.status === '1') return 'accepted';
  return reply.message.startsWith('沙箱内部错误') ? 'internal' : 'rejected';
}

const aggSign = (fields: Record<string, unknown>, sign: boolean) => {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) params[key] = formValue(value);
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
    // An order placed and paid, for the query to find.
    prepare: async (sim, notifyUrl) => {
      const params = unifiedParams(notifyUrl);
      await aggClient(sim.url).unified(signed(params));
      await sim.post(`/_sim/orders/aggpay/${params.order_no}/pay`);
      await sim.advance(0);
      return { order_no: params.order_no };
    },
    fields: ({ given }) => ({ appid: AGG_APPID, order_no: given.order_no }),
    encode: (fields, { sign }) => ({ method: 'GET', path: `/aggpay/api/order/check_order?${new URLSearchParams(aggSign(fields, sign))}` }),
    judge: judgeAgg,
  },
];
