import type { EncodeContext, MerchantReply, NotificationChannel } from '../../../core/simulator.js';
import { cstCompact } from '../../../core/time-format.js';
import { PAYMENT_NOTIFY_COMMAND, RET_OK } from '../codes.js';
import { signBody } from '../signature.js';
import { maskCard, quickAttributes } from './attributes.js';
import { compactOrEmpty } from './orders.js';

export const QUICK_CHANNEL = 'quick.pay';

/**
 * The cadence of quick pay (快捷 §5.5.3) and the gateway (网关 §5.2.3): the first
 * attempt at once, then after a failure "约1秒，约5秒，约10秒，约30秒、约90秒、约180秒和300秒共发起7次"
 * — gaps between attempts, 7 retries (PROVIDERS.md MMSP-26): attempts at 0, 1,
 * 6, 16, 46, 136, 316 and 616 s, then none.
 */
export const PAYMENT_NOTIFY_SCHEDULE = [0, 1, 5, 10, 30, 90, 180, 300] as const;

/**
 * "返回的响应中必须以SUCCESS开头的返回报文（不区分大小写）": a 2xx reply whose body starts
 * with SUCCESS in any case (PROVIDERS.md §0: unlike scan pay's exact SUCCESS).
 * Leading whitespace and a UTF-8 BOM (a PHP script's stray output) are skipped.
 */
export function startsWithSuccess({ status, body }: MerchantReply): boolean {
  return status >= 200 && status < 300 && /^\uFEFF?\s*success/i.test(body);
}

/**
 * A notification envelope as the examples print it (快捷 §5.5.2, 网关 §5.2.2):
 * CommandID 35104, NodeID `openplat`, RetCode 1, the Body and its Sign. The
 * examples spell the message field `ErrMsg`, the header table `ErrorMsg`: both
 * are sent (PROVIDERS.md MMSP-8).
 */
export function notificationEnvelope(
  body: Record<string, unknown>,
  header: { merchantId: string; terminalId: string; agentNo: string },
  context: EncodeContext,
): string {
  return JSON.stringify({
    CommandID: PAYMENT_NOTIFY_COMMAND,
    SeqID: context.attemptNo,
    NodeType: 3,
    NodeID: 'openplat',
    Version: '1.0.0',
    AGENTNO: header.agentNo,
    MERNO: header.merchantId,
    TERMNO: header.terminalId,
    RetCode: RET_OK,
    ErrorMsg: '',
    ErrMsg: '',
    Body: body,
    Sign: signBody(body, context.merchant.md5Key ?? ''),
  });
}

/**
 * 5.5 快捷支付异步通知: POSTed as JSON to NOTIFY_URL once a payment succeeds
 * ("如果支付结果为成功"). PUSH_COUNT is the attempt number (an int: MMSP-21);
 * with a card, CARDNO masked as the example prints it (`62284**…`), CARDTYPE
 * (1 储蓄卡, 2 信用卡) and BANK_NAME. NOTIFY_DATE is the attempt's time.
 */
export const quickPayChannel: NotificationChannel = {
  schedule: PAYMENT_NOTIFY_SCHEDULE,
  encode({ order }, context) {
    const attributes = quickAttributes(order)!;
    const card = attributes.card;
    const body: Record<string, unknown> = {
      STATUS: '1',
      LIST_ID: order.platformOrderNo,
      MERORDERID: order.orderNo,
      PAY_DATE: compactOrEmpty(order.paidAt),
      NOTIFY_DATE: cstCompact(context.now),
      AMT: String(order.amount),
      ...(card ? { CARDNO: maskCard(card.number), CARDTYPE: card.type, BANK_NAME: card.bank } : {}),
      PUSH_COUNT: context.attemptNo,
    };
    return {
      method: 'POST',
      url: order.notifyUrl!,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: notificationEnvelope(body, { merchantId: order.merchantId, terminalId: attributes.terminalId, agentNo: attributes.agentNo }, context),
    };
  },
  isAck: startsWithSuccess,
};
