import { Hono } from 'hono';
import { isPayerAction, PAYER_ACTIONS } from '../core/domain.js';
import { isSandboxError } from '../core/errors.js';
import type { SandboxParts } from '../parts.js';
import { adminError, limitParam } from './respond.js';
import { orderView } from './views.js';

/** `GET /_sim/orders` and the payer actions `POST /_sim/orders/{provider}/{orderNo}/{pay|fail|close}`. */
export function orderRoutes({ store, payments, simulators }: SandboxParts) {
  const app = new Hono();

  app.get('/', (c) => {
    const { provider, merchantId, orderNo, state } = c.req.query();
    const orders = store.orders.list({ provider, merchantId, orderNo, state, limit: limitParam(c, 500) });
    return c.json(orders.map((order) => orderView(order, store.refunds.forOrder(order.id))));
  });

  app.post('/:provider/:orderNo/:action', (c) => {
    const { provider, orderNo, action } = c.req.param();
    if (!simulators.get(provider)) return adminError(c, 404, 'UNKNOWN_PROVIDER', `no provider ${provider}`);
    if (!isPayerAction(action)) {
      return adminError(c, 404, 'UNKNOWN_ACTION', `action must be one of ${Object.keys(PAYER_ACTIONS).join(', ')}`);
    }
    const merchantId = c.req.query('merchantId');
    const candidates = store.orders.list({ provider, orderNo, ...(merchantId ? { merchantId } : {}) });
    if (candidates.length === 0) return adminError(c, 404, 'ORDER_NOT_FOUND', `no ${provider} order ${orderNo}`);
    if (candidates.length > 1) {
      return adminError(c, 409, 'AMBIGUOUS_ORDER', `${candidates.length} merchants have order ${orderNo}: add ?merchantId=`);
    }
    const order = candidates[0]!;
    try {
      const updated = payments.transition(order.id, PAYER_ACTIONS[action], action === 'close' ? 'admin' : 'payer');
      return c.json(orderView(updated, store.refunds.forOrder(updated.id)));
    } catch (error) {
      if (isSandboxError(error, 'INVALID_TRANSITION')) {
        return adminError(c, 409, 'INVALID_TRANSITION', `order ${orderNo} is ${order.state}: cannot ${action} it`);
      }
      throw error;
    }
  });

  return app;
}
