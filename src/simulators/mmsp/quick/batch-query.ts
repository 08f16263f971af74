import { batchQuery } from '../batch.js';
import type { Command } from '../command.js';
import { replyCommandId } from '../codes.js';
import { quickAttributes } from './attributes.js';
import { orderFields, refuseQuick } from './orders.js';

/**
 * 5.9 快捷支付多笔批量查询 (777): the merchant's paid quick-pay orders, by payment
 * time, paged. Items carry the 5.9.3 fields; BIND_ID is "" for an order that
 * bound no card.
 */
export const batchQueryCommand: Command = {
  id: 777,
  replyId: replyCommandId(777),
  name: '777 快捷支付多笔批量查询',
  kind: 'query',
  product: 'quick',
  refuse: refuseQuick,
  handle(request, sim) {
    return batchQuery(sim, request.merchant, request.body, 'quick', (order) => ({
      STATUS: '1',
      ...orderFields(order),
      BIND_ID: quickAttributes(order)?.bindId ?? '',
    }));
  },
};
