import { annotate } from '../../../core/exchange.js';
import { batchQuery } from '../batch.js';
import type { Command } from '../command.js';
import { replyCommandId } from '../codes.js';
import { EnvelopeError } from '../errors.js';
import { parseFields } from '../fields.js';
import { refuseQuick } from '../quick/orders.js';
import { gatewayAttributes } from './attributes.js';
import { gatewayResult } from './results.js';
import { gatewayQuery } from './schemas.js';

/**
 * 5.3 网关支付结果单笔查询 (2323 → 35091): a gateway order of this merchant by
 * MERORDERID; anything else is `[-2002] 没有该订单`.
 */
const queryCommand: Command = {
  id: 2323,
  replyId: replyCommandId(2323),
  name: '2323 网关支付结果单笔查询',
  kind: 'query',
  product: 'gateway',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(gatewayQuery, request.body);
    const order = sim.store.orders.findByOrderNo('mmsp', request.merchantId, fields.MERORDERID);
    if (!order || !gatewayAttributes(order)) throw new EnvelopeError('ORDER_NOT_FOUND', fields.MERORDERID);
    annotate(c, { order, kind: 'query' });
    // A scenario's fail-queries (magic amount 2004): the query itself fails and must be repeated.
    if (sim.payments.consumeQueryError(order)) throw sim.errors.system(sim.store.records.get(order.id)!);
    return gatewayResult(order, order.paidAt);
  },
};

/**
 * 5.4 网关支付多笔批量查询 (782 → 33550): the rules of quick pay's 777; BIZ_CONTENT
 * an array of the 5.2 fields (PROVIDERS.md MMSP-16).
 */
const batchCommand: Command = {
  id: 782,
  replyId: replyCommandId(782),
  name: '782 网关支付结果多笔查询',
  kind: 'query',
  product: 'gateway',
  refuse: refuseQuick,
  handle(request, sim) {
    return batchQuery(sim, request.merchant, request.body, 'gateway', (order) => gatewayResult(order, order.paidAt));
  },
};

export const gatewayCommands: Command[] = [queryCommand, batchCommand];
