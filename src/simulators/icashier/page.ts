import type { Merchant, Order } from '../../core/domain.js';
import type { BrowserReturn, PageModel } from '../../core/simulator.js';
import { CHANNEL_LABEL, isChannel, type Channel } from './actions.js';
import { cashierAttributes } from './attributes.js';
import { seal } from './envelope.js';
import { frontFields } from './results.js';

/** The channel the page shows: the action itself, or for Arbi the payer's choice once made. */
function channelOf(order: Order): Channel | undefined {
  const attributes = cashierAttributes(order);
  if (!attributes) return undefined;
  return attributes.action === 'Arbi' ? attributes.channel : attributes.action;
}

/**
 * 3.1.1 "跳转到支付界面完成支付": a QR page for WeiXin and AliPay, an online-banking
 * page for Bank (银联), and for Arbi a chooser of the merchant's channels first.
 */
export function describe(order: Order, merchant: Merchant): PageModel {
  const attributes = cashierAttributes(order);
  const channel = channelOf(order);
  const merchantName = merchant.name ?? merchant.merchantId;
  const bindCard = attributes?.bindCard;
  const goods = bindCard ? `绑卡付：${bindCard.accname} ${bindCard.accno}` : '';
  if (attributes?.action === 'Arbi' && !channel) {
    return {
      kind: 'chooser',
      productLabel: '收银台 · 请选择支付方式',
      goods,
      merchantName,
      choices: Object.fromEntries(attributes.choices.map((choice) => [choice, CHANNEL_LABEL[choice]])),
    };
  }
  const label = channel ? CHANNEL_LABEL[channel] : order.product;
  return {
    kind: channel === 'Bank' ? 'bank' : 'qr',
    productLabel: `收银台 · ${label}${bindCard ? '（绑卡付）' : ''}`,
    goods,
    merchantName,
    // §3.1's names: txnamt 交易金额, orderid 商户订单号, queryid 交易流水号.
    labels: { merchant: '收款商户', goods: '交易信息', amount: '交易金额', orderNo: '商户订单号', platformOrderNo: '交易流水号', pay: channel === 'Bank' ? '网银支付' : '确认付款' },
    details: [{ label: '支付渠道', value: label }],
    accent: channel === 'WeiXin' ? '#07c160' : channel === 'AliPay' ? '#1677ff' : '#c8102e',
  };
}

/** Arbi: the payer's pick, kept on the order (the page validated it against `choices`). */
export function choose(_order: Order, choice: string): Record<string, unknown> {
  return isChannel(choice) ? { channel: choice } : {};
}

/**
 * 3.2 前台通知: the browser goes back to fronturl by GET with resp + sign
 * (§2.3 step 3); without a fronturl it stays on the sandbox's result page.
 */
export function browserReturn(order: Order, merchant: Merchant): BrowserReturn | null {
  if (!cashierAttributes(order) || !order.returnUrl) return null;
  const { resp, sign } = seal(frontFields(order), merchant.md5Key ?? '');
  return { method: 'GET', url: order.returnUrl, fields: { resp, sign } };
}
