import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { envelope, MMSP_KEY, orderNo, prepayBody } from '../../support/mmsp.js';
import type { BrowserFlow, FlowContext } from './types.js';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

async function send(context: FlowContext, payload: unknown): Promise<any> {
  const response = await fetch(`${context.sandbox}/mmsp/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return response.json();
}

/**
 * A 2310 query signed as a JavaScript merchant often does it: JSON.stringify of
 * the Body as written (RANDSTR first), not sorted A–Z (扫码 §3.3.2).
 */
const unsortedQuery = {
  mistake: 'keys in the order sent, not sorted A–Z',
  async send(context: FlowContext, order: { orderNo: string }) {
    const body = { RANDSTR: 'r4nd0m', MERORDERID: order.orderNo };
    await send(context, { ...envelope(2310, body), Sign: md5(`${JSON.stringify(body)}&key=${MMSP_KEY}`).toUpperCase() });
  },
};

/** MMSP scan pay (扫码): the QR pre-order's page, and the H5 page that returns to JUMP_URL. */
export const MMSP_FLOWS: BrowserFlow[] = [
  {
    provider: 'mmsp',
    name: '2306 WeChat QR pre-order',
    ack: 'SUCCESS',
    page: 'qr',
    shows: ['微信支付 · 扫码支付', '商品名称', '浏览器测试'],
    async place(context) {
      const body = prepayBody(`${context.merchant}/notify/mmsp`, { GOODSNAME: '浏览器测试', AMT: '1999' });
      const reply = await send(context, envelope(2306, body));
      expect(reply.Body.STATUS, JSON.stringify(reply)).toBe('1');
      return { payPageUrl: reply.Body.URL, orderNo: body.MERORDERID };
    },
    // The scan document sends no browser back from a QR payment: the payer stays on the result page.
    front: null,
    badSignature: unsortedQuery,
  },
  {
    provider: 'mmsp',
    name: '2321 WeChat H5',
    ack: 'SUCCESS',
    page: 'h5',
    shows: ['微信支付 · H5支付', '立即支付'],
    async place(context) {
      const body = {
        AMT: '880',
        CUR: 'CNY',
        MERORDERID: orderNo('H'),
        RANDSTR: 'r4nd0m',
        GOODSNAME: 'H5测试',
        NOTIFY_URL: `${context.merchant}/notify/mmsp`,
        JUMP_URL: `${context.merchant}/return/mmsp?from=h5`,
      };
      const reply = await send(context, envelope(2321, body));
      expect(reply.Body.STATUS, JSON.stringify(reply)).toBe('1');
      return { payPageUrl: reply.Body.URL, orderNo: body.MERORDERID };
    },
    // JUMP_URL "前端支付跳转地址": the document defines no parameters for it.
    front: {
      method: 'GET',
      path: '/return/mmsp',
      check(landing) {
        expect(new URL(landing.path, 'http://m').searchParams.get('from')).toBe('h5');
      },
    },
  },
];
