import type { NotificationChannel, NotificationPayload, NotificationRequest, RecordEvent } from '../../core/simulator.js';
import { cstDateTime } from '../../core/time-format.js';
import { SCAN_PUSH_COMMAND } from './codes.js';
import { signBody } from './signature.js';
import { scanAttributes, WALLET_TRADETYPE } from './scan/wallets.js';
import { GATEWAY_CHANNEL } from './gateway/notify.js';
import { gatewayAttributes } from './gateway/attributes.js';
import { QUICK_CHANNEL } from './quick/notify.js';
import { quickAttributes } from './quick/attributes.js';

export const SCAN_CHANNEL = 'scan.pay';

/**
 * 10.8 支付结果通知 (CommandID 2324): the JSON envelope POSTed to NOTIFY_URL,
 * Body signed like every MMSP Body.
 * - Cadence "0,15,15,30,180,1800,1800,1800,1800,1800,3600 (单位:秒)": gaps
 *   between the 11 pushes.
 * - Acknowledged by printing "SUCCESS" (注: 打印一个"SUCCESS"); the scan
 *   document has no prefix or case leniency (PROVIDERS.md MMSP-23), so the
 *   trimmed reply must be exactly SUCCESS, with a 2xx status.
 * - Body fields as the table spells them: AMT is int(20), a JSON number; the
 *   trade time is TRDETIME (sic); TRADETIME is sent too so a merchant reading
 *   the corrected name finds it (PROVIDERS.md MMSP-8).
 */
export const scanPushChannel: NotificationChannel = {
  schedule: [0, 15, 15, 30, 180, 1800, 1800, 1800, 1800, 1800, 3600],
  encode(payload, { merchant, attemptNo }) {
    const { order } = payload;
    const attributes = scanAttributes(order)!;
    const { body, sign } = signedBody(payload, merchant.md5Key ?? '');
    const envelope = {
      CommandID: SCAN_PUSH_COMMAND,
      SeqID: attemptNo,
      NodeType: 3,
      // "notifications use openplat" (PROVIDERS.md §2.3 NodeID).
      NodeID: 'openplat',
      Version: '1.0.0',
      AGENTNO: attributes.agentNo,
      MERNO: order.merchantId,
      TERMNO: attributes.terminalId,
      Body: body,
      Sign: sign,
    };
    return {
      method: 'POST',
      url: order.notifyUrl!,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(envelope),
    };
  },
  acknowledgement: 'HTTP 2xx with the body SUCCESS (“打印一个"SUCCESS"”), surrounding whitespace ignored',
  isAck: ({ status, body }) => status >= 200 && status < 300 && body.trim() === 'SUCCESS',
};

type ScanPushBody = Record<string, string | number>;

/**
 * A push's Body and its Sign, worked out once per notification (its payload) and key: only the envelope's SeqID
 * differs between the eleven pushes, and signing the Body again (PHP-style JSON, MD5) for each attempt was a sixth of
 * a fast-forward's main thread (measured). Keyed by the key too: a merchant's key may change between attempts, and
 * a scripted wrong signature signs with another. (Quick pay's and the gateway's Bodies change per push: PUSH_COUNT,
 * NOTIFY_DATE.)
 */
function signedBody(payload: NotificationPayload, key: string): { body: ScanPushBody; sign: string } {
  const known = signedBodies.get(payload);
  if (known && known.key === key) return known;
  const { order } = payload;
  const attributes = scanAttributes(order)!;
  const tradeTime = cstDateTime(order.createdAt);
  const body: ScanPushBody = {
    AMT: order.amount,
    ORDERNO: order.platformOrderNo,
    TRDETIME: tradeTime,
    TRADETIME: tradeTime,
    PAYTIME: order.paidAt === null ? '' : cstDateTime(order.paidAt),
    STATUS: '1',
    TRADETYPE: WALLET_TRADETYPE[attributes.wallet],
    MERORDERID: order.orderNo,
  };
  const signed = { key, body, sign: signBody(body, key) };
  signedBodies.set(payload, signed);
  return signed;
}

const signedBodies = new WeakMap<NotificationPayload, { key: string; body: ScanPushBody; sign: string }>();

/**
 * Which changes MMSP pushes: "支付成功才会推送交易结果" — payments only — and not a
 * micropay whose own answer already said paid (扫码 §5.2.3 注). A micropay that
 * answered AA is pushed once it is paid (PROVIDERS.md MMSP-22).
 */
export function announce(event: RecordEvent): NotificationRequest[] {
  const { order } = event;
  if (event.record.kind !== 'order' || !order) return [];
  const payment = announcePayment(event);
  if (payment) return payment;
  const attributes = scanAttributes(order);
  if (!attributes || event.to !== 'paid' || event.reportedInAnswer || !order.notifyUrl) return [];
  return [
    {
      channel: SCAN_CHANNEL,
      url: order.notifyUrl,
      ...(attributes.signerId !== order.merchantId ? { signerId: attributes.signerId } : {}),
    },
  ];
}

/**
 * Quick pay (快捷 §5.5) and the gateway (网关 §5.2) notify every successful
 * payment ("如果支付结果为成功"), whether or not an answer already reported it
 * (快捷 §4.2.1: confirm with the code, then query; the notification still comes).
 * Undefined for other orders.
 */
function announcePayment(event: RecordEvent): NotificationRequest[] | undefined {
  const order = event.order!;
  const attributes = quickAttributes(order) ?? gatewayAttributes(order);
  if (!attributes) return undefined;
  if (event.to !== 'paid' || !order.notifyUrl) return [];
  return [
    {
      channel: attributes.family === 'quick' ? QUICK_CHANNEL : GATEWAY_CHANNEL,
      url: order.notifyUrl,
      ...(attributes.signerId !== order.merchantId ? { signerId: attributes.signerId } : {}),
    },
  ];
}
