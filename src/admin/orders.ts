import { Hono } from 'hono';
import { isPayerAction, PAYER_ACTIONS, type Order } from '../core/domain.js';
import { isSandboxError } from '../core/errors.js';
import type { SandboxParts } from '../parts.js';
import { adminError, jsonBody, limitParam } from './respond.js';
import { orderView, refundView } from './views.js';

/** `GET /_sim/orders` and the payer actions `POST /_sim/orders/{provider}/{orderNo}/{pay|fail|close}`. */
export function orderRoutes({ store, payments, simulators }: SandboxParts) {
  const app = new Hono();

  const view = (order: Order) => orderView(order, store.refunds.forOrder(order.id), store.records.openSmsCode(order.id));

  app.get('/', (c) => {
    const { provider, merchantId, orderNo, state } = c.req.query();
    const orders = store.orders.list({ provider, merchantId, orderNo, state, limit: limitParam(c, 500) });
    return c.json(orders.map(view));
  });

  /**
   * `POST /_sim/orders/{provider}/{orderNo}/refund {"amount"?, "refundNo"?}`: the
   * operator refunds a paid order, as from the provider's merchant portal
   * (providers that declare `refunds`); the amount defaults to what is left.
   */
  app.post('/:provider/:orderNo/refund', async (c) => {
    const { provider, orderNo } = c.req.param();
    const simulator = simulators.get(provider);
    if (!simulator) return adminError(c, 'UNKNOWN_PROVIDER', `no provider ${provider}`);
    if (!simulator.refunds) return adminError(c, 'UNKNOWN_ACTION', `${provider} has no refunds the operator can make`);
    const merchantId = c.req.query('merchantId');
    const candidates = store.orders.list({ provider, orderNo, ...(merchantId ? { merchantId } : {}) });
    if (candidates.length === 0) return adminError(c, 'ORDER_NOT_FOUND', `no ${provider} order ${orderNo}`);
    if (candidates.length > 1) return adminError(c, 'AMBIGUOUS_ORDER', `${candidates.length} merchants have order ${orderNo}: add ?merchantId=`);
    const order = candidates[0]!;
    const body = (await jsonBody(c)) as { amount?: unknown; refundNo?: unknown } | undefined;
    if (body === undefined) return adminError(c, 'INVALID_JSON');
    // What is neither refunded nor reserved by a refund still under way.
    const left = order.amount - (store.records.get(order.id)?.consumedAmount ?? 0);
    const amount = body.amount ?? left;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) return adminError(c, 'INVALID_AMOUNT');
    const refundNo = typeof body.refundNo === 'string' && body.refundNo !== '' ? body.refundNo : `SIMR${store.refunds.forOrder(order.id).length + 1}${order.platformOrderNo.slice(-8)}`;
    try {
      const { refund, order: updated } = payments.refund({
        order,
        refundNo,
        amount,
        platformRefundNo: simulator.refunds.platformNumber,
        ...(simulator.refunds.natural ? { natural: simulator.refunds.natural } : {}),
      });
      return c.json({ ...view(updated), refund: refundView(refund) }, 201);
    } catch (error) {
      if (isSandboxError(error, 'NOT_REFUNDABLE') || isSandboxError(error, 'REFUND_EXCEEDS') || isSandboxError(error, 'DUPLICATE_REFUND')) {
        return adminError(c, 'NOT_REFUNDABLE', `order ${orderNo} is ${order.state} with ${left} fen left to refund: cannot refund ${amount}`);
      }
      throw error;
    }
  });

  app.post('/:provider/:orderNo/:action', async (c) => {
    const { provider, orderNo, action } = c.req.param();
    if (!simulators.get(provider)) return adminError(c, 'UNKNOWN_PROVIDER', `no provider ${provider}`);
    if (!isPayerAction(action)) {
      return adminError(c, 'UNKNOWN_ACTION', `action must be one of ${Object.keys(PAYER_ACTIONS).join(', ')}`);
    }
    const merchantId = c.req.query('merchantId');
    const candidates = store.orders.list({ provider, orderNo, ...(merchantId ? { merchantId } : {}) });
    if (candidates.length === 0) return adminError(c, 'ORDER_NOT_FOUND', `no ${provider} order ${orderNo}`);
    if (candidates.length > 1) {
      return adminError(c, 'AMBIGUOUS_ORDER', `${candidates.length} merchants have order ${orderNo}: add ?merchantId=`);
    }
    const order = candidates[0]!;
    // `{"force": true}` (or ?force=true): the operator overrides a scenario that holds the order (README, Scenarios).
    const body = (await jsonBody(c)) as { force?: unknown } | undefined;
    const force = body?.force === true || c.req.query('force') === 'true';
    try {
      const { order: updated, held } = payments.payerAction(order.id, PAYER_ACTIONS[action], { force });
      if (held) c.header('x-sandbox-held', `scenario ${order.scenarioId ?? ''} holds this order; send {"force": true} to override`);
      return c.json(view(updated));
    } catch (error) {
      if (isSandboxError(error, 'INVALID_TRANSITION')) {
        return adminError(c, 'INVALID_TRANSITION', `order ${orderNo} is ${order.state}: cannot ${action} it`);
      }
      throw error;
    }
  });

  return app;
}
