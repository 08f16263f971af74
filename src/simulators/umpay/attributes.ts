import type { Order } from '../../core/domain.js';
import type { PayType } from './banks.js';

/**
 * What UMPay keeps on an order beyond the engine's columns. Card data is kept
 * masked, as the platform shows card numbers; `cardRef` finds the test card
 * again without keeping its number.
 */
export interface UmpayOrderAttributes {
  family: 'umpay';
  /** The merchant's own identity of the order: unique per (mer_id, mer_date, order_id) (FAQ "订单不存在"). */
  orderId: string;
  merDate: string;
  /** The request's charset: notifications travel in it. */
  charset: string;
  flow: 'quick' | 'h5';
  payType?: PayType;
  gateId?: string;
  goodsId?: string;
  goodsInf?: string;
  merPriv?: string;
  expand?: string;
  userIp?: string;
  mediaId?: string;
  mediaType?: string;
  /** 支付+签约 / 协议支付: the merchant's user. */
  merCustId?: string;
  busiAgreementId?: string;
  payAgreementId?: string;
  /** 用户所需填写的支付要素, as answered to apply_pay_shortcut. */
  payElements: string[];
  /** The card as the SMS request gave it: masked for display. */
  card?: MaskedCard;
  /** The failure code of a declined payment (notification `error_code`). */
  errorCode?: string;
  /** H5: the payer's choice on the cashier page. */
  chosen?: string;
}

export interface MaskedCard {
  /** sha256 of the number, first 16 hex digits: finds the test card again. */
  ref: string;
  number: string;
  lastFour: string;
  holder: string;
  identityType: string;
  identityCode: string;
  mobile: string;
}

export function umpayAttributes(order: Order): UmpayOrderAttributes | undefined {
  return order.attributes.family === 'umpay' ? (order.attributes as unknown as UmpayOrderAttributes) : undefined;
}

/**
 * `6222021307418529630` → `622202*********9630`: the first six and last four
 * digits, as UMPay's pages and statements print a card number (and as the
 * notification's `last_four_cardid` implies).
 */
export const maskCard = (number: string) => `${number.slice(0, 6)}${'*'.repeat(Math.max(0, number.length - 10))}${number.slice(-4)}`;

/** `张三丰` → `*三丰`. */
export const maskName = (name: string) => (name.length <= 1 ? '*' : `*${name.slice(1)}`);

/** `110105199003071239` → `110105********1239`. */
export const maskId = (id: string) => (id.length <= 10 ? id : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`);

/** `13800138000` → `138****8000`. */
export const maskMobile = (mobile: string) => (mobile.length < 11 ? mobile : `${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
