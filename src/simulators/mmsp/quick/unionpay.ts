import { isAwaitingPayment } from '../../../core/domain.js';
import type { Command } from '../command.js';
import { BODY_CODES, replyCommandId } from '../codes.js';
import { parseFields } from '../fields.js';
import { CARD_TYPE } from './attributes.js';
import { checkCard } from './cards.js';
import { compactOrEmpty, placeQuickOrder, quickStatus, refuseQuick } from './orders.js';
import { unionpayOrder } from './schemas.js';

/**
 * 5.14 银联快捷支付下单 (783, flow C): an order paid on a hosted page the payer's
 * phone opens. PAY_URL is the sandbox's page; TRADE_MODE 2 adds HTML, a page
 * that sends the browser there ("可直接在页面上输出html"). After paying, the
 * browser goes to JUMP_URL with no data ("不携带任何交易数据,只做展示用"); the
 * payment is notified like any quick payment. CARDNO, when sent, must be a card
 * the sandbox knows.
 */
export const unionpayCommand: Command = {
  id: 783,
  replyId: replyCommandId(783),
  name: '783 银联快捷下单',
  kind: 'create',
  product: 'quick.unionpay',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(unionpayOrder, request.body);
    const echo = { MERORDERID: fields.MERORDERID, AMT: String(fields.AMT) };
    const card = fields.CARDNO ? checkCard(sim, c, { number: fields.CARDNO }, echo) : undefined;
    const order = placeQuickOrder(request, sim, c, {
      orderNo: fields.MERORDERID,
      amount: fields.AMT,
      product: 'quick.unionpay',
      notifyUrl: fields.NOTIFY_URL,
      ...(card ? { card: card.number } : {}),
      attributes: {
        mode: 'unionpay',
        jumpUrl: fields.JUMP_URL,
        ...(card ? { card: { number: card.number, type: CARD_TYPE[card.type], bank: card.bank } } : {}),
      },
    });
    const payUrl = sim.payPageUrl(c, order);
    const status = quickStatus(order);
    return {
      // The document's example answers the new order with ERRMSG 用户支付中 (and no ERRCODE).
      ...(isAwaitingPayment(order.state) ? { STATUS: '0', ERRMSG: BODY_CODES.PAYING.text } : status),
      LIST_ID: order.platformOrderNo,
      MERORDERID: order.orderNo,
      PAY_DATE: compactOrEmpty(order.paidAt),
      NOTIFY_DATE: compactOrEmpty(order.paidAt),
      PAY_URL: payUrl,
      AMT: String(order.amount),
      ...(fields.TRADE_MODE === '2' ? { HTML: redirectHtml(payUrl) } : {}),
    };
  },
};

/** What a TRADE_MODE 2 merchant prints: a form that submits itself to the pay page. */
function redirectHtml(payUrl: string): string {
  const action = payUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<form id="unionpay_quick" name="unionpay_quick" action="${action}" method="get"></form><script>document.forms['unionpay_quick'].submit();</script>`;
}
