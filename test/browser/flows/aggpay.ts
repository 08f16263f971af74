import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { AGG_APPID, AGG_SECRET, callbackValid, signed, unifiedParams } from '../../support/aggpay.js';
import type { BrowserFlow, FlowContext } from './types.js';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function unified(bankCode: string, name: string, page: BrowserFlow['page'], shows: string[]): BrowserFlow {
  return {
    provider: 'aggpay',
    name,
    ack: 'SUCCESS',
    page,
    shows,
    async place(context) {
      const params = unifiedParams(`${context.merchant}/notify/aggpay`, {
        bank_code: bankCode,
        amount: '1250',
        product_name: '浏览器测试商品',
        return_url: `${context.merchant}/return/aggpay`,
      });
      const response = await fetch(`${context.sandbox}/aggpay/api/order/unified`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(signed(params)).toString(),
      });
      const reply = (await response.json()) as any;
      expect(reply.status, JSON.stringify(reply)).toBe('1');
      return { payPageUrl: reply.data.redirect_url, orderNo: params.order_no };
    },
    // §5.3 同步通知: the browser POSTs order_no, pay_status and sign to return_url.
    front: {
      method: 'POST',
      path: '/return/aggpay',
      check(landing) {
        const form = Object.fromEntries(new URLSearchParams(landing.body));
        expect(form.pay_status).toBe('1');
        expect(callbackValid(form)).toBe(true);
      },
    },
  };
}

/** An order query whose parameters are signed in the order sent (order_no first), not sorted (§4). */
const unsortedQuery = {
  mistake: 'parameters in the order sent, not sorted by name',
  async send(context: FlowContext, order: { orderNo: string }) {
    const params = { order_no: order.orderNo, appid: AGG_APPID };
    const sign = md5(`order_no=${order.orderNo}&appid=${AGG_APPID}&secret=${AGG_SECRET}`);
    await fetch(`${context.sandbox}/aggpay/api/order/check_order?${new URLSearchParams({ ...params, sign })}`);
  },
};

/** 综合支付平台: a page for each kind of bank_code (§6). */
export const AGGPAY_FLOWS: BrowserFlow[] = [
  { ...unified('912', '912 WeChat QR', 'qr', ['微信扫码', '商品名称', '浏览器测试商品', '¥12.50']), badSignature: unsortedQuery },
  unified('901', '901 Alipay H5', 'h5', ['支付宝H5', '立即支付']),
  unified('906', '906 online banking', 'bank', ['网银支付']),
];
