import type { OrderState } from '../../core/domain.js';
import type { NotificationChannel, NotificationRequest, RecordEvent } from '../../core/simulator.js';
import { cashierAttributes } from './attributes.js';
import { NOTIFY_ACK } from './codes.js';
import { seal } from './envelope.js';
import { resultFields } from './results.js';

export const BACK_CHANNEL = 'back';

/**
 * 3.3 后台通知 to backurl.
 * - Method: the document only writes `[backurl]?resp=…&sign=…` (§2.3 step 4), so a GET with
 *   both in the query string, appended to any query backurl already has (DMP-6 REC).
 * - Cadence: "每隔10秒钟调用1次共3次,之后后每隔1分钟调用1次共3次,最后每隔3分钟调1次 … 最多调用10次":
 *   at once, then gaps of 10 s ×3, 60 s ×3, 180 s ×3 — t = 0, 10, 20, 30, 90, 150, 210, 390, 570, 750 s (DMP-7 REC).
 * - Ack: "应返回内容"0000"": the trimmed body is exactly 0000, with a 2xx status (DMP-7 REC).
 * - Each notification carries the state of its own change (the payload's snapshot).
 */
export const backChannel: NotificationChannel = {
  schedule: [0, 10, 10, 10, 60, 60, 60, 180, 180, 180],
  encode(payload, { merchant }) {
    const { resp, sign } = seal(resultFields(payload.order), merchant.md5Key ?? '');
    const url = new URL(payload.order.notifyUrl!);
    url.searchParams.set('resp', resp);
    url.searchParams.set('sign', sign);
    return { method: 'GET', url: url.toString() };
  },
  acknowledgement: 'HTTP 2xx with the body 0000 (“应返回内容"0000"”), surrounding whitespace ignored',
  isAck: ({ status, body }) => status >= 200 && status < 300 && body.trim() === NOTIFY_ACK,
};

/**
 * States pushed to backurl: paid (0000), failed (1003), processing (1002) and
 * held (1004). A later change pushes again, e.g. 1002 then 0000 (DMP-10 REC).
 * Unpaid and closed (1001) are not pushed: "用户支付完成且银行返回结果后" (§3.3.1).
 */
const ANNOUNCED: ReadonlySet<OrderState> = new Set(['paid', 'failed', 'processing', 'held']);

export function announce(event: RecordEvent): NotificationRequest[] {
  const { order } = event;
  if (event.record.kind !== 'order' || !order || !cashierAttributes(order) || !ANNOUNCED.has(event.to as OrderState) || !order.notifyUrl) {
    return [];
  }
  // The submit's answer is a redirect that reports no result, so reportedInAnswer never suppresses one.
  return [{ channel: BACK_CHANNEL, url: order.notifyUrl }];
}
