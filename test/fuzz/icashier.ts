import { createHash } from 'node:crypto';
import { ICASHIER_KEY, ICASHIER_MERCHANT, icashierClient, submitBody } from '../support/icashier.js';
import { parseJson, type FuzzAnswer, type FuzzTarget, type Verdict } from './framework.js';

/**
 * The cashier: a 303 to the cashier page, or `{resp, sign}` whose respcode 98
 * is the sandbox's fault. The document defines no system error, so magic
 * amount 2004 drops the connection after the order is placed (docs/providers/icashier.md).
 */
function judgeCashier(answer: FuzzAnswer): Verdict {
  if (answer.dropped) return 'accepted';
  if (answer.status === 303) return 'accepted';
  const reply = parseJson(answer.text);
  if (answer.status !== 200 || !reply || typeof reply.resp !== 'string' || typeof reply.sign !== 'string') return 'unreadable';
  const message = parseJson(Buffer.from(reply.resp, 'base64').toString('utf8'));
  if (!message || typeof message.respcode !== 'string') return 'unreadable';
  if (message.respcode === '98') return 'internal';
  return message.respcode === '00' ? 'accepted' : 'rejected';
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
    // An order submitted and paid, for the query to find.
    prepare: async (sim, notifyUrl) => {
      const body = submitBody(notifyUrl);
      await (await icashierClient(sim.url).submit(body)).arrayBuffer();
      await sim.post(`/_sim/orders/icashier/${String(body.orderid)}/pay`);
      await sim.advance(0);
      return { orderid: String(body.orderid) };
    },
    fields: ({ given }) => ({ merid: ICASHIER_MERCHANT, orderid: given.orderid }),
    encode: (fields, { sign }) => ({
      method: 'POST',
      path: '/icashier/api/query',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: cashierForm(fields, sign),
    }),
    judge: judgeCashier,
  },
];
