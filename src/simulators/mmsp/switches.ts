import type { Merchant } from '../../core/domain.js';
import { EnvelopeError } from './errors.js';

/**
 * Per-merchant product switches of quick pay and the gateway: which commands
 * operations opened for the merchant ("如需接入绑卡流程，请先咨询运营人员使用哪种绑卡流程",
 * 快捷 §4.1). The defaults follow the document: what its command table marks
 * 暂未开通 is off (781, 774 bind mode B; 775 unbind; 776 bind query), the rest on.
 * A merchant turns one on or off with `settings.products`, e.g.
 * `{"settings": {"products": {"quick.unbind": true, "gateway": false}}}`.
 */
export const PRODUCT_SWITCHES = {
  quick: { default: true, label: '快捷支付 (771 772 773 777 778)' },
  'quick.bindpay': { default: true, label: '绑卡支付 (780 779)' },
  'quick.bind': { default: false, label: '鉴权绑卡 绑卡模式B (781 774, 暂未开通)' },
  'quick.unbind': { default: false, label: '解绑 (775, 暂未开通)' },
  'quick.bindquery': { default: false, label: '绑卡查询 (776, 暂未开通)' },
  'quick.unionpay': { default: true, label: '银联快捷下单 (783)' },
  gateway: { default: true, label: '网关支付 (2322 2323 782)' },
} as const;

export type ProductSwitch = keyof typeof PRODUCT_SWITCHES;

/** Whether the merchant has the product: its own `settings.products` entry, else the document's default. */
export function hasProduct(merchant: Merchant, product: string): boolean {
  const own = (merchant.settings.products as Record<string, unknown> | undefined)?.[product];
  if (typeof own === 'boolean') return own;
  return (PRODUCT_SWITCHES as Record<string, { default: boolean }>)[product]?.default ?? true;
}

/** Refuses a merchant without the product with the platform's 暂未开通 (快捷 §3.2.1), naming it. */
export function requireProduct(merchant: Merchant, product: string | undefined): void {
  if (product === undefined || hasProduct(merchant, product)) return;
  const label = (PRODUCT_SWITCHES as Record<string, { label: string }>)[product]?.label ?? product;
  throw new EnvelopeError('NOT_ENABLED', label, `merchant ${merchant.merchantId} lacks product ${product}: set settings.products["${product}"] to true`);
}
