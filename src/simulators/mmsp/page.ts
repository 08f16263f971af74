import type { Merchant, Order } from '../../core/domain.js';
import type { BrowserReturn, PageModel } from '../../core/simulator.js';
import { scanAttributes, WALLET_LABEL } from './scan/wallets.js';

const MODE_LABEL = { prepay: '扫码支付', micropay: '付款码支付', h5: 'H5支付' } as const;

/** What the hosted page shows: a QR code for native pre-orders, a mobile page for H5 and official accounts. */
export function describe(order: Order, merchant: Merchant): PageModel {
  const attributes = scanAttributes(order);
  const qr = attributes?.mode === 'prepay' && attributes.tradeType !== '2';
  const label = attributes ? `${WALLET_LABEL[attributes.wallet]} · ${MODE_LABEL[attributes.mode]}` : order.product;
  return {
    kind: qr ? 'qr' : 'h5',
    productLabel: attributes?.tradeType === '2' ? `${label}（公众号/服务窗）` : label,
    goods: attributes?.goodsName ?? '',
    merchantName: merchant.name ?? merchant.merchantId,
  };
}

/** H5 returns the browser to JUMP_URL ("前端支付跳转地址"); the document defines no parameters for it. */
export function browserReturn(order: Order): BrowserReturn | null {
  const attributes = scanAttributes(order);
  if (attributes?.mode !== 'h5' || !attributes.jumpUrl) return null;
  return { method: 'GET', url: attributes.jumpUrl, fields: {} };
}
