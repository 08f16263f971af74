import { isAwaitingPayment } from '../../../core/domain.js';
import type { Command } from '../command.js';
import { replyCommandId } from '../codes.js';
import { BusinessError, EnvelopeError } from '../errors.js';
import { parseFields } from '../fields.js';
import { bindingAttributes, quickAttributes } from './attributes.js';
import { findBinding } from './bindings.js';
import {
  compactOrEmpty,
  confirmationStatus,
  ensurePayable,
  findQuickOrder,
  placeQuickOrder,
  refuseQuick,
  settle,
} from './orders.js';
import { bindPayConfirm, bindPaySms } from './schemas.js';
import { sendChallenge, verifyChallenge } from './sms.js';

/**
 * 5.13 绑卡支付短信 (780): pays with a card bound before (BIND_ID of this merchant
 * and USER_ID, active), without its elements again. Places the order (LIST_ID)
 * and sends the code to the bound phone, which must be the one given.
 */
const bindPaySmsCommand: Command = {
  id: 780,
  replyId: replyCommandId(780),
  name: '780 绑卡支付短信',
  kind: 'create',
  product: 'quick.bindpay',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(bindPaySms, request.body);
    const echo = { USER_ID: fields.USER_ID, MERORDERID: fields.MERORDERID };
    const binding = findBinding(sim, request.merchant, fields.BIND_ID, { userId: fields.USER_ID, fields: echo });
    const bound = bindingAttributes(binding);
    // The bound phone is the card's: another number does not match (the 4-element check of 5.3).
    if (fields.PHONENO !== bound.phone) throw new BusinessError('ELEMENTS', undefined, { ...echo, CARDNO: bound.cardNo });
    const card = sim.store.cards.get(bound.cardNo);
    const order = placeQuickOrder(
      request,
      sim,
      c,
      {
        orderNo: fields.MERORDERID,
        amount: fields.AMT,
        product: 'quick.bindpay',
        // 779 carries NOTIFY_URL.
        notifyUrl: null,
        card: bound.cardNo,
        attributes: {
          mode: 'bindpay',
          card: { number: bound.cardNo, type: bound.cardType ?? '', bank: bound.bank ?? '' },
          ...(card ? { behaviour: card.behaviour } : {}),
          phone: bound.phone,
          userId: bound.userId,
          bindId: binding.platformNumber,
        },
      },
      (order) => {
        if (isAwaitingPayment(order.state)) sendChallenge(sim, sim.store.records.get(order.id)!, bound.phone);
      },
    );
    const common = { USER_ID: bound.userId, LIST_ID: order.platformOrderNo, MERORDERID: order.orderNo, CARDNO: bound.cardNo };
    // A failed order (magic amount 2003) answers STATUS 2 with its failure.
    if (order.state === 'failed' || order.state === 'closed') confirmationStatus(order, common);
    return { ...common, STATUS: '1' };
  },
};

/**
 * 5.12 快捷绑卡支付确认 (779): confirms the 780 order of the same MERORDERID with
 * its code. BIND_ID, USER_ID and AMT must be the 780's (AMT otherwise answers the
 * FAQ's [-3005] 交易金额不符). STATUS 1 paid, 0 state unknown — query (AA, a
 * scenario holding it), 2 failed.
 */
const bindPayConfirmCommand: Command = {
  id: 779,
  replyId: replyCommandId(779),
  name: '779 快捷绑卡支付确认',
  kind: 'other',
  product: 'quick.bindpay',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(bindPayConfirm, request.body);
    const order = findQuickOrder(sim, c, request.merchant, { orderNo: fields.MERORDERID });
    const attributes = quickAttributes(order)!;
    if (attributes.mode !== 'bindpay') throw new EnvelopeError('ORDER_NOT_FOUND', `${fields.MERORDERID}（不是绑卡支付订单，请先调用780）`);
    const reply = {
      USER_ID: fields.USER_ID,
      BIND_ID: fields.BIND_ID,
      LIST_ID: order.platformOrderNo,
      MERORDERID: order.orderNo,
      AMT: String(order.amount),
      BANK_NAME: attributes.card?.bank ?? '',
      CARDNO: attributes.card?.number ?? '',
    };
    if (fields.BIND_ID !== attributes.bindId) throw new BusinessError('BIND_UNKNOWN', '签约序列号与绑卡支付短信(780)不一致', reply);
    if (fields.USER_ID !== attributes.userId) throw new BusinessError('BIND_USER', undefined, reply);
    if (fields.AMT !== order.amount) throw new EnvelopeError('AMOUNT', `AMT必须与绑卡支付短信(780)一致：${order.amount}`);
    ensurePayable(order, reply);
    verifyChallenge(sim, sim.store.records.get(order.id)!, fields.MSG_CODE, reply);
    sim.records.update(order.id, (record) => {
      record.notifyUrl = fields.NOTIFY_URL;
    });
    const settled = settle(sim, order);
    return {
      ...reply,
      ...confirmationStatus(settled, reply),
      PAY_DATE: compactOrEmpty(settled.paidAt),
      NOTIFY_DATE: compactOrEmpty(settled.paidAt),
    };
  },
};

export const bindPayCommands: Command[] = [bindPaySmsCommand, bindPayConfirmCommand];
