import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aggpayClient, AggpayUnreachable, type AggAnswer, type AggpayConfig } from './aggpay.js';
import { mmspClient, MmspRefused, MmspUnreachable, signatureHolds, type MmspBody, type MmspConfig } from './mmsp.js';

/**
 * A small shop that takes payments through MMSP scan pay (a QR code to scan,
 * or the payer's code scanned at the till) and the aggregated pay platform,
 * the way a careful merchant integrates them:
 * - every request signed, every reply's signature checked before it is believed;
 * - a notification endpoint per provider that verifies the signature and the
 *   amount, then answers exactly the acknowledgement the provider wants
 *   (`SUCCESS`), and anything else when it does not trust it;
 * - the order is **queried** whenever the answer leaves the outcome open:
 *   AA (用户支付中), a system error (`[-9999]`, 系统繁忙), a timeout;
 * - D4 (订单已关闭) is a closed order, not a failure to retry.
 */

export type ShopOrderState = 'awaiting_payment' | 'paying' | 'paid' | 'failed' | 'closed' | 'unknown';

export interface ShopOrder {
  orderNo: string;
  channel: 'mmsp' | 'aggpay';
  /** Fen. */
  amount: number;
  state: ShopOrderState;
  /** Where the payer pays (a QR code's content, a cashier page), when there is one. */
  payUrl?: string;
  /** The provider's number for the order. */
  platformOrderNo?: string;
  /** Why the state is what it is, for the shop's own log. */
  reason?: string;
  /** How the shop learnt the order was paid. */
  paidBy?: 'answer' | 'notification' | 'query';
}

export interface ShopConfig {
  mmsp: Omit<MmspConfig, 'endpoint'> & { gateway: string };
  aggpay: Omit<AggpayConfig, 'baseUrl'> & { gateway: string };
  /** Where the shop listens for notifications; 0 picks a free port. */
  port?: number;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface Shop {
  /** The notification endpoints' base URL, e.g. `http://127.0.0.1:50123`. */
  readonly url: string;
  order(orderNo: string): ShopOrder | undefined;
  /** MMSP WeChat/Alipay QR (2306/2308): answers the order, with the URL to show as a QR code. */
  checkoutQr(orderNo: string, amount: number, wallet?: 'wechat' | 'alipay'): Promise<ShopOrder>;
  /** MMSP micropay 刷卡 (2307/2309): the till scanned the payer's code. */
  payWithCode(orderNo: string, amount: number, code: string, wallet?: 'wechat' | 'alipay'): Promise<ShopOrder>;
  /** The aggregated platform's unified order: answers the order with its cashier URL. */
  checkoutAggpay(orderNo: string, amount: number, bankCode?: string): Promise<ShopOrder>;
  /** Queries the provider and settles the order from the answer (run after AA, a system error, a timeout, or by a job). */
  reconcile(orderNo: string): Promise<ShopOrder>;
  close(): Promise<void>;
}

export async function startShop(config: ShopConfig): Promise<Shop> {
  const orders = new Map<string, ShopOrder>();
  const mmsp = mmspClient({ ...config.mmsp, endpoint: `${config.mmsp.gateway.replace(/\/+$/, '')}/mmsp/api` });
  const aggpay = aggpayClient({ ...config.aggpay, baseUrl: `${config.aggpay.gateway.replace(/\/+$/, '')}/aggpay` });
  let random = 0;
  const randstr = () => `r${Date.now().toString(36)}${(random++).toString(36)}`.slice(0, 20);

  const update = (order: ShopOrder, change: Partial<ShopOrder>): ShopOrder => {
    // A paid order stays paid: a late or replayed message never undoes it.
    if (order.state === 'paid' && change.state && change.state !== 'paid') return order;
    Object.assign(order, change);
    return order;
  };

  /** MMSP STATUS / ERR_CODE (§10.3, §11): 1 paid; 3 or AA still paying; 2 with D4 closed; 2 otherwise failed. */
  const settleMmsp = (order: ShopOrder, body: MmspBody, via: 'answer' | 'query'): ShopOrder => {
    const platformOrderNo = typeof body.ORDERNO === 'string' ? body.ORDERNO : order.platformOrderNo;
    if (body.STATUS === '1') {
      if (via === 'query' && body.AMT !== undefined && Number(body.AMT) !== order.amount) {
        return update(order, { state: 'unknown', reason: `amount ${body.AMT} differs from ${order.amount}` });
      }
      return update(order, { state: 'paid', paidBy: order.paidBy ?? via, ...(platformOrderNo ? { platformOrderNo } : {}) });
    }
    if (body.STATUS === '3' || body.ERR_CODE === 'AA') return update(order, { state: 'paying', reason: 'AA 用户支付中: query again' });
    if (body.ERR_CODE === 'D4') return update(order, { state: 'closed', reason: 'D4 订单已关闭' });
    return update(order, { state: 'failed', reason: `${body.ERR_CODE ?? ''} ${body.ERR_CODE_MSG ?? ''}`.trim() });
  };

  /** The outcome is open: a system error, a timeout, a reply that did not verify. */
  const unknown = (order: ShopOrder, error: unknown): ShopOrder => {
    // -9999 is the scripted system error (and -9998 the platform's own fault): the order may exist, so query.
    if (error instanceof MmspRefused && error.code !== -9999 && error.code !== -9998) return update(order, { state: 'failed', reason: error.message });
    if (error instanceof MmspRefused || error instanceof MmspUnreachable || error instanceof AggpayUnreachable) {
      return update(order, { state: 'unknown', reason: `${error.message}: query it` });
    }
    throw error;
  };

  /** aggpay pay_status (§5.4): 1 paid, 0 failed, -1 paying. */
  const settleAggpay = (order: ShopOrder, answer: AggAnswer, via: 'answer' | 'query'): ShopOrder => {
    if (answer.status !== '1') return update(order, { state: 'unknown', reason: `${answer.message}: query it` });
    const data = answer.data;
    if (typeof data.platform_order_no === 'string') order.platformOrderNo = data.platform_order_no;
    if (Number(data.pay_status) === 1) return update(order, { state: 'paid', paidBy: order.paidBy ?? via });
    if (Number(data.pay_status) === 0) return update(order, { state: 'failed', reason: 'pay_status 0' });
    return update(order, { state: 'awaiting_payment' });
  };

  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, text: string) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(text);
    };
    try {
      const text = await readBody(request);
      if (request.method === 'POST' && request.url === '/notify/mmsp') {
        // 10.8 支付结果通知: verify the Sign over the Body, then the amount; print SUCCESS only then.
        let push: { CommandID?: number; Body?: MmspBody; Sign?: string };
        try {
          push = JSON.parse(text);
        } catch {
          return reply(400, 'FAIL');
        }
        if (push.CommandID !== 2324 || !signatureHolds(push.Body, push.Sign, config.mmsp.key)) return reply(400, 'FAIL');
        const body = push.Body!;
        const order = orders.get(String(body.MERORDERID));
        if (!order || Number(body.AMT) !== order.amount) return reply(400, 'FAIL');
        if (body.STATUS === '1') update(order, { state: 'paid', paidBy: order.paidBy ?? 'notification', platformOrderNo: String(body.ORDERNO) });
        return reply(200, 'SUCCESS');
      }
      if (request.method === 'POST' && request.url === '/notify/aggpay') {
        // §5.2 支付异步通知: callback sign (empty values kept), amount in fen with two decimals.
        const fields = Object.fromEntries(new URLSearchParams(text));
        if (!aggpay.callbackValid(fields)) return reply(400, 'FAIL');
        const order = orders.get(fields.order_no ?? '');
        if (!order || Math.round(Number(fields.amount)) !== order.amount) return reply(400, 'FAIL');
        if (fields.pay_status === '1') update(order, { state: 'paid', paidBy: order.paidBy ?? 'notification' });
        if (fields.pay_status === '0') update(order, { state: 'failed', reason: 'pay_status 0 (notified)' });
        return reply(200, 'SUCCESS');
      }
      return reply(404, 'not found');
    } catch {
      return reply(500, 'FAIL');
    }
  });
  await new Promise<void>((resolve) => server.listen(config.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const create = (orderNo: string, channel: ShopOrder['channel'], amount: number): ShopOrder => {
    if (orders.has(orderNo)) throw new Error(`order ${orderNo} exists`);
    const order: ShopOrder = { orderNo, channel, amount, state: 'awaiting_payment' };
    orders.set(orderNo, order);
    return order;
  };

  return {
    url,
    order: (orderNo) => orders.get(orderNo),

    async checkoutQr(orderNo, amount, wallet = 'wechat') {
      const order = create(orderNo, 'mmsp', amount);
      try {
        const body = await mmsp(wallet === 'wechat' ? 2306 : 2308, {
          TRADETYPE: '1',
          AMT: String(amount),
          MERORDERID: orderNo,
          RANDSTR: randstr(),
          GOODSNAME: '示例商品',
          NOTIFY_URL: `${url}/notify/mmsp`,
        });
        if (body.STATUS !== '1') return settleMmsp(order, body, 'answer');
        return update(order, { payUrl: String(body.URL), platformOrderNo: String(body.ORDERNO) });
      } catch (error) {
        return unknown(order, error);
      }
    },

    async payWithCode(orderNo, amount, code, wallet = 'wechat') {
      const order = create(orderNo, 'mmsp', amount);
      try {
        const body = await mmsp(wallet === 'wechat' ? 2307 : 2309, {
          AMT: String(amount),
          CUR: 'CNY',
          GOODSNAME: '示例商品',
          NOTIFY_URL: `${url}/notify/mmsp`,
          MERORDERID: orderNo,
          RANDSTR: randstr(),
          CODE: code,
        });
        return settleMmsp(order, body, 'answer');
      } catch (error) {
        return unknown(order, error);
      }
    },

    async checkoutAggpay(orderNo, amount, bankCode = '912') {
      const order = create(orderNo, 'aggpay', amount);
      try {
        const answer = await aggpay.unified({
          order_no: orderNo,
          amount: String(amount),
          product_name: 'onlinepay',
          bank_code: bankCode,
          notify_url: `${url}/notify/aggpay`,
          return_url: `${url}/return/aggpay`,
        });
        if (answer.status === '1' && typeof answer.data.redirect_url === 'string') order.payUrl = answer.data.redirect_url;
        return settleAggpay(order, answer, 'answer');
      } catch (error) {
        return unknown(order, error);
      }
    },

    async reconcile(orderNo) {
      const order = orders.get(orderNo);
      if (!order) throw new Error(`no order ${orderNo}`);
      if (order.state === 'paid' || order.state === 'failed' || order.state === 'closed') return order;
      try {
        if (order.channel === 'mmsp') return settleMmsp(order, await mmsp(2310, { MERORDERID: orderNo, RANDSTR: randstr() }), 'query');
        return settleAggpay(order, await aggpay.checkOrder(orderNo), 'query');
      } catch (error) {
        return unknown(order, error);
      }
    },

    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
