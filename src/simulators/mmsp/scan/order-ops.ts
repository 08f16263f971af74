import type { Context } from 'hono';
import { isAwaitingPayment, type Order } from '../../../core/domain.js';
import { annotate } from '../../../core/exchange.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import type { Command } from '../command.js';
import { replyCommandId } from '../codes.js';
import type { VerifiedEnvelope } from '../envelope.js';
import { BusinessError } from '../errors.js';
import { parseFields } from '../fields.js';
import { queryFailure, REQUIRED } from './failures.js';
import { orderLookup } from './schemas.js';
import { findScanOrder, orderFields, queryStatus, transitionOrRefuse } from './wallets.js';

/** "调用支付接口后请勿立即调用撤销订单API，建议支付后至少15s后再调用" (扫码 §10.4). */
export const CANCEL_GRACE_MS = 15_000;

function lookup(request: VerifiedEnvelope, sim: SimulatorContext, c: Context, kind: 'query' | 'other'): Order {
  const fields = parseFields(orderLookup, request.body);
  const order = findScanOrder(sim, request.merchant, fields);
  annotate(c, { order, kind });
  return order;
}

/** 10.3 查询订单: STATUS 1 paid, 3 paying (AA), 2 failed or closed (D4). */
const query: Command = {
  id: 2310,
  replyId: replyCommandId(2310),
  name: '2310 查询订单',
  kind: 'query',
  required: REQUIRED.order,
  handle(request, sim, c) {
    const order = lookup(request, sim, c, 'query');
    // A scenario's fail-queries (magic amount 2004): the query's answer is lost too and must be repeated.
    if (sim.payments.consumeQueryError(order)) throw queryFailure(sim, order.id);
    return { ...orderFields(order), ...queryStatus(order) };
  },
};

/**
 * 10.4 撤销订单: an unpaid order is closed; a paid one is reversed (撤销), but
 * not within 15 s of payment and not once refunded (PROVIDERS.md CANCEL-TOO-EARLY).
 */
const cancel: Command = {
  id: 2311,
  replyId: replyCommandId(2311),
  name: '2311 撤销订单',
  kind: 'other',
  required: REQUIRED.order,
  handle(request, sim, c) {
    const order = lookup(request, sim, c, 'other');
    const fields = orderFields(order);
    let target: 'closed' | 'reversed';
    if (isAwaitingPayment(order.state)) {
      target = 'closed';
    } else if (order.state === 'paid') {
      if (sim.clock.now() - order.paidAt! < CANCEL_GRACE_MS) {
        throw new BusinessError('NOT_ALLOWED', '请支付后至少15s再撤销', fields);
      }
      target = 'reversed';
    } else if (order.state === 'closed' || order.state === 'reversed') {
      throw new BusinessError('CLOSED', undefined, fields);
    } else {
      throw new BusinessError('NOT_ALLOWED', '订单状态不允许撤销', fields);
    }
    const updated = transitionOrRefuse(
      () => sim.payments.transition(order.id, target, 'merchant', true),
      '订单状态不允许撤销',
      fields,
    );
    return { ...orderFields(updated), STATUS: '1' };
  },
};

/** 10.5 关闭订单: only an unpaid order can be closed; closing a closed one answers D4. */
const close: Command = {
  id: 2314,
  replyId: replyCommandId(2314),
  name: '2314 关闭订单',
  kind: 'other',
  required: REQUIRED.order,
  handle(request, sim, c) {
    const order = lookup(request, sim, c, 'other');
    const fields = orderFields(order);
    if (order.state === 'closed' || order.state === 'reversed') throw new BusinessError('CLOSED', undefined, fields);
    const updated = transitionOrRefuse(
      () => sim.payments.transition(order.id, 'closed', 'merchant', true),
      order.state === 'failed' ? '交易已失败，无需关闭' : '订单已支付，不能关闭',
      fields,
    );
    return { ...orderFields(updated), STATUS: '1' };
  },
};

export const orderCommands: Command[] = [query, cancel, close];
