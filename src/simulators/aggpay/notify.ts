import type { NotificationChannel, NotificationRequest, RecordEvent } from '../../core/simulator.js';
import { actualAmount, attributesOf, formatAmount, payStatus, payTime } from './order-view.js';
import { callbackSign } from './signature.js';

export const PAY_CHANNEL = 'pay';

/**
 * §5.2 支付异步通知: a form POST to notify_url, signed with the callback rule.
 * - "请返回"SUCCESS"（全部大写) 字符串": acknowledged only by SUCCESS in upper
 *   case with nothing else but surrounding whitespace, and a 2xx status.
 * - "时间间隔为1分钟, 5次后结束": the first attempt then five retries a minute
 *   apart (PROVIDERS.md AGG-7).
 */
export const payChannel: NotificationChannel = {
  schedule: [0, 60, 60, 60, 60, 60],
  encode(payload, { merchant }) {
    const { order } = payload;
    const attributes = attributesOf(order);
    const fields: Record<string, string> = {
      appid: order.merchantId,
      order_no: order.orderNo,
      amount: formatAmount(order.amount, merchant),
      platform_order_no: order.platformOrderNo,
      attach: attributes.attach,
      // The same pay time check_order answers: empty (null there) when nothing was paid.
      pay_time: payTime(order) ?? '',
      pay_status: String(payStatus(order)),
      actual_amount: actualAmount(order, merchant),
    };
    fields.sign = callbackSign(fields, merchant.md5Key ?? '');
    return {
      method: 'POST',
      url: order.notifyUrl!,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(fields).toString(),
    };
  },
  acknowledgement: 'HTTP 2xx with the body SUCCESS, in upper case (“请返回"SUCCESS"（全部大写）”)',
  isAck: ({ status, body }) => status >= 200 && status < 300 && body.trim() === 'SUCCESS',
};

/**
 * "当订单或交易有了明确的结果时" (§3): every definite result is notified — paid
 * (1), failed (0), and closed (0): an order that expires unpaid after 24 h (the
 * sandbox's expiry, AGG-12) or that the operator closes will never be paid,
 * and a merchant waiting on it must hear so, as it hears of a failed payment.
 * Both say pay_status 0 with actual_amount 0.00 and an empty pay_time: the
 * document has no other code.
 */
export function announce(event: RecordEvent): NotificationRequest[] {
  const { order } = event;
  const definite = event.to === 'paid' || event.to === 'failed' || event.to === 'closed';
  if (event.record.kind !== 'order' || !order?.notifyUrl || !definite) return [];
  return [{ channel: PAY_CHANNEL, url: order.notifyUrl }];
}
