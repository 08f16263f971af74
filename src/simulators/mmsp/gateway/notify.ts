import type { NotificationChannel } from '../../../core/simulator.js';
import { notificationEnvelope, PAYMENT_NOTIFY_SCHEDULE, startsWithSuccess } from '../quick/notify.js';
import { gatewayAttributes } from './attributes.js';
import { gatewayResult } from './results.js';

export const GATEWAY_CHANNEL = 'gateway.pay';

/**
 * 5.2 网关支付异步通知: POSTed as JSON to NOTIFY_URL once a payment succeeds, in
 * the envelope of the example (CommandID 35104), with quick pay's cadence and
 * acknowledgement (§5.2.3 repeats 快捷 §5.5.3 word for word).
 */
export const gatewayPayChannel: NotificationChannel = {
  schedule: PAYMENT_NOTIFY_SCHEDULE,
  encode({ order }, context) {
    const attributes = gatewayAttributes(order)!;
    return {
      method: 'POST',
      url: order.notifyUrl!,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: notificationEnvelope(
        gatewayResult(order, context.now),
        { merchantId: order.merchantId, terminalId: attributes.terminalId, agentNo: attributes.agentNo },
        context,
      ),
    };
  },
  isAck: startsWithSuccess,
};
