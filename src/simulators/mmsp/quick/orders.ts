import type { Context } from 'hono';
import { recordToOrder, type Merchant, type Order } from '../../../core/domain.js';
import { annotate } from '../../../core/exchange.js';
import { orderRecordInput } from '../../../core/payments.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstCompact } from '../../../core/time-format.js';
import { BODY_CODES, type BodyCodeName } from '../codes.js';
import type { VerifiedEnvelope } from '../envelope.js';
import { BusinessError, EnvelopeError } from '../errors.js';
import { listId, QUICK_ORDER_TTL_MS, quickAttributes, type QuickAttributes } from './attributes.js';

/** A refusal in quick pay's and the gateway's spelling: STATUS 2 with ERRCODE / ERRMSG (快捷 §5.3.3). */
export function refuseQuick(error: BusinessError): Record<string, unknown> {
  return { ...error.fields, STATUS: '2', ERRCODE: error.code, ERRMSG: error.message };
}

/** `YYYYMMDDHHmmss` China time, or "" before it happened. */
export const compactOrEmpty = (ms: number | null) => (ms === null ? '' : cstCompact(ms));

export interface QuickOrderSpec {
  orderNo: string;
  amount: number;
  product: string;
  notifyUrl: string | null;
  attributes: Omit<QuickAttributes, 'family' | 'terminalId' | 'agentNo' | 'signerId'>;
  /** An order that fails in the answer (a card past its date). */
  failsAtOnce?: boolean;
  card?: string;
}

/**
 * Places a quick-pay order (expiring after 30 minutes), then runs `after` on it
 * (send the SMS code, request the binding) — also when the answer is the
 * scripted system error (magic amount 2004: the order exists and the merchant
 * must query), which is then rethrown. Returns the order as `after` left it.
 */
export function placeQuickOrder(
  request: VerifiedEnvelope,
  sim: SimulatorContext,
  c: Context,
  spec: QuickOrderSpec,
  after: (order: Order) => void = () => {},
): Order {
  const existed = sim.store.orders.findByOrderNo('mmsp', request.merchantId, spec.orderNo) !== undefined;
  const attributes: QuickAttributes = {
    family: 'quick',
    ...spec.attributes,
    terminalId: request.terminalId,
    agentNo: request.agentNo,
    signerId: request.signerId,
  };
  const input = orderRecordInput({
    provider: 'mmsp',
    merchantId: request.merchantId,
    orderNo: spec.orderNo,
    product: spec.product,
    amount: spec.amount,
    notifyUrl: spec.notifyUrl,
    attributes: attributes as unknown as Record<string, unknown>,
    expiresAt: sim.clock.now() + QUICK_ORDER_TTL_MS,
    natural: 'awaiting',
    platformOrderNo: listId,
    ...(spec.card ? { match: { card: spec.card } } : {}),
  });
  let failure: unknown;
  let order: Order | undefined;
  try {
    order = recordToOrder(sim.create(c, spec.failsAtOnce ? { ...input, natural: 'failed' } : input));
  } catch (error) {
    order = existed ? undefined : sim.store.orders.findByOrderNo('mmsp', request.merchantId, spec.orderNo);
    if (!order) throw error;
    failure = error;
  }
  after(order);
  if (failure) throw failure;
  return sim.store.orders.get(order.id)!;
}

/**
 * A quick-pay order of this merchant, by LIST_ID or MERORDERID. Anything else —
 * unknown, another merchant's, a scan or gateway order — is the document's
 * `[-2002] 没有该订单`.
 */
export function findQuickOrder(
  sim: SimulatorContext,
  c: Context,
  merchant: Merchant,
  by: { listId?: string; orderNo?: string },
  kind: 'query' | 'other' = 'other',
): Order {
  const order = by.listId
    ? sim.store.orders.findByPlatformNo('mmsp', by.listId)
    : sim.store.orders.findByOrderNo('mmsp', merchant.merchantId, by.orderNo!);
  if (!order || order.merchantId !== merchant.merchantId || !quickAttributes(order)) {
    throw new EnvelopeError('ORDER_NOT_FOUND', by.listId ?? by.orderNo);
  }
  annotate(c, { order, kind });
  return order;
}

/** The ERRCODE a failed order answers with: the card's failure, else 51 (magic amount 2003). */
function failureOf(order: Order): BodyCodeName {
  return (quickAttributes(order)?.failCode as BodyCodeName | undefined) ?? 'DECLINED';
}

/**
 * STATUS of a quick-pay order (快捷 §5.7.3: 0 待支付, 1 成功, 2 失败, 3 已退款), with
 * ERRCODE / ERRMSG when it is not 1: AA while unpaid, D4 once closed, the card's
 * failure code once failed.
 */
export function quickStatus(order: Order): Record<string, string> {
  const code = (name: BodyCodeName) => ({ ERRCODE: BODY_CODES[name].code, ERRMSG: BODY_CODES[name].text });
  switch (order.state) {
    case 'paid':
      return { STATUS: '1' };
    case 'partially_refunded':
    case 'refunded':
      return { STATUS: '3' };
    case 'created':
    case 'pending':
    case 'processing':
    case 'held':
      return { STATUS: '0', ...code('PAYING') };
    case 'failed':
      return { STATUS: '2', ...code(failureOf(order)) };
    case 'closed':
    case 'reversed':
      return { STATUS: '2', ...code('CLOSED') };
  }
}

/** Refuses an order that can no longer be paid (SMS confirm, resend, bind-pay confirm). */
export function ensurePayable(order: Order, fields: Record<string, unknown> = {}): void {
  switch (order.state) {
    case 'created':
    case 'pending':
      return;
    case 'failed':
      throw new BusinessError(failureOf(order), undefined, fields);
    case 'closed':
    case 'reversed':
      throw new BusinessError('CLOSED', undefined, fields);
    case 'partially_refunded':
    case 'refunded':
      throw new BusinessError('NOT_ALLOWED', '订单已退款', fields);
    default:
      throw new BusinessError('NOT_ALLOWED', '订单已支付，请勿重复提交', fields);
  }
}

/**
 * The right code was given: the issuer debits the card. A card that declines
 * or lacks funds fails the order (05 / 51); otherwise it is paid — unless a
 * scenario holds it (magic amounts 2001, 2002), when it stays paying.
 */
export function settle(sim: SimulatorContext, order: Order): Order {
  const behaviour = quickAttributes(order)?.behaviour;
  const failCode: BodyCodeName | undefined =
    behaviour === 'declined' ? 'BANK_DECLINED' : behaviour === 'insufficient' ? 'DECLINED' : undefined;
  return sim.records.tx(() => {
    if (failCode) sim.payments.updateAttributes(order.id, { failCode });
    return sim.payments.payerAction(order.id, failCode ? 'failed' : 'paid').order;
  });
}

/** The answer to a confirmation (772, 779): 1 paid, 0 still paying (AA, query), or the failure as STATUS 2. */
export function confirmationStatus(order: Order, fields: Record<string, unknown>): Record<string, string> {
  if (order.state === 'failed' || order.state === 'closed') {
    throw new BusinessError(order.state === 'closed' ? 'CLOSED' : failureOf(order), undefined, fields);
  }
  if (order.state === 'paid') return { STATUS: '1' };
  return { STATUS: '0', ERRCODE: BODY_CODES.PAYING.code, ERRMSG: BODY_CODES.PAYING.text };
}

/** Fields of a query reply and a batch item (快捷 §5.7.3, §5.9.3). */
export function orderFields(order: Order): Record<string, string> {
  const attributes = quickAttributes(order);
  return {
    LIST_ID: order.platformOrderNo,
    MERORDERID: order.orderNo,
    PAY_DATE: compactOrEmpty(order.paidAt),
    // The platform notifies when the payment succeeds: the same instant.
    NOTIFY_DATE: compactOrEmpty(order.paidAt),
    CARDNO: attributes?.card?.number ?? '',
    AMT: String(order.amount),
    CARDTYPE: attributes?.card?.type ?? '',
  };
}
