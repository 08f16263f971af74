import type { Merchant, Order } from '../../core/domain.js';
import type { BrowserReturn, PageModel } from '../../core/simulator.js';
import { gatewayAttributes } from './gateway/attributes.js';
import { channelLabel } from './gateway/channels.js';
import { frontNotification } from './gateway/results.js';
import { maskCard, quickAttributes } from './quick/attributes.js';
import { scanAttributes, WALLET_LABEL } from './scan/wallets.js';

/** Each wallet's colour, as its own pay pages show it. */
const WALLET_ACCENT = { wechat: '#07c160', alipay: '#1677ff', qq: '#12b7f5', jd: '#e1251b', unionpay: '#d7000f' } as const;

const MODE_LABEL = { prepay: '扫码支付', micropay: '付款码支付', h5: 'H5支付' } as const;
const QUICK_LABEL = { card: '快捷支付', bindpay: '快捷绑卡支付', unionpay: '银联快捷支付' } as const;

/** The field names of the gateway and quick-pay documents (网关 §5.1.2, 快捷 §5.14): MERORDERID, LIST_ID, AMT, GOODSNAME. */
const ENVELOPE_LABELS = {
  merchant: '商户名称',
  goods: '商品名称',
  amount: '交易金额',
  orderNo: '商户订单号',
  platformOrderNo: '平台订单号',
  createdAt: '交易时间',
  expiresAt: '订单失效时间',
} as const;

const CARD_TYPE_LABEL: Record<string, string> = { '1': '借记卡', '2': '信用卡' };

/** What the hosted page shows: a QR code for native pre-orders, a mobile page for H5 and official accounts. */
export function describe(order: Order, merchant: Merchant): PageModel {
  const merchantName = merchant.name ?? merchant.merchantId;
  // 网关 §5.1: "MMSP引导用户跳转到网银页面" — the online-banking page of PAY_CHANNEL.
  const gateway = gatewayAttributes(order);
  if (gateway) {
    return {
      kind: 'bank',
      productLabel: `网银支付 · ${channelLabel(gateway.channel)}`,
      goods: gateway.goodsName ?? '',
      merchantName,
      labels: { ...ENVELOPE_LABELS, pay: '网银支付' },
      details: [
        { label: '银行通道', value: channelLabel(gateway.channel) },
        ...(gateway.remark ? [{ label: '备注信息', value: gateway.remark }] : []),
      ],
      ...(gateway.channel === 'YLBILL-NET-B2C' ? { accent: WALLET_ACCENT.unionpay } : {}),
    };
  }
  // 快捷 §4.2.3 流程C: "手机端打开此链接" — the UnionPay quick page; 771/780 orders are paid by SMS code, their page is the operator's.
  const quick = quickAttributes(order);
  if (quick) {
    const card = quick.card;
    return {
      kind: 'h5',
      productLabel: QUICK_LABEL[quick.mode],
      goods: '',
      merchantName,
      labels: { ...ENVELOPE_LABELS, pay: quick.mode === 'unionpay' ? '银联快捷支付' : '确认支付' },
      details: [
        { label: '支付方式', value: QUICK_LABEL[quick.mode] },
        ...(card ? [{ label: '银行卡', value: `${card.bank} ${CARD_TYPE_LABEL[card.type] ?? ''} ${maskCard(card.number)}`.replace(/\s+/g, ' ') }] : []),
        ...(quick.mode === 'unionpay' ? [] : [{ label: '说明', value: '持卡人以短信验证码确认（772/779）；本页按钮供测试人员代替银行操作' }]),
      ],
      accent: WALLET_ACCENT.unionpay,
    };
  }
  const attributes = scanAttributes(order);
  const qr = attributes?.mode === 'prepay' && attributes.tradeType !== '2';
  const label = attributes ? `${WALLET_LABEL[attributes.wallet]} · ${MODE_LABEL[attributes.mode]}` : order.product;
  return {
    kind: qr ? 'qr' : 'h5',
    productLabel: attributes?.tradeType === '2' ? `${label}（公众号/服务窗）` : label,
    goods: attributes?.goodsName ?? '',
    merchantName: merchant.name ?? merchant.merchantId,
    // The scan document names the same fields the same way (扫码 §5: GOODSNAME, AMT, MERORDERID, ORDERNO).
    labels: {
      ...ENVELOPE_LABELS,
      pay: qr ? '确认支付' : '立即支付',
      scanHint: `请使用${attributes ? WALLET_LABEL[attributes.wallet] : ''}扫一扫（沙箱：手机扫码打开本页）`,
    },
    details: [{ label: '支付方式', value: label }],
    ...(attributes ? { accent: WALLET_ACCENT[attributes.wallet] } : {}),
  };
}

/**
 * H5 returns the browser to JUMP_URL ("前端支付跳转地址"); the document defines no parameters for it.
 * The gateway sends it to JUMP_URL by GET with the signed result fields (网关 §5.5 前台页面通知);
 * UnionPay quick (783) to JUMP_URL, "不携带任何交易数据,只做展示用".
 */
export function browserReturn(order: Order, merchant: Merchant): BrowserReturn | null {
  const gateway = gatewayAttributes(order);
  if (gateway) return { method: 'GET', url: gateway.jumpUrl, fields: frontNotification(order, merchant) };
  const quick = quickAttributes(order);
  if (quick) return quick.jumpUrl ? { method: 'GET', url: quick.jumpUrl, fields: {} } : null;
  const attributes = scanAttributes(order);
  if (attributes?.mode !== 'h5' || !attributes.jumpUrl) return null;
  return { method: 'GET', url: attributes.jumpUrl, fields: {} };
}
