import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { ICASHIER_KEY, sealValid, signed, submitBody, unseal } from '../../support/icashier.js';
import type { BrowserFlow, FlowContext } from './types.js';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function submit(action: string, name: string, page: BrowserFlow['page'], shows: string[], choose?: string): BrowserFlow {
  return {
    provider: 'icashier',
    name,
    ack: '0000',
    page,
    shows,
    ...(choose ? { choose } : {}),
    async place(context) {
      const message = submitBody(`${context.merchant}/notify/icashier`, { action, txnamt: 2350, fronturl: `${context.merchant}/return/icashier` });
      const response = await fetch(`${context.sandbox}/icashier/api/icashier`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(signed(message)).toString(),
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      return { payPageUrl: response.headers.get('location')!, orderNo: String(message.orderid) };
    },
    // 3.2 前台通知: back to fronturl by GET with resp + sign.
    front: {
      method: 'GET',
      path: '/return/icashier',
      check(landing) {
        const query = new URL(landing.path, 'http://m').searchParams;
        const sealed = unseal(query.get('resp')!, query.get('sign')!);
        expect(sealValid(sealed)).toBe(true);
        expect(sealed.message.resultcode).toBe('0000');
      },
    },
  };
}

/** A query whose sign is over the URL-encoded req rather than the raw Base64 (§2.3). */
const encodedSign = {
  mistake: 'URL-encoded req',
  async send(context: FlowContext, order: { orderNo: string }) {
    let req = '';
    for (let pad = ''; ; pad += ' ') {
      req = Buffer.from(JSON.stringify({ merid: '880000000000001', orderid: order.orderNo, remark: pad }), 'utf8').toString('base64');
      if (/[+/=]/.test(req)) break;
    }
    await fetch(`${context.sandbox}/icashier/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ req, sign: md5(encodeURIComponent(req) + ICASHIER_KEY) }).toString(),
    });
  },
};

/** 收银台: the QR cashier, the bank page and the Arbi chooser (§3.1.1). */
export const ICASHIER_FLOWS: BrowserFlow[] = [
  { ...submit('WeiXin', 'WeiXin QR cashier', 'qr', ['收银台 · 微信支付', '收款商户', '¥23.50']), badSignature: encodedSign },
  submit('Bank', 'Bank (银联) page', 'bank', ['收银台 · 银联支付', '网银支付']),
  submit('Arbi', 'Arbi chooser, then AliPay', 'chooser', ['收银台 · 请选择支付方式'], '支付宝支付'),
];
