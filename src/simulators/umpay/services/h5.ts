import { annotate } from '../../../core/exchange.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import type { UmpayOrderAttributes } from '../attributes.js';
import type { ServiceDefinition } from '../service.js';
import { commonOrderFields, defined } from './apply-pay.js';
import { orderNumber, tradeNumber } from './common.js';

/**
 * pay_req_h5_frontpage (H5收银台): the browser is sent to the gateway with the
 * order (seed lines 24–43) and lands on the cashier — the sandbox's hosted
 * page listing the banks of §7 (credit) and §8 (debit). "此请求为页面跳转，
 * 所以无同步响应" (§2.2.3): success is a 302 to the page; the result comes by
 * the front (ret_url) and back (notify_url) notifications.
 */
export const h5Cashier: ServiceDefinition = {
  name: 'pay_req_h5_frontpage',
  title: 'H5收银台下单',
  product: 'h5',
  browser: true,
  handle(request, sim: SimulatorContext, c) {
    const { values, merchant } = request;
    const common = commonOrderFields(values);
    annotate(c, { orderNo: orderNumber(common.orderId, common.merDate) });
    const attributes: UmpayOrderAttributes = defined({
      family: 'umpay',
      orderId: common.orderId,
      merDate: common.merDate,
      charset: request.charset,
      flow: 'h5',
      goodsId: common.goodsId,
      goodsInf: common.goodsInf,
      merPriv: common.merPriv,
      expand: common.expand,
      userIp: common.userIp,
      merCustId: common.merCustId,
      payElements: [],
    });
    const order = sim.placeOrder(c, {
      provider: 'umpay',
      merchantId: merchant.merchantId,
      orderNo: orderNumber(common.orderId, common.merDate),
      product: 'h5.cashier',
      amount: common.amount,
      notifyUrl: common.notifyUrl,
      returnUrl: common.retUrl,
      attributes: attributes as unknown as Record<string, unknown>,
      expiresAt: sim.clock.now() + common.expiresInMinutes * 60_000,
      natural: 'awaiting',
      platformOrderNo: tradeNumber,
    });
    return { kind: 'redirect', url: sim.payPageUrl(c, order) };
  },
};
