import { decodeBytes, encodeForm, encodeText } from '../../core/codec/charset.js';
import { recordToRefund } from '../../core/domain.js';
import type { AckContext, MerchantReply, NotificationChannel, NotificationRequest, RecordEvent } from '../../core/simulator.js';
import { umpayAttributes } from './attributes.js';
import { RET } from './codes.js';
import { findMetaContent, splitContent } from './meta.js';
import { orderFields } from './order-view.js';
import { refundFields } from './services/trades.js';
import { platformSign, signingString, verifyBytes } from './signature.js';

export const PAY_CHANNEL = 'pay_result_notify';
export const REFUND_CHANNEL = 'refund_notify';

/**
 * Retries: the document gives no cadence (PROVIDERS.md UMP-5) and no public
 * UMPay source does either (research brief §7: the demos only say the platform
 * "会继续发送" until a valid answer). PROVIDERS.md's recommendation: the first
 * attempt at once, then retries 1, 5, 15, 30 and 60 minutes after it — gaps of
 * 0, 60, 240, 600, 900 and 1800 s, six attempts.
 */
export const SCHEDULE = [0, 60, 240, 600, 900, 1800];

/**
 * A notification as UMPay sends it: an HTTP GET of notify_url with the fields
 * in the query string (research brief §7: "后台是get通知"), URL-encoded in the
 * order's charset, signed with the platform key over the GBK bytes of the
 * sorted string (the SDKs verify platform data over GBK). The SDKs verify
 * every parameter they receive but sign and sign_type (§2.3.1 "凡是通知返回回来
 * 的参数皆是要签名的参数"), so parameters notify_url already carries are signed too.
 */
function getRequest(url: string, fields: Record<string, string>, charset: string, privateKey: string) {
  const own = Object.fromEntries([...new URL(url).searchParams].filter(([name]) => !(name in fields) && name !== 'sign' && name !== 'sign_type'));
  const sign = platformSign(signingString({ ...own, ...fields }), privateKey);
  const target = `${url}${url.includes('?') ? '&' : '?'}${encodeForm({ ...fields, sign_type: 'RSA', sign }, charset)}`;
  return { method: 'GET' as const, url: target };
}

/**
 * 支付结果通知 (seed lines 44–72; `service=pay_result_notify` and the wire
 * names of the public SDKs' rule, research brief §7): the order's fields as
 * the query answers them, with service, charset and version.
 */
export const payChannel: NotificationChannel = {
  schedule: SCHEDULE,
  encode(payload, { platformKeys }) {
    const { order } = payload;
    const charset = umpayAttributes(order)?.charset ?? 'UTF-8';
    const fields = { service: 'pay_result_notify', charset, version: '4.0', ...orderFields(order) };
    return getRequest(order.notifyUrl!, fields, charset, platformKeys!.privateKey);
  },
  isAck: (reply, context) => isSignedAck(reply, context, true),
};

/**
 * The refund result, to the refund's notify_url (mer_refund). Its fields are
 * those of the official PHP demo's refund notification (research brief §7):
 * mer_id, mer_date, order_id, refund_no, refund_amt, refund_state, error_code,
 * version, sign_type, sign.
 */
export const refundChannel: NotificationChannel = {
  schedule: SCHEDULE,
  encode(payload, { platformKeys }) {
    const { order, record } = payload;
    const charset = umpayAttributes(order)?.charset ?? 'UTF-8';
    const refund = recordToRefund(record);
    const { mer_id, mer_date, order_id, refund_no, refund_amount, refund_state } = refundFields(refund, order);
    const fields = {
      mer_id: mer_id!,
      mer_date: mer_date!,
      order_id: order_id!,
      refund_no: refund_no!,
      refund_amt: refund_amount!,
      refund_state: refund_state!,
      error_code: refund.state === 'succeeded' ? RET.OK.code : RET.REFUND_REFUSED.code,
      version: '4.0',
    };
    return getRequest(String(record.attributes.notifyUrl), fields, charset, platformKeys!.privateKey);
  },
  isAck: (reply, context) => isSignedAck(reply, context, false),
};

/**
 * The merchant's answer (§2.2.3 通知消息的响应: "CONTENT内容为商户验签后给联动的响应数据"):
 * a 2xx reply carrying `<META NAME="MobilePayPlatform" CONTENT="…">` whose
 * content has ret_code=0000, this notification's mer_id (and, for a payment,
 * its order_id and mer_date when given: the Java SDK's demo sends them, the
 * PHP demo does not), and a sign the merchant's public key verifies over the
 * sorted content without sign and sign_type — over the bytes as sent, or
 * their GBK or UTF-8 reading (the SDKs sign acks in either). Anything else is
 * a failed delivery and is retried.
 */
export function isSignedAck(reply: MerchantReply, { payload, merchant }: AckContext, payment: boolean): boolean {
  if (reply.status < 200 || reply.status >= 300 || !merchant.publicKey) return false;
  const content = findMetaContent(reply.bytes);
  if (content === undefined) return false;
  const items = splitContent(content);
  const value = (name: string) => {
    const item = items.find((candidate) => candidate.name === name);
    return item === undefined ? undefined : readText(item.raw);
  };
  if (value('ret_code') !== RET.OK.code) return false;
  if (value('mer_id') !== payload.order.merchantId) return false;
  if (payment) {
    const attributes = umpayAttributes(payload.order);
    const orderId = value('order_id');
    const merDate = value('mer_date');
    if (orderId !== undefined && orderId !== attributes?.orderId) return false;
    if (merDate !== undefined && merDate !== attributes?.merDate) return false;
  }
  const sign = value('sign');
  if (!sign) return false;
  const signed = items.filter((item) => item.name !== 'sign' && item.name !== 'sign_type');
  const raw = signed.map((item) => [item.name, item.raw] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const rawText = raw.map(([name, v]) => `${name}=${v}`).join('&');
  if (verifyBytes(Buffer.from(rawText, 'latin1'), sign, merchant.publicKey)) return true;
  const text = readText(rawText);
  return verifyBytes(encodeText(text, 'GBK'), sign, merchant.publicKey) || verifyBytes(encodeText(text, 'UTF-8'), sign, merchant.publicKey);
}

/** Reply bytes (a latin1 string) as text: UTF-8 when they are valid UTF-8, else GBK. */
function readText(latin1: string): string {
  const bytes = Buffer.from(latin1, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return decodeBytes(bytes, 'GBK');
  }
}

/**
 * What UMPay announces: a payment's result (TRADE_SUCCESS, TRADE_FAIL) to the
 * order's notify_url — none without one ("如果商户不上送该字段，则平台无法通过后台
 * 通知商户支付结果") — and a refund's result to the refund's notify_url.
 * Expiry, cancel and refunds do not notify the order again.
 */
export function announce(event: RecordEvent): NotificationRequest[] {
  const { record, order } = event;
  if (record.kind === 'order' && order && umpayAttributes(order) && (event.to === 'paid' || event.to === 'failed') && order.notifyUrl) {
    return [{ channel: PAY_CHANNEL, url: order.notifyUrl }];
  }
  if (record.kind === 'refund' && order && (event.to === 'succeeded' || event.to === 'failed') && typeof record.attributes.notifyUrl === 'string') {
    return [{ channel: REFUND_CHANNEL, url: record.attributes.notifyUrl }];
  }
  return [];
}
