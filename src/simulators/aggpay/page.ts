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
