import { encodeForm } from '../../core/codec/charset.js';
import type { NotificationChannel, NotificationRequest, RecordEvent } from '../../core/simulator.js';
import { allinpayAttributes } from './attributes.js';
import { charsetOf } from './request.js';
import { resultForm, signedResult } from './results.js';

export const RECEIVE_CHANNEL = 'receive';

/**
 * §2.2.3 支付结果后台返回 to receiveUrl.
 * - "将支付结果 post 到 receiveUrl" (§2.2.1): a form POST, encoded in the order's
 *   inputCharset (its Content-Type says which), signed per the order's signType.
 * - "最多重发 3 次": one attempt and at most three more. The document gives no
 *   intervals (ALP-3): at once, then 60 s apart (t = 0, 60, 120, 180 s).
 * - "若…url 连接请求失败" is the only failure named (ALP-4): any 2xx answer, whatever
 *   its body, is delivered; a refused connection, a timeout or another status is failed.
 * - Each attempt is signed anew: returnDatetime is the time it is sent.
 */
export const receiveChannel: NotificationChannel = {
  schedule: [0, 60, 60, 60],
  encode(payload, { merchant, platformKeys, now }) {
    const { order } = payload;
    const charset = charsetOf(allinpayAttributes(order)?.inputCharset);
    const signType = typeof payload.data?.signType === 'string' ? payload.data.signType : undefined;
    const form = resultForm(signedResult(order, merchant, platformKeys, now, signType));
    return {
      method: 'POST',
      url: order.notifyUrl!,
      headers: { 'content-type': `application/x-www-form-urlencoded; charset=${charset}` },
      body: encodeForm(form, charset),
    };
  },
  isAck: ({ status }) => status >= 200 && status < 300,
};

/**
 * "仅在支付成功时通知商户" (§2.2.3): only the change to paid is announced, once,
 * whatever moved it (the payer, a scenario, the admin API). Failures, expiry,
 * refunds and pre-authorisations are not.
 */
export function announce(event: RecordEvent): NotificationRequest[] {
  const { order } = event;
  if (event.record.kind !== 'order' || event.to !== 'paid' || !order?.notifyUrl || !allinpayAttributes(order)) return [];
  return [{ channel: RECEIVE_CHANNEL, url: order.notifyUrl }];
}
