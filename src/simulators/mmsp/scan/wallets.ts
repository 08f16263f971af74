import type { Merchant, Order } from '../../../core/domain.js';
import { isSandboxError } from '../../../core/errors.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstDateTime } from '../../../core/time-format.js';
import { BODY_CODES } from '../codes.js';
import { BusinessError, EnvelopeError } from '../errors.js';

export type Wallet = 'wechat' | 'alipay' | 'qq' | 'jd' | 'unionpay';

/**
 * TRADETYPE of query replies and pushes: 1 WeChat, 2 Alipay, 3 QQ Wallet
 * (扫码 §10.3). The document has no value for JD and UnionPay orders; 4 and 5
 * are the sandbox's (PROVIDERS.md MMSP-25).
 */
export const WALLET_TRADETYPE: Record<Wallet, string> = { wechat: '1', alipay: '2', qq: '3', jd: '4', unionpay: '5' };

export const WALLET_LABEL: Record<Wallet, string> = {
  wechat: '微信支付',
  alipay: '支付宝',
  qq: 'QQ钱包',
  jd: '京东支付',
  unionpay: '银联钱包',
};

/** Every scan product (what scenarios match on): wallet, then how the payer pays. */
export const SCAN_PRODUCTS = [
  'wechat.qr',
  'wechat.jsapi',
  'wechat.miniprogram',
  'wechat.micropay',
  'wechat.h5',
  'alipay.qr',
  'alipay.jsapi',
  'alipay.static',
  'alipay.dynamic',
  'alipay.micropay',
  'alipay.h5',
  'qq.qr',
  'qq.jsapi',
  'qq.micropay',
  'jd.qr',
  'unionpay.qr',
] as const;

/** What the scan simulator keeps about an order beyond the engine's columns. */
export interface ScanAttributes {
  family: 'scan';
  wallet: Wallet;
  /** prepay (QR / official account), micropay (刷卡), h5 */
  mode: 'prepay' | 'micropay' | 'h5';
  /** The request's TRADETYPE (1 正扫, 2 公众号/服务窗) where it had one. */
  tradeType?: string;
  goodsName: string;
  terminalId: string;
  agentNo: string;
  signerId: string;
  jumpUrl?: string;
  openId?: string;
  payInfo?: string;
}

export function scanAttributes(order: Order): ScanAttributes | undefined {
  return order.attributes.family === 'scan' ? (order.attributes as unknown as ScanAttributes) : undefined;
}

/** Orders expire five minutes after creation unless TIME_END says otherwise (扫码 §5.1.2 TIME_END). */
export const DEFAULT_EXPIRY_MS = 5 * 60 * 1000;

/** STATUS (and ERR_CODE) of a query about an order (扫码 §10.3.2: 1 success, 2 failed, 3 paying). */
export function queryStatus(order: Order): Record<string, string> {
  switch (order.state) {
    case 'paid':
    case 'partially_refunded':
    case 'refunded':
      return { STATUS: '1' };
    case 'created':
    case 'pending':
    case 'processing':
    case 'held':
      return { STATUS: '3', ERR_CODE: BODY_CODES.PAYING.code, ERR_CODE_MSG: BODY_CODES.PAYING.text };
    case 'failed':
      return { STATUS: '2', ERR_CODE: BODY_CODES.DECLINED.code, ERR_CODE_MSG: BODY_CODES.DECLINED.text };
    case 'closed':
    case 'reversed':
      return { STATUS: '2', ERR_CODE: BODY_CODES.CLOSED.code, ERR_CODE_MSG: BODY_CODES.CLOSED.text };
  }
}

/** The order fields every query, cancel and close reply carries (扫码 §10.3.2). */
export function orderFields(order: Order): Record<string, string> {
  const attributes = scanAttributes(order);
  return {
    ORDERNO: order.platformOrderNo,
    AMT: String(order.amount),
    TRADETIME: cstDateTime(order.createdAt),
    PAYTIME: order.paidAt === null ? '' : cstDateTime(order.paidAt),
    MERORDERID: order.orderNo,
    TRADETYPE: attributes ? WALLET_TRADETYPE[attributes.wallet] : '',
  };
}

/**
 * Finds a scan order of this merchant by ORDERNO or MERORDERID; when both are
 * sent they must name the same order. Another merchant's order is "not found"
 * ([-2002] 没有该订单, the document's own example).
 */
export function findScanOrder(sim: SimulatorContext, merchant: Merchant, body: Record<string, unknown>): Order {
  const platformNo = body.ORDERNO ? String(body.ORDERNO) : undefined;
  const orderNo = body.MERORDERID ? String(body.MERORDERID) : undefined;
  const order = platformNo
    ? sim.store.orders.findByPlatformNo('mmsp', platformNo)
    : sim.store.orders.findByOrderNo('mmsp', merchant.merchantId, orderNo!);
  if (
    !order ||
    order.merchantId !== merchant.merchantId ||
    !scanAttributes(order) ||
    (platformNo && orderNo && order.orderNo !== orderNo)
  ) {
    throw new EnvelopeError('ORDER_NOT_FOUND', platformNo ?? orderNo);
  }
  return order;
}

/** Runs a state change, turning the engine's "not allowed" into STATUS 2 with ERR_CODE 12. */
export function transitionOrRefuse<T>(run: () => T, refusal: string, fields: Record<string, unknown>): T {
  try {
    return run();
  } catch (error) {
    if (isSandboxError(error, 'INVALID_TRANSITION')) throw new BusinessError('NOT_ALLOWED', refusal, fields);
    throw error;
  }
}
