import { recordToOrder, type Order } from '../../../core/domain.js';
import { annotate } from '../../../core/exchange.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import type { UmpayOrderAttributes } from '../attributes.js';
import { banksFor, isPayType, type PayType } from '../banks.js';
import { TRADE_STATE } from '../codes.js';
import { UmpayError } from '../errors.js';
import { fen, merDate, optional, required } from '../fields.js';
import { ok, type ServiceDefinition, type VerifiedRequest } from '../service.js';
import { activeBinding, type BindingAttributes } from './bindings.js';
import { orderNumber, tradeNumber } from './common.js';

/** "目前联动订单的默认有效时间为24个小时…expire_time…单位为分钟，时间为24小时内" (FAQ). */
export const DEFAULT_EXPIRY_MINUTES = 24 * 60;

/** The payElements tags, in the order the document lists them (快捷支付-支付+签约 注). */
const CREDIT_ELEMENTS = ['valid_date', 'cvv2', 'card_id', 'card_holder', 'identity_type', 'identity_code'];
const DEBIT_ELEMENTS = ['card_id', 'card_holder', 'identity_type', 'identity_code'];
/**
 * 协议支付 asks only for what is missing ("若为协议支付则判断是否有缺少的支付要素"):
 * the sandbox keeps no CVV2 or expiry date, so a credit card's channel asks for
 * them again; a debit card needs nothing but the SMS code.
 */
const AGREEMENT_CREDIT_ELEMENTS = ['valid_date', 'cvv2'];

/** The order's expiry: expire_time minutes, at most 24 h (PROVIDERS.md UMP-16: longer is a parameter error). */
export function expiryMinutes(values: Record<string, string>): number {
  const raw = optional(values, 'expire_time');
  if (raw === undefined) return DEFAULT_EXPIRY_MINUTES;
  const minutes = Number(raw);
  if (minutes < 1 || minutes > DEFAULT_EXPIRY_MINUTES) throw new UmpayError('BAD_FIELD', 'expire_time（单位分钟，须在24小时内：1至1440）');
  return minutes;
}

/** The order fields every order service reads the same way (下单 parameters; H5 收银台 list, seed lines 24–43). */
export function commonOrderFields(values: Record<string, string>) {
  const orderId = required(values, 'order_id');
  const date = merDate(values);
  const amount = fen(values, 'amount');
  optional(values, 'amt_type');
  return {
    orderId,
    merDate: date,
    amount,
    notifyUrl: optional(values, 'notify_url') ?? null,
    retUrl: optional(values, 'ret_url') ?? null,
    expiresInMinutes: expiryMinutes(values),
    goodsId: optional(values, 'goods_id'),
    goodsInf: optional(values, 'goods_inf'),
    merPriv: optional(values, 'mer_priv'),
    expand: optional(values, 'expand'),
    userIp: optional(values, 'user_ip'),
    merCustId: optional(values, 'mer_cust_id'),
  };
}

/** Attributes with the undefined ones left out (the JSON column keeps no holes). */
export const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/**
 * apply_pay_shortcut (快捷支付 1.1 下单), one service for the three flows:
 * - 支付: pay_type + gate_id; the answer lists every element the user must give.
 * - 支付+签约: the same with mer_cust_id; the payment signs an agreement.
 * - 协议支付: usr_pay_agreement_id (+ usr_busi_agreement_id); only the missing elements.
 * The order is created unscripted: magic amounts and scenarios play on the
 * payment the confirm sets off (kinds.ts).
 */
export const applyPayShortcut: ServiceDefinition = {
  name: 'apply_pay_shortcut',
  title: '快捷支付下单',
  product: 'quick',
  handle(request: VerifiedRequest, sim: SimulatorContext, c) {
    const { values, merchant } = request;
    const common = commonOrderFields(values);
    annotate(c, { orderNo: orderNumber(common.orderId, common.merDate) });
    const payAgreementId = optional(values, 'usr_pay_agreement_id');
    const busiAgreementId = optional(values, 'usr_busi_agreement_id');
    const mediaId = optional(values, 'media_id');
    const mediaType = optional(values, 'media_type');

    let payType: PayType;
    let gateId: string;
    let elements: string[];
    let product: string;
    let agreement: BindingAttributes | undefined;
    if (payAgreementId !== undefined || busiAgreementId !== undefined) {
      if (payAgreementId === undefined) throw new UmpayError('MISSING', 'usr_pay_agreement_id');
      agreement = activeBinding(sim, merchant.merchantId, payAgreementId)?.attributes as BindingAttributes | undefined;
      // FAQ "调用协议支付接口…报“业务协议依赖的支付协议关系不存在”": unknown, unbound, or not this user's.
      if (
        !agreement ||
        (busiAgreementId !== undefined && busiAgreementId !== agreement.busiAgreementId) ||
        (common.merCustId !== undefined && common.merCustId !== agreement.merCustId)
      ) {
        throw new UmpayError('AGREEMENT_MISSING', `usr_pay_agreement_id=${payAgreementId}`);
      }
      payType = agreement.payType;
      gateId = agreement.gateId;
      elements = payType === 'CREDITCARD' ? AGREEMENT_CREDIT_ELEMENTS : [];
      product = 'quick.agreement';
    } else {
      const type = required(values, 'pay_type');
      if (!isPayType(type)) throw new UmpayError('BAD_FIELD', 'pay_type');
      payType = type;
      gateId = required(values, 'gate_id');
      // FAQ 00131040 "未找到支持当前发卡行、卡类型的可用支付通道": a bank outside the list for this card type.
      if (!Object.hasOwn(banksFor(payType), gateId)) throw new UmpayError('NO_CHANNEL', `${gateId}不支持${payType}`);
      elements = payType === 'CREDITCARD' ? CREDIT_ELEMENTS : DEBIT_ELEMENTS;
      // 支付+签约 "下单时需同时传入mer_cust_id"; without it the payment binds nothing (FAQ).
      product = common.merCustId ? 'quick.bind' : 'quick.pay';
    }

    const attributes: UmpayOrderAttributes = defined({
      family: 'umpay',
      orderId: common.orderId,
      merDate: common.merDate,
      charset: request.charset,
      flow: 'quick',
      payType,
      gateId,
      goodsId: common.goodsId,
      goodsInf: common.goodsInf,
      merPriv: common.merPriv,
      expand: common.expand,
      userIp: common.userIp,
      mediaId: agreement ? agreement.mobile : mediaId,
      mediaType: mediaType ?? (agreement ? 'MOBILE' : undefined),
      merCustId: agreement ? agreement.merCustId : common.merCustId,
      busiAgreementId: agreement?.busiAgreementId,
      payAgreementId: agreement?.payAgreementId,
      payElements: elements,
      card: agreement?.card,
    });
    const now = sim.clock.now();
    const order: Order = recordToOrder(
      sim.create(c, {
        provider: 'umpay',
        kind: 'order',
        merchantId: merchant.merchantId,
        number: orderNumber(common.orderId, common.merDate),
        platformNumber: tradeNumber,
        product,
        amount: common.amount,
        notifyUrl: common.notifyUrl,
        returnUrl: common.retUrl,
        attributes: attributes as unknown as Record<string, unknown>,
        expiresAt: now + common.expiresInMinutes * 60_000,
        scripted: false,
      }),
    );
    return ok({
      mer_id: merchant.merchantId,
      order_id: common.orderId,
      mer_date: common.merDate,
      trade_no: order.platformOrderNo,
      trade_state: TRADE_STATE.WAIT,
      // The document's spelling (快捷支付-支付+签约 注: 字段“payElements”), tags joined by ",".
      payElements: elements.join(','),
    });
  },
};
