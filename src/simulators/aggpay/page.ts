import type { Merchant, Order } from '../../core/domain.js';
import type { BrowserReturn, PageModel } from '../../core/simulator.js';
import { BANK_CODES } from './codes.js';
import { attributesOf, payStatus } from './order-view.js';
import { callbackSign } from './signature.js';

/** bank_code chooses the page: a QR code (911, 912), a mobile page (901, 903) or a bank page (906). */
export function describe(order: Order, merchant: Merchant): PageModel {
  const attributes = attributesOf(order);
  const bank = BANK_CODES[attributes.bankCode];
  return {
    kind: bank.page,
    productLabel: bank.label,
    goods: attributes.productName,
    merchantName: merchant.name ?? merchant.merchantId,
    // §5.1's own words: product_name 商品名称, amount 支付金额, order_no 商户订单号.
    labels: {
      merchant: '商户',
      goods: '商品名称',
      amount: '支付金额',
      orderNo: '商户订单号',
      platformOrderNo: '平台订单号',
      createdAt: '创建时间',
      pay: bank.page === 'bank' ? '网银支付' : bank.page === 'qr' ? '扫码支付' : '立即支付',
    },
    details: [{ label: '支付方式', value: `${bank.label}（${attributes.bankCode}）` }],
    accent: bank.product.startsWith('wechat') ? '#07c160' : bank.product.startsWith('alipay') ? '#1677ff' : '#c8102e',
  };
}

/**
 * §5.3 同步通知: the browser POSTs order_no, pay_status and sign to return_url.
 * The rule of this sign is not stated; it is the callback rule over the fields
 * sent (PROVIDERS.md AGG-4).
 */
export function browserReturn(order: Order, merchant: Merchant): BrowserReturn | null {
  if (!order.returnUrl) return null;
  const fields: Record<string, string> = { order_no: order.orderNo, pay_status: String(payStatus(order)) };
  fields.sign = callbackSign(fields, merchant.md5Key ?? '');
  return { method: 'POST', url: order.returnUrl, fields };
}
