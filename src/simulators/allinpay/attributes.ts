import type { Order, OrderState } from '../../core/domain.js';

/** Where an order came from: the mobile control's payData, or the web gateway's browser form. */
export type Channel = 'mobile' | 'web';

/** What the sandbox keeps on an order beyond the engine's columns (notifyUrl = receiveUrl, returnUrl = pickupUrl). */
export interface AllinpayAttributes {
  family: 'allinpay';
  channel: Channel;
  inputCharset: string;
  version: string;
  signType: string;
  orderDatetime: string;
  /** As sent, `156` when absent (ALP-6). */
  orderCurrency: string;
  /** As sent, but `00` read as `0` (ALP-6). */
  payType: string;
  productName: string;
  language?: string;
  issuerId?: string;
  tradeNature?: string;
  ext1?: string;
  ext2?: string;
  /** payData cardNo: the card number the control shows pre-filled. */
  cardNo?: string;
  /** Member mode: the id inside ext1's `<USER>…</USER>`. */
  memberId?: string;
  /** The signing source (no key): a resubmission of the very same order shows the page again. */
  signed: string;
  /** How the payer paid, once paid. */
  card?: { number: string; bank: string; type: string };
  /** The payer left the control without paying (sync result -1). */
  cancelled?: boolean;
}

export function allinpayAttributes(order: Pick<Order, 'attributes'>): AllinpayAttributes | undefined {
  return order.attributes.family === 'allinpay' ? (order.attributes as unknown as AllinpayAttributes) : undefined;
}

/** payType 30 is the international card payment (§2.1), pre-authorised (§4). */
export const isInternational = (payType: string) => payType === '30';

/** States in which the payment succeeded, so it is answered with payResult 1 ("仅在支付成功时通知"). */
const SUCCEEDED: ReadonlySet<OrderState> = new Set(['paid', 'partially_refunded', 'refunded']);
export const succeeded = (state: OrderState) => SUCCEEDED.has(state);

/** `6222021307418529630` → `622202******9630`. */
export const maskCard = (number: string) => `${number.slice(0, 6)}${'*'.repeat(Math.max(0, number.length - 10))}${number.slice(-4)}`;

/** Scenario products: `mobile.choose` (payType 0), `mobile.card` (27), `mobile.intl` (30), `web.gateway` (the web form). */
export const PRODUCTS = ['mobile.choose', 'mobile.card', 'mobile.intl', 'web.gateway'] as const;

export function productOf(channel: Channel, payType: string): (typeof PRODUCTS)[number] {
  if (channel === 'web') return 'web.gateway';
  return payType === '30' ? 'mobile.intl' : payType === '27' ? 'mobile.card' : 'mobile.choose';
}
