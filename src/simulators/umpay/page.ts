import type { Merchant, Order } from '../../core/domain.js';
import type { BrowserReturn, PageModel, PlatformContext } from '../../core/simulator.js';
import { umpayAttributes } from './attributes.js';
import { bankName, CREDIT_BANKS, DEBIT_BANKS, isPayType } from './banks.js';
import { signingString, platformSign } from './signature.js';
import { orderFields } from './order-view.js';

const TYPE_LABEL = { CREDITCARD: '信用卡', DEBITCARD: '借记卡' } as const;

/** The cashier's bank list under 借记卡 (§8) and 信用卡 (§7), as the payer picks the card type first. */
const H5_GROUPS = [
  { label: `${TYPE_LABEL.DEBITCARD}（${Object.keys(DEBIT_BANKS).length}家银行）`, values: Object.keys(DEBIT_BANKS).map((code) => `DEBITCARD:${code}`) },
  { label: `${TYPE_LABEL.CREDITCARD}（${Object.keys(CREDIT_BANKS).length}家银行）`, values: Object.keys(CREDIT_BANKS).map((code) => `CREDITCARD:${code}`) },
];

/** Every bank the H5 cashier offers: §7 (credit cards) and §8 (debit cards), as `PAY_TYPE:GATE_ID`. */
export const H5_CHOICES: Record<string, string> = Object.fromEntries([
  ...Object.entries(DEBIT_BANKS).map(([code, name]) => [`DEBITCARD:${code}`, `${name} ${TYPE_LABEL.DEBITCARD}`]),
  ...Object.entries(CREDIT_BANKS).map(([code, name]) => [`CREDITCARD:${code}`, `${name} ${TYPE_LABEL.CREDITCARD}`]),
]);

/**
 * The hosted pages: the H5 cashier first lists the banks of §7/§8 (the payer
 * picks a card type and bank), then shows a bank page with Pay / Fail. A
 * quick-pay order's payer confirms with the SMS code, not in a browser: its
 * page (linked from the dashboard) shows the masked card, and its buttons are
 * the operator's, acting as the bank would without an SMS.
 */
export function describe(order: Order, merchant: Merchant): PageModel {
  const attributes = umpayAttributes(order);
  const merchantName = merchant.name ?? merchant.merchantId;
  const card = attributes?.card ? `${attributes.card.number} ${attributes.card.holder}` : '';
  const goods = [attributes?.goodsInf, card].filter(Boolean).join(' · ');
  // The request's and the notification's own names (§6: goods_inf 商品描述信息, amount 付款金额, trade_no 联动交易号…).
  const labels = {
    merchant: '商户名称',
    goods: '商品描述信息',
    amount: '付款金额',
    orderNo: '商户唯一订单号:订单日期',
    platformOrderNo: '联动交易号',
    createdAt: '下单时间',
    expiresAt: '订单过期时间',
    pay: '确认支付',
  };
  const dated = attributes ? [{ label: '原商户订单日期', value: attributes.merDate }] : [];
  if (attributes?.flow === 'h5' && !attributes.chosen) {
    return { kind: 'chooser', productLabel: '联动优势 H5收银台 · 请选择支付银行', goods, merchantName, choices: H5_CHOICES, choiceGroups: H5_GROUPS, labels, details: dated };
  }
  const payType = attributes?.payType;
  const channel = payType && attributes?.gateId ? `${bankName(attributes.gateId)} ${TYPE_LABEL[payType]}` : '';
  const flow = attributes?.flow === 'h5' ? 'H5收银台' : '快捷支付';
  return {
    kind: 'bank',
    productLabel: `联动优势 ${flow}${channel ? ` · ${channel}` : ''}`,
    goods,
    merchantName,
    labels,
    details: [
      ...(payType ? [{ label: '支付方式', value: TYPE_LABEL[payType] }] : []),
      ...(attributes?.gateId ? [{ label: '支付银行', value: `${bankName(attributes.gateId)}（${attributes.gateId}）` }] : []),
      ...dated,
    ],
  };
}

/** The payer's pick on the cashier page: its pay_type and gate_id go on the order. */
export function choose(_order: Order, choice: string): Record<string, unknown> {
  const [payType, gateId] = choice.split(':');
  return isPayType(payType) && gateId ? { payType, gateId } : {};
}

/**
 * 前台通知: after the payer acts, the browser posts the result to ret_url
 * (research brief §7: the browser return is a POST), with the back
 * notification's fields, signed the same way. Without a ret_url it stays on
 * the sandbox's page.
 */
export function browserReturn(order: Order, _merchant: Merchant, { platformKeys }: PlatformContext): BrowserReturn | null {
  const attributes = umpayAttributes(order);
  if (!attributes || attributes.flow !== 'h5' || !order.returnUrl || !platformKeys) return null;
  const fields = { service: 'pay_result_notify', charset: attributes.charset, version: '4.0', ...orderFields(order) };
  return { method: 'POST', url: order.returnUrl, fields: { ...fields, sign_type: 'RSA', sign: platformSign(signingString(fields), platformKeys.privateKey) } };
}
