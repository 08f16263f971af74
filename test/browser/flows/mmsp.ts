import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { envelope, MMSP_KEY, orderNo, prepayBody } from '../../support/mmsp.js';
import { merchantSign, quickEnvelope } from '../../support/mmsp-quick.js';
import { checkoutPage } from './checkout.js';
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

/**
 * A 2323 gateway query whose Sign is MD5(json + key): the key appended without
 * "&key=" (网关 §3.3 repeats 扫码 §3.3.2's rule), computed here apart from the sandbox.
 */
const keyWithoutJoin = {
  mistake: 'the key appended without "&key="',
  async send(context: FlowContext, order: { orderNo: string }) {
    const body = { MERORDERID: order.orderNo, RANDSTR: 'r4nd0m' };
    await send(context, { ...quickEnvelope(2323, body), Sign: md5(`${JSON.stringify(body)}${MMSP_KEY}`).toUpperCase() });
  },
};

/**
 * MMSP scan pay (扫码): the QR pre-order's page, and the H5 page that returns
 * to JUMP_URL; the online-banking gateway (网关): the merchant's page posts
 * the web_api form, the bank page of PAY_CHANNEL, back to JUMP_URL with the
 * signed 5.5 fields; UnionPay quick (快捷 783): the page a phone opens, back
 * to JUMP_URL with nothing.
 */
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
  {
    provider: 'mmsp',
    name: '2322 online banking (web_api form)',
    ack: 'SUCCESS',
    page: 'bank',
    shows: ['网银支付 · 银联（YLBILL-NET-B2C）', '商户名称', '交易金额', '¥6.66', '商品名称：网银测试', '银行通道'],
    async place(context) {
      const body = {
        MERORDERID: orderNo('G'),
        AMT: '666',
        NOTIFY_URL: `${context.merchant}/notify/mmsp`,
        JUMP_URL: `${context.merchant}/return/mmsp-gateway?from=gw`,
        PAY_CHANNEL: 'YLBILL-NET-B2C',
        GOODSNAME: '网银测试',
        REMARK: '浏览器测试',
      };
      // 网关 §5.1.2 "务必注意网关交易的请求方式和其他接口不一样": the browser posts the envelope in web_api.
      const page = context.checkout(checkoutPage(`${context.sandbox}/mmsp/gateway`, { web_api: JSON.stringify(quickEnvelope(2322, body)) }));
      return { payPageUrl: page, orderNo: body.MERORDERID };
    },
    // 网关 §5.5 前台页面通知: GET to JUMP_URL with the result fields, signed as a Body.
    front: {
      method: 'GET',
      path: '/return/mmsp-gateway',
      check(landing) {
        const query = new URL(landing.path, 'http://m').searchParams;
        expect(query.get('from')).toBe('gw');
        const { Sign, from: _from, ...fields } = Object.fromEntries(query);
        expect(fields).toMatchObject({ STATUS: '1', AMT: '666', PAY_CHANNEL: 'YLBILL-NET-B2C', GOODSNAME: '网银测试', REMARK: '浏览器测试' });
        expect(Sign).toBe(merchantSign(fields));
      },
    },
    badSignature: keyWithoutJoin,
  },
  {
    provider: 'mmsp',
    name: '783 UnionPay quick page',
    ack: 'SUCCESS',
    page: 'h5',
    shows: ['银联快捷支付', '商户名称', '交易金额', '¥25.00', '商户订单号'],
    async place(context) {
      const body = { MERORDERID: orderNo('UP'), AMT: '2500', JUMP_URL: `${context.merchant}/return/mmsp-unionpay`, NOTIFY_URL: `${context.merchant}/notify/mmsp`, TRADE_MODE: '1', RANDSTR: '1234567890' };
      const reply = await send(context, quickEnvelope(783, body));
      expect(reply.Body.STATUS, JSON.stringify(reply)).toBe('0');
      return { payPageUrl: reply.Body.PAY_URL, orderNo: body.MERORDERID };
    },
    // 快捷 §5.14.2 JUMP_URL: "前台支付成功跳转地址,不携带任何交易数据,只做展示用".
    front: {
      method: 'GET',
      path: '/return/mmsp-unionpay',
      check(landing) {
        expect(new URL(landing.path, 'http://m').search).toBe('');
      },
    },
  },
];
