import iconv from 'iconv-lite';
import { expect } from 'vitest';
import { ackPage, formEncode, GATEWAY, loadKeys, MER_ID, merDateOf, orderId, plain, rsaSign, rsaVerify, umpayClient, type UmpayKeys } from '../../support/umpay.js';
import type { BrowserFlow, FlowContext, PlacedOrder } from './types.js';

/** The test merchant's keys and the platform certificate, as GET /_sim/keys serves them (read again for each order). */
let keys: UmpayKeys | undefined;

const getter = (context: FlowContext) => async (path: string) => (await fetch(`${context.sandbox}${path}`)).json();

/**
 * A query_order whose sign covers sign_type too ("sign、sign_type不参与签名",
 * §2.3.1): sorted, raw values, SHA1withRSA over UTF-8 with node-forge — the
 * merchant's side, apart from the sandbox.
 */
const signTypeSigned = {
  mistake: 'sign_type signed too',
  expected: /^[A-Za-z0-9+/]{100,}={0,2}$/,
  async send(context: FlowContext, order: PlacedOrder) {
    const [order_id, mer_date] = order.orderNo.split(':') as [string, string];
    const fields: Record<string, string> = { service: 'query_order', charset: 'UTF-8', mer_id: MER_ID, sign_type: 'RSA', res_format: 'HTML', version: '4.0', order_id, mer_date };
    const text = Object.keys(fields)
      .sort()
      .map((name) => `${name}=${fields[name]}`)
      .join('&');
    fields.sign = rsaSign(text, keys!.merchantPrivateKey);
    await fetch(`${context.sandbox}${GATEWAY}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formEncode(fields) });
  },
};

/** UMPay's H5 cashier (pay_req_h5_frontpage): the bank list, the bank's page, the signed POST to ret_url. */
export const UMPAY_FLOWS: BrowserFlow[] = [
  {
    provider: 'umpay',
    name: 'H5 cashier, bank list',
    // §2.2.3 通知消息的响应: the merchant's META page, its CONTENT signed with the merchant's key.
    ack: '<html><head><META NAME="MobilePayPlatform" CONTENT="mer_id=',
    acknowledge(notification) {
      const query = new URL(notification.path, 'http://m').searchParams;
      const fields = { mer_id: query.get('mer_id')!, order_id: query.get('order_id')!, mer_date: query.get('mer_date')!, ret_code: '0000', ret_msg: 'success', version: '4.0' };
      return ackPage(fields, keys!.merchantPrivateKey);
    },
    page: 'chooser',
    choose: '招商银行 借记卡',
    shows: ['联动优势 H5收银台', '商品描述信息：会员月卡', '付款金额', '¥9.90', '联动交易号'],
    async place(context) {
      keys = await loadKeys(getter(context));
      const client = umpayClient(context.sandbox, keys);
      const fields = client.build('pay_req_h5_frontpage', {
        order_id: orderId('H'),
        mer_date: await merDateOf(getter(context)),
        amount: '990',
        goods_inf: '会员月卡',
        notify_url: `${context.merchant}/notify/umpay`,
        ret_url: `${context.merchant}/return/umpay`,
      });
      // The SDK's H5FrontPageMap: the browser is sent to the gateway with the signed parameters in the URL.
      return { payPageUrl: `${context.sandbox}${GATEWAY}?${formEncode(fields)}`, orderNo: `${fields.order_id}:${fields.mer_date}` };
    },
    // 前台通知: the browser POSTs the result to ret_url, signed with the platform key over the GBK bytes.
    front: {
      method: 'POST',
      path: '/return/umpay',
      check(landing) {
        const form = Object.fromEntries(new URLSearchParams(landing.body));
        expect(form).toMatchObject({ service: 'pay_result_notify', trade_state: 'TRADE_SUCCESS', amount: '990', pay_type: 'DEBITCARD', gate_id: 'CMB', sign_type: 'RSA' });
        expect(rsaVerify(iconv.encode(plain(form), 'gbk'), form.sign!, keys!.platformCertificate)).toBe(true);
      },
    },
    badSignature: signTypeSigned,
  },
];
