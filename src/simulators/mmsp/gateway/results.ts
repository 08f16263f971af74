import type { Merchant, Order } from '../../../core/domain.js';
import { cstCompact } from '../../../core/time-format.js';
import { compactOrEmpty, quickStatus } from '../quick/orders.js';
import { signBody } from '../signature.js';
import { gatewayAttributes } from './attributes.js';

/**
 * The result fields of a gateway order, shared by the async notification
 * (网关 §5.2.2), the query reply (§5.3.3), the front notification (§5.5.2) and
 * the batch items (§5.4, MMSP-16: the 5.2 fields rather than the copied quick-pay
 * ones). The STATUS table is quick pay's: 0 待支付 (AA), 1 成功, 2 失败 (D4 closed,
 * 51 failed), 3 已退款. GOODSNAME and REMARK only when the request had them.
 */
export function gatewayResult(order: Order, notifyDate: number | null): Record<string, string> {
  const attributes = gatewayAttributes(order)!;
  return {
    ...quickStatus(order),
    LIST_ID: order.platformOrderNo,
    MERORDERID: order.orderNo,
    AMT: String(order.amount),
    ...(attributes.goodsName ? { GOODSNAME: attributes.goodsName } : {}),
    PAY_CHANNEL: attributes.channel,
    PAY_DATE: compactOrEmpty(order.paidAt),
    NOTIFY_DATE: notifyDate === null ? '' : cstCompact(notifyDate),
    ...(attributes.remark ? { REMARK: attributes.remark } : {}),
  };
}

/**
 * 5.5 网关前台页面通知: the browser is sent to JUMP_URL by GET with the result
 * fields, "此接口不能作为支付成功的凭据". The document does not say whether they are
 * signed; they carry a Sign computed as every Body's (PROVIDERS.md §2.6 REC), with
 * the merchant's key.
 */
export function frontNotification(order: Order, merchant: Merchant): Record<string, string> {
  const fields = gatewayResult(order, order.updatedAt);
  return { ...fields, Sign: signBody(fields, merchant.md5Key ?? '') };
}
