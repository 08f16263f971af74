import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  cstCompact,
  DEBIT,
  KEY,
  md5,
  MERCHANT,
  ORDER_DATETIME,
  orderNo,
  payData,
  RESULT_ORDER,
  signed,
  signOf,
  WEB_ORDER,
} from '../../support/allinpay.js';
import { checkoutPage } from './checkout.js';
import type { BrowserFlow, FlowContext, PlacedOrder } from './types.js';

/**
 * The payer on the payment control: the card number (pre-filled when payData
 * sent cardNo), the reserved phone, 获取验证码, then the code the page shows
 * (the sandbox prints it where a phone would receive it).
 */
async function cardAndSms(page: Page): Promise<void> {
  await page.fill('input[name=cardNo]', DEBIT.cardNo);
  await page.fill('input[name=phone]', DEBIT.phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  const code = (await page.locator('#sms-code').innerText()).trim();
  expect(code).toMatch(/^\d{6}$/);
  await page.fill('input[name=smsCode]', code);
}

/**
 * A single-order query (§3.1, v1.5) whose fields are signed sorted by name
 * rather than in the table's order — MD5 upper case with `&key=`, computed
 * here apart from the sandbox.
 */
const sortedQuery = {
  mistake: 'fields sorted by name, not in the order of the interface',
  async send(context: FlowContext, order: PlacedOrder) {
    const health = (await (await fetch(`${context.sandbox}/_sim/health`)).json()) as { now: string };
    const fields: Record<string, string> = {
      merchantId: MERCHANT,
      version: 'v1.5',
      signType: '0',
      orderNo: order.orderNo,
      orderDatetime: ORDER_DATETIME,
      queryDatetime: cstCompact(health.now),
    };
    const source = Object.keys(fields)
      .sort()
      .map((name) => `${name}=${fields[name]}`)
      .join('&');
    fields.signMsg = md5(`${source}&key=${KEY}`);
    await fetch(`${context.sandbox}/allinpay/gateway/index.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  },
};

/** Allinpay (通联): payData's payment control, and the web gateway form that comes back to pickupUrl. */
export const ALLINPAY_FLOWS: BrowserFlow[] = [
  {
    provider: 'allinpay',
    name: 'payData, payment control (card, phone, SMS code)',
    // §2.2.3: any answer of the merchant's receiveUrl is taken as received (HTTP 2xx).
    ack: 'success',
    page: 'control',
    shows: ['通联支付 · 移动支付控件', '商户名称', '订单金额', '¥19.99', '商品名称：浏览器测试', '通联订单号'],
    async place(context) {
      const fields = payData(`${context.merchant}/notify/allinpay`, { orderAmount: '1999', productName: '浏览器测试' });
      // The control posts payData as a form field, as a WebView does (ALP-1: the document gives no address).
      const page = context.checkout(checkoutPage(`${context.sandbox}/allinpay/mobile/pay`, { payData: JSON.stringify(fields) }));
      return { payPageUrl: page, orderNo: fields.orderNo! };
    },
    beforePay: cardAndSms,
    // The control answers the app (payResult), not a browser: the payer stays on its result.
    front: null,
    badSignature: sortedQuery,
  },
  {
    provider: 'allinpay',
    name: 'web gateway form, back to pickupUrl',
    ack: 'success',
    page: 'control',
    shows: ['通联支付 · 网关支付', '¥25.00', '商品名称：网关商品'],
    async place(context) {
      const fields = signed(
        {
          inputCharset: '1',
          pickupUrl: `${context.merchant}/return/allinpay`,
          receiveUrl: `${context.merchant}/notify/allinpay`,
          version: 'v1.0',
          language: '1',
          signType: '0',
          merchantId: MERCHANT,
          orderNo: orderNo('WEB'),
          orderAmount: '2500',
          orderCurrency: '0',
          orderDatetime: ORDER_DATETIME,
          productName: '网关商品',
          payType: '0',
        },
        WEB_ORDER,
      );
      const page = context.checkout(checkoutPage(`${context.sandbox}/allinpay/gateway/index.do`, fields));
      return { payPageUrl: page, orderNo: fields.orderNo! };
    },
    beforePay: cardAndSms,
    // pickupUrl: the browser brings the notification's fields and signMsg back (POST).
    front: {
      method: 'POST',
      path: '/return/allinpay',
      check(landing) {
        const form = Object.fromEntries(new URLSearchParams(landing.body));
        expect(form).toMatchObject({ merchantId: MERCHANT, payResult: '1', orderAmount: '2500', payAmount: '2500' });
        expect(form.signMsg).toBe(signOf(form, RESULT_ORDER));
      },
    },
  },
];
