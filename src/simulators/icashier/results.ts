import type { Order, OrderState } from '../../core/domain.js';
import { cstDateTime } from '../../core/time-format.js';
import { RESULTCODES, type ResultcodeName } from './codes.js';

interface Result {
  resultcode: string;
  resultmsg: string;
}

const result = (name: ResultcodeName, detail?: string): Result => ({
  resultcode: RESULTCODES[name].code,
  resultmsg: detail ? `${RESULTCODES[name].text}（${detail}）` : RESULTCODES[name].text,
});

/**
 * The domain state as 交易结果码 (§3.2.3). resultcode is marked nullable but
 * always sent (DMP-9 REC).
 */
const BY_STATE: Record<OrderState, Result> = {
  created: result('UNPAID'),
  // The payer is still paying (magic amounts 2001, 2002): nothing is paid yet, so 1001 without paytime.
  // 1002 is "交易处理中【已支付,结算到不可用帐户】" (§3.2.3, §3.4.4): the payer HAS paid; a merchant may ship on it.
  pending: result('UNPAID', '用户支付中'),
  processing: result('PROCESSING', '已支付，结算到不可用帐户'),
  held: result('HOLD'),
  paid: result('SUCCESS'),
  // Refunds are not in this document; the payment itself succeeded.
  partially_refunded: result('SUCCESS'),
  refunded: result('SUCCESS'),
  failed: result('FAILED'),
  // DMP-12 REC: an expired order keeps 1001; resultmsg says why.
  closed: result('UNPAID', '订单已关闭'),
  // No interface of this document reverses a payment; if the engine ever does, it is no longer a success.
  reversed: result('FAILED', '交易已撤销'),
};

export function resultOf(state: OrderState): Result {
  return BY_STATE[state];
}

/**
 * The fields of the front notification (§3.2.3), in the table's order.
 * queryid is the platform order number; txnamt a JSON number (DMP-1).
 */
export function frontFields(order: Order): Record<string, unknown> {
  return {
    ...resultOf(order.state),
    queryid: order.platformOrderNo,
    txnamt: order.amount,
    merid: order.merchantId,
    orderid: order.orderNo,
  };
}

/**
 * The back notification and query fields (§3.3.3, §3.4.4): the front ones plus
 * paytime, `yyyy-MM-dd HH:mm:ss` China time (DMP-9 REC), empty while unpaid
 * ("未支付订单返回空"). 1002/1004 orders are paid (§3.2.3), so they carry it.
 */
export function resultFields(order: Order): Record<string, unknown> {
  return { ...frontFields(order), paytime: order.paidAt === null ? '' : cstDateTime(order.paidAt) };
}
