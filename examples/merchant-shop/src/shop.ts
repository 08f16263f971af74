import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aggpayClient, AggpayUnreachable, type AggAnswer, type AggpayConfig } from './aggpay.js';
import { mmspClient, MmspRefused, MmspUnreachable, signatureHolds, type MmspBody, type MmspConfig } from './mmsp.js';
import { payoutClient, PayoutRefused, PayoutUnknown, type PayoutConfig } from './payout.js';
import { merDate, umpayClient, UmpayUnknown, type UmpayConfig } from './umpay.js';

/**
 * A small shop that takes payments through MMSP scan pay (a QR code to scan,
 * or the payer's code scanned at the till), the aggregated pay platform and
 * UMPay quick pay (card, SMS code), and pays out through MMSP payouts (代付),
 * the way a careful merchant integrates them:
 * - every request signed, every reply's signature checked before it is believed;
 * - a notification endpoint per provider that verifies the signature and the
 *   amount, then answers exactly the acknowledgement the provider wants
 *   (`SUCCESS`), and anything else when it does not trust it;
 * - the order is **queried** whenever the answer leaves the outcome open:
 *   AA (用户支付中), a lost answer (the scripted system error drops the
 *   connection), the platform's own fault (`[-9998]`), a timeout;
 * - D4 (订单已关闭) is a closed order, not a failure to retry;
 * - UMPay: a notification is acknowledged with the shop's signed META page,
 *   never a plain SUCCESS; a 504 (its system error) is queried;
 * - payouts: RETCODE 0001 is queried whatever PAYSTATE says (代付 §6.2 注2),
 *   PAYSTATE 3 is failed with the funds back on the balance, and the balance
 *   is read with 4099.
 */

export type ShopOrderState = 'awaiting_payment' | 'paying' | 'paid' | 'failed' | 'closed' | 'unknown';

export interface ShopOrder {
  orderNo: string;
  channel: 'mmsp' | 'aggpay' | 'umpay';
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
  /** UMPay: the order's date (with orderNo, its identity) and the card the payer gave. */
  merDate?: string;
  card?: UmpayCard;
}

/** A payer's card for UMPay quick pay, as the checkout form collects it. */
export interface UmpayCard {
  number: string;
  holder: string;
  idNumber: string;
  mobile: string;
  /** UMPay's bank code (`gate_id`): ICBC, CCB… */
  bank: string;
  type?: 'DEBITCARD' | 'CREDITCARD';
  /** Credit cards: YYMM and CVV2. */
  validDate?: string;
  cvv2?: string;
}

export type PayoutState = 'paying' | 'paid' | 'failed' | 'unknown';

export interface ShopPayout {
  /** The shop's number: digits only (ORDERNO, 代付 §5.1). */
  payoutNo: string;
  /** Fen. */
  amount: number;
  state: PayoutState;
  /** MMSP's number. */
  bsOrderNo?: string;
  reason?: string;
  /** A failed payout's amount and fee went back to the balance (PAYSTATE 3). */
  fundsBack?: boolean;
}

export interface Payee {
  name: string;
  account: string;
  bank: string;
  mobile: string;
}

/** 4099's ACCINFO, in fen. */
export interface PayoutBalance {
  /** BALANCEPAY: what payouts draw on. */
  available: number;
  /** FREEZEBAL: payouts in flight (amount and fee). */
  frozen: number;
  /** ADVANCEPAY. */
  advance: number;
}

export interface ShopConfig {
  mmsp: Omit<MmspConfig, 'endpoint'> & { gateway: string };
  aggpay: Omit<AggpayConfig, 'baseUrl'> & { gateway: string };
  /** MMSP payouts: the merchant number and its RSA keys. */
  payout?: Omit<PayoutConfig, 'endpoint'> & { gateway: string };
  /** UMPay quick pay: the mer_id and its RSA key, the platform certificate. */
  umpay?: Omit<UmpayConfig, 'endpoint'> & { gateway: string };
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
  /**
   * UMPay quick pay: places the order (apply_pay_shortcut) and asks for the SMS
   * code with the card's elements (sms_req_shortcut). The payer then types the code.
   */
  checkoutUmpay(orderNo: string, amount: number, card: UmpayCard): Promise<ShopOrder>;
  /** UMPay quick pay: confirms with the SMS code (confirm_pay_shortcut). */
  confirmUmpay(orderNo: string, smsCode: string): Promise<ShopOrder>;
  /** Queries the provider and settles the order from the answer (run after AA, a system error, a timeout, or by a job). */
  reconcile(orderNo: string): Promise<ShopOrder>;
  payout(payoutNo: string, amount: number, payee: Payee): Promise<ShopPayout>;
  payoutOf(payoutNo: string): ShopPayout | undefined;
  /** Queries a payout (4098) and settles it: after 0001, a timeout, or while it is paying. */
  reconcilePayout(payoutNo: string): Promise<ShopPayout>;
  /** The payout account (4099). */
  balance(): Promise<PayoutBalance>;
  close(): Promise<void>;
}

export async function startShop(config: ShopConfig): Promise<Shop> {
  const orders = new Map<string, ShopOrder>();
  const mmsp = mmspClient({ ...config.mmsp, endpoint: `${config.mmsp.gateway.replace(/\/+$/, '')}/mmsp/api` });
  const aggpay = aggpayClient({ ...config.aggpay, baseUrl: `${config.aggpay.gateway.replace(/\/+$/, '')}/aggpay` });
  const payouts = new Map<string, ShopPayout>();
  const payoutCall = config.payout ? payoutClient({ ...config.payout, endpoint: `${config.payout.gateway.replace(/\/+$/, '')}/mmsp/payout` }) : undefined;
  const ump = config.umpay ? umpayClient({ ...config.umpay, endpoint: `${config.umpay.gateway.replace(/\/+$/, '')}/umpay/spay/pay/payservice.do` }) : undefined;
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
    // -9998 is the platform's own fault: the order may exist, so query. (The scripted system error, magic
    // amount 2004, drops the connection: MmspUnreachable.)
    if (error instanceof MmspRefused && error.code !== -9998) return update(order, { state: 'failed', reason: error.message });
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

  /** UMPay trade_state (the SDKs'): TRADE_SUCCESS paid, TRADE_FAIL failed, TRADE_CLOSED / TRADE_CANCEL closed, WAIT_BUYER_PAY paying. */
  const settleUmpay = (order: ShopOrder, fields: Record<string, string | undefined>, via: 'answer' | 'query' | 'notification'): ShopOrder => {
    if (fields.amount !== undefined && Number(fields.amount) !== order.amount) {
      return update(order, { state: 'unknown', reason: `amount ${fields.amount} differs from ${order.amount}` });
    }
    switch (fields.trade_state) {
      case 'TRADE_SUCCESS':
        return update(order, { state: 'paid', paidBy: order.paidBy ?? via });
      case 'TRADE_FAIL':
        return update(order, { state: 'failed', reason: `${fields.error_code ?? fields.ret_code ?? ''} ${fields.ret_msg ?? 'TRADE_FAIL'}`.trim() });
      case 'TRADE_CLOSED':
      case 'TRADE_CANCEL':
        return update(order, { state: 'closed', reason: fields.trade_state });
      default:
        return update(order, { state: 'paying', reason: 'WAIT_BUYER_PAY: query again' });
    }
  };

  /**
   * A payout answer (代付 §6.2): 0000 → PAYSTATE (1 paid, 3 failed with the funds back, 2 and 5 paying);
   * 0001 → unknown, whatever PAYSTATE says (注2: query); any other code on a submission is a refusal
   * (nothing was paid) but 1008 (a used ORDERNO: this payout may exist), on a query 1028 (never taken).
   */
  const settlePayout = (payout: ShopPayout, reply: Record<string, unknown>, via: 'submit' | 'query'): ShopPayout => {
    const code = String(reply.RETCODE ?? '');
    const message = String(reply.RETMSG ?? reply.REMSG ?? '');
    const change: Partial<ShopPayout> = typeof reply.BSORDERNO === 'string' && reply.BSORDERNO ? { bsOrderNo: reply.BSORDERNO } : {};
    let next: Partial<ShopPayout>;
    if (code === '0001') next = { state: 'unknown', reason: `0001 ${message}: query, whatever PAYSTATE says` };
    else if (code === '0000') {
      if (reply.AMT !== undefined && Number(reply.AMT) !== payout.amount) next = { state: 'unknown', reason: `amount ${String(reply.AMT)} differs from ${payout.amount}` };
      else if (reply.PAYSTATE === '1') next = { state: 'paid', reason: String(reply.DESC ?? '') };
      else if (reply.PAYSTATE === '3') next = { state: 'failed', fundsBack: true, reason: String(reply.DESC ?? '付款失败') };
      else next = { state: 'paying', reason: `PAYSTATE ${String(reply.PAYSTATE)}: query again` };
    } else if ((via === 'submit' && code !== '1008') || (via === 'query' && code === '1028')) next = { state: 'failed', reason: `${code} ${message}`.trim() };
    else next = { state: 'unknown', reason: `${code} ${message}: query again`.trim() };
    // A settled payout stays settled: a late answer never undoes it.
    if (payout.state === 'paid' || payout.state === 'failed') return payout;
    return Object.assign(payout, change, next);
  };

  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, text: string) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(text);
    };
    try {
      const text = await readBody(request);
      if (request.method === 'GET' && request.url?.startsWith('/notify/umpay?') && ump) {
        // UMPay's notification is a GET of notify_url with the fields in the query, signed by the platform.
        // Verified, and the amount checked, it is answered with the shop's signed META; anything else is
        // not acknowledged (and UMPay retries).
        const { valid, fields } = ump.readNotification(request.url);
        const order = valid && fields.mer_id === config.umpay!.merId ? orders.get(fields.order_id ?? '') : undefined;
        if (!order || order.channel !== 'umpay' || fields.mer_date !== order.merDate || Number(fields.amount) !== order.amount) return reply(400, 'FAIL');
        settleUmpay(order, fields, 'notification');
        response.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
        return response.end(ump.acknowledge(fields));
      }
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

    async checkoutUmpay(orderNo, amount, card) {
      if (!ump) throw new Error('UMPay is not configured');
      const order = create(orderNo, 'umpay', amount);
      Object.assign(order, { merDate: merDate(), card });
      try {
        const placed = await ump.call('apply_pay_shortcut', {
          order_id: orderNo,
          mer_date: order.merDate!,
          amount: String(amount),
          amt_type: 'RMB',
          pay_type: card.type ?? 'DEBITCARD',
          gate_id: card.bank,
          notify_url: `${url}/notify/umpay`,
          // The shop keeps an unpaid order 30 minutes (1 to 1440; 24 hours by default).
          expire_time: '30',
          goods_inf: '示例商品',
        });
        if (placed.ret_code !== '0000') return update(order, { state: 'failed', reason: `${placed.ret_code} ${placed.ret_msg ?? ''}`.trim() });
        order.platformOrderNo = placed.trade_no;
        // The elements the platform still wants (payElements), from the card the payer typed.
        const elements: Record<string, string> = {
          card_id: card.number,
          card_holder: card.holder,
          identity_type: 'IDENTITY_CARD',
          identity_code: card.idNumber,
          ...(card.validDate ? { valid_date: card.validDate } : {}),
          ...(card.cvv2 ? { cvv2: card.cvv2 } : {}),
        };
        const wanted = (placed.payElements ?? '').split(',').filter(Boolean);
        const sms = await ump.call('sms_req_shortcut', {
          trade_no: placed.trade_no!,
          media_id: card.mobile,
          media_type: 'MOBILE',
          ...Object.fromEntries(wanted.filter((name) => elements[name] !== undefined).map((name) => [name, elements[name]!])),
        });
        // A refused element (00990021 …) leaves the order open: the payer corrects the card and asks again.
        if (sms.ret_code !== '0000') return update(order, { state: 'awaiting_payment', reason: `${sms.ret_code} ${sms.ret_msg ?? ''}`.trim() });
        return update(order, { state: 'awaiting_payment', reason: 'SMS code sent' });
      } catch (error) {
        if (error instanceof UmpayUnknown) return update(order, { state: 'unknown', reason: `${error.message}: query it` });
        throw error;
      }
    },

    async confirmUmpay(orderNo, smsCode) {
      const order = orders.get(orderNo);
      if (!order || order.channel !== 'umpay' || !ump) throw new Error(`no UMPay order ${orderNo}`);
      try {
        const answer = await ump.call('confirm_pay_shortcut', {
          trade_no: order.platformOrderNo!,
          verify_code: smsCode,
          media_id: order.card!.mobile,
          media_type: 'MOBILE',
        });
        if (answer.ret_code === '0000' || answer.trade_state) return settleUmpay(order, answer, 'answer');
        // A wrong or expired code: the payer may try again (a new code after 60 s).
        return update(order, { state: 'awaiting_payment', reason: `${answer.ret_code} ${answer.ret_msg ?? ''}`.trim() });
      } catch (error) {
        // UMPay's system error is a 504 with no page: the payment may have gone through.
        if (error instanceof UmpayUnknown) return update(order, { state: 'unknown', reason: `${error.message}: query it` });
        throw error;
      }
    },

    async reconcile(orderNo) {
      const order = orders.get(orderNo);
      if (!order) throw new Error(`no order ${orderNo}`);
      if (order.state === 'paid' || order.state === 'failed' || order.state === 'closed') return order;
      try {
        if (order.channel === 'umpay') {
          const answer = await ump!.call('query_order', { order_id: orderNo, mer_date: order.merDate! });
          if (answer.ret_code !== '0000') return update(order, { state: 'unknown', reason: `${answer.ret_code} ${answer.ret_msg ?? ''}: query again`.trim() });
          return settleUmpay(order, answer, 'query');
        }
        if (order.channel === 'mmsp') return settleMmsp(order, await mmsp(2310, { MERORDERID: orderNo, RANDSTR: randstr() }), 'query');
        return settleAggpay(order, await aggpay.checkOrder(orderNo), 'query');
      } catch (error) {
        if (error instanceof UmpayUnknown) return update(order, { state: 'unknown', reason: `${error.message}: query it` });
        return unknown(order, error);
      }
    },

    async payout(payoutNo, amount, payee) {
      if (!payoutCall) throw new Error('payouts are not configured');
      if (payouts.has(payoutNo)) throw new Error(`payout ${payoutNo} exists`);
      const payout: ShopPayout = { payoutNo, amount, state: 'unknown' };
      payouts.set(payoutNo, payout);
      try {
        const answer = await payoutCall({
          CMDID: '4097',
          ORDERNO: payoutNo,
          AMT: String(amount),
          BUSIYPE: '001',
          ACCNAME: payee.name,
          ACCNO: payee.account,
          ACCTYPE: '0',
          PAYTYPE: '1',
          MOBILE: payee.mobile,
          BANKNAME: payee.bank,
          MEMO: '示例商户代付',
        });
        return settlePayout(payout, answer, 'submit');
      } catch (error) {
        if (error instanceof PayoutRefused) return Object.assign(payout, { state: 'failed' as const, reason: error.message });
        if (error instanceof PayoutUnknown) return Object.assign(payout, { state: 'unknown' as const, reason: `${error.message}: query it` });
        throw error;
      }
    },

    payoutOf: (payoutNo) => payouts.get(payoutNo),

    async reconcilePayout(payoutNo) {
      const payout = payouts.get(payoutNo);
      if (!payout || !payoutCall) throw new Error(`no payout ${payoutNo}`);
      if (payout.state === 'paid' || payout.state === 'failed') return payout;
      try {
        return settlePayout(payout, await payoutCall({ CMDID: '4098', ORDERNO: payoutNo }), 'query');
      } catch (error) {
        if (error instanceof PayoutRefused || error instanceof PayoutUnknown) return Object.assign(payout, { state: 'unknown' as const, reason: `${error.message}: query again` });
        throw error;
      }
    },

    async balance() {
      if (!payoutCall) throw new Error('payouts are not configured');
      // The query's own serial: digits only.
      const answer = await payoutCall({ CMDID: '4099', QRYTYPE: '1', ORDERNO: `${Date.now()}${(random++).toString().padStart(4, '0')}` });
      const group = Array.isArray(answer.ACCINFO) ? answer.ACCINFO[0] : undefined;
      if (answer.RETCODE !== '0000' || !group) throw new Error(`balance query refused: ${String(answer.RETCODE)} ${String(answer.RETMSG ?? '')}`);
      return { available: Number(group.BALANCEPAY), frozen: Number(group.FREEZEBAL), advance: Number(group.ADVANCEPAY) };
    },

    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
