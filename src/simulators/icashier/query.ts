import type { Context } from 'hono';
import type { Order } from '../../core/domain.js';
import { annotate } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { RESPCODES } from './codes.js';
import { IcashierError } from './errors.js';
import { parseFields, querySchema, type QueryFields } from './fields.js';
import type { VerifiedEnvelope } from './request.js';
import { resultFields } from './results.js';

/** Only the requesting merchant's own orders are found; another merchant's answer "not found". */
function findOrder(sim: SimulatorContext, fields: QueryFields): Order | undefined {
  if ('queryid' in fields) {
    const order = sim.store.orders.findByPlatformNo('icashier', fields.queryid);
    return order?.merchantId === fields.merid ? order : undefined;
  }
  return sim.store.orders.findByOrderNo('icashier', fields.merid, fields.orderid);
}

/**
 * 3.4 交易查询接口: by queryid, else orderid ("若有上送流水号,将忽略商户订单号").
 * The reply uses the resp + sign envelope of §2.2 (DMP-8 REC).
 */
export function queryOrder(request: VerifiedEnvelope, sim: SimulatorContext, c: Context): Record<string, unknown> {
  const fields = parseFields(querySchema, request.body) as QueryFields;
  const order = findOrder(sim, fields);
  if (!order) throw new IcashierError('ORDER_NOT_FOUND', 'queryid' in fields ? fields.queryid : fields.orderid);
  annotate(c, { order, kind: 'query' });
  // A scenario's fail-queries (the first query after magic amount 2004): this answer is lost too.
  if (sim.payments.consumeQueryError(order)) throw sim.errors.system(sim.store.records.get(order.id)!);
  return { respcode: RESPCODES.OK.code, respmsg: RESPCODES.OK.text, ...resultFields(order) };
}

const stringOr = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * What a failed query still answers besides respcode and respmsg: §3.4.4 marks
 * queryid, txnamt, merid and orderid as not nullable, so they are sent —
 * the order's when it was found, else what the request named, else empty.
 * txnamt, an int, is null when unknown (an empty string is no int).
 */
export function queryFailureFields(order: Order | undefined, body: Record<string, unknown> | undefined): Record<string, unknown> {
  if (order) return { queryid: order.platformOrderNo, txnamt: order.amount, merid: order.merchantId, orderid: order.orderNo };
  return { queryid: stringOr(body?.queryid), txnamt: null, merid: stringOr(body?.merid), orderid: stringOr(body?.orderid) };
}
