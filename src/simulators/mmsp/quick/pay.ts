import { isAwaitingPayment, type Order } from '../../../core/domain.js';
import type { Command } from '../command.js';
import { replyCommandId } from '../codes.js';
import { BusinessError } from '../errors.js';
import { parseFields } from '../fields.js';
import { CARD_TYPE, quickAttributes, type BindingAttributes } from './attributes.js';
import { activeBinding, createBinding, pendingBindingByListId } from './bindings.js';
import { checkCard } from './cards.js';
import {
  compactOrEmpty,
  confirmationStatus,
  ensurePayable,
  findQuickOrder,
  orderFields,
  placeQuickOrder,
  quickStatus,
  refuseQuick,
  settle,
} from './orders.js';
import { cardPay, orderQuery, smsConfirm, smsResend } from './schemas.js';
import { resendChallenge, sendChallenge, verifyChallenge } from './sms.js';

/**
 * 5.3 快捷支付交易 (771): checks the card elements, places the order and sends
 * the SMS code (flow A). With USER_ID the card is bound once the payment
 * succeeds (bind mode A) and the answer carries its BIND_ID. STATUS 0 placed
 * (awaiting the code), 2 failed (a card past its date, magic amount 2003).
 */
const cardPayCommand: Command = {
  id: 771,
  replyId: replyCommandId(771),
  name: '771 快捷支付交易',
  kind: 'create',
  product: 'quick',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(cardPay, request.body);
    const echo = { MERORDERID: fields.MERORDERID, AMT: String(fields.AMT), CARDNO: fields.CARDNO };
    const credit = fields.CARDTYPE === CARD_TYPE.credit;
    const card = checkCard(
      sim,
      c,
      {
        number: fields.CARDNO,
        holder: fields.NAME,
        idNumber: fields.ID_NO,
        phone: fields.PHONENO,
        type: fields.CARDTYPE,
        ...(credit ? { validDate: fields.EXPDATE, cvv2: fields.CVN2 } : {}),
      },
      echo,
    );
    const existing = fields.USER_ID ? activeBinding(sim, request.merchantId, fields.USER_ID, fields.CARDNO) : undefined;
    const order = placeQuickOrder(
      request,
      sim,
      c,
      {
        orderNo: fields.MERORDERID,
        amount: fields.AMT,
        product: card.type === 'credit' ? 'quick.credit' : 'quick.debit',
        notifyUrl: fields.NOTIFY_URL,
        card: fields.CARDNO,
        // "如需在交易后完成绑卡此字段" — an existing binding of the same card is reused.
        attributes: {
          mode: 'card',
          card: { number: card.number, type: CARD_TYPE[card.type], bank: card.bank },
          behaviour: card.behaviour,
          phone: fields.PHONENO,
          ...(fields.USER_ID ? { userId: fields.USER_ID } : {}),
          ...(existing ? { bindId: existing.platformNumber } : {}),
          ...(card.behaviour === 'expired' ? { failCode: 'CARD_EXPIRED' } : {}),
        },
        failsAtOnce: card.behaviour === 'expired',
      },
      (order) => {
        if (fields.USER_ID && !existing) {
          const attributes: BindingAttributes = {
            mode: 'A',
            userId: fields.USER_ID,
            cardNo: card.number,
            cardType: CARD_TYPE[card.type],
            bank: card.bank,
            holder: card.holder,
            idNumber: card.idNumber,
            phone: card.phone,
            ...(credit ? { validDate: card.validDate, cvv2: card.cvv2 } : {}),
            listId: order.platformOrderNo,
          };
          const binding = createBinding(sim, order.merchantId, order.orderNo, attributes, order);
          sim.payments.updateAttributes(order.id, { bindId: binding.platformNumber });
          // An order already settled by a scenario (magic amount 2004 pays it at once) settles its binding now.
          if (order.state === 'paid') sim.records.transition(binding.id, 'active', 'create');
          else if (!isAwaitingPayment(order.state)) sim.records.transition(binding.id, 'failed', 'create');
        }
        if (isAwaitingPayment(order.state)) sendChallenge(sim, sim.store.records.get(order.id)!, fields.PHONENO);
      },
    );
    const status = quickStatus(order);
    return {
      ...(status.STATUS === '0' ? { STATUS: '0' } : status),
      LIST_ID: order.platformOrderNo,
      MERORDERID: order.orderNo,
      PAY_DATE: compactOrEmpty(order.paidAt),
      NOTIFY_DATE: compactOrEmpty(order.paidAt),
      AMT: String(order.amount),
      BANK_NAME: card.bank,
      CARDNO: card.number,
      ...bindIdField(order),
    };
  },
};

const bindIdField = (order: Order) => {
  const bindId = quickAttributes(order)?.bindId;
  return bindId ? { BIND_ID: bindId } : {};
};

/** 5.4 交易短信确认 (772): STATUS 1 paid; 0 (AA) still paying; otherwise STATUS 2 with why. */
const smsConfirmCommand: Command = {
  id: 772,
  replyId: replyCommandId(772),
  name: '772 交易短信确认',
  kind: 'other',
  product: 'quick',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(smsConfirm, request.body);
    const order = findQuickOrder(sim, c, request.merchant, { listId: fields.LIST_ID });
    const mode = quickAttributes(order)!.mode;
    if (mode === 'unionpay') throw new BusinessError('NOT_ALLOWED', '该订单无需短信验证');
    // A bind-pay order (780) is confirmed by 779, which carries its NOTIFY_URL.
    if (mode === 'bindpay') throw new BusinessError('NOT_ALLOWED', '绑卡支付订单请调用快捷绑卡支付确认(779)');
    ensurePayable(order);
    verifyChallenge(sim, sim.store.records.get(order.id)!, fields.MSG_CODE);
    const settled = settle(sim, order);
    const status = confirmationStatus(settled, {});
    // "LIST_ID 条件 STATUS为1时返回".
    return status.STATUS === '1' ? { LIST_ID: settled.platformOrderNo, ...status } : status;
  },
};

/** 5.7 单笔交易查询 (773): STATUS 0 待支付 (AA), 1 成功, 2 失败 (D4 closed, or the failure), 3 已退款. */
const queryCommand: Command = {
  id: 773,
  replyId: replyCommandId(773),
  name: '773 快捷单笔交易查询',
  kind: 'query',
  product: 'quick',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(orderQuery, request.body);
    const order = findQuickOrder(sim, c, request.merchant, { orderNo: fields.MERORDERID }, 'query');
    // A scenario's fail-queries (magic amount 2004): the query itself fails and must be repeated.
    if (sim.payments.consumeQueryError(order)) throw sim.errors.system(sim.store.records.get(order.id)!);
    return { ...quickStatus(order), ...orderFields(order), ...bindIdField(order) };
  },
};

/**
 * 5.11 短信重发 (778): a new code for an order still awaiting its code, at most
 * once per 60 s; the old code stops working. A bind-mode-B LIST_ID (781) works too.
 */
const resendCommand: Command = {
  id: 778,
  replyId: replyCommandId(778),
  name: '778 快捷支付交易短信重发',
  kind: 'other',
  product: 'quick',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(smsResend, request.body);
    const echo = { LIST_ID: fields.LIST_ID };
    const binding = pendingBindingByListId(sim, request.merchantId, fields.LIST_ID);
    if (binding) {
      resendChallenge(sim, binding, String(binding.attributes.phone), echo);
      return { STATUS: '1', LIST_ID: fields.LIST_ID };
    }
    const order = findQuickOrder(sim, c, request.merchant, { listId: fields.LIST_ID });
    const attributes = quickAttributes(order)!;
    // A UnionPay quick order (783) is paid on its page: no code is ever sent for it.
    if (attributes.mode === 'unionpay') throw new BusinessError('NOT_ALLOWED', '该订单无需短信验证', echo);
    ensurePayable(order, echo);
    resendChallenge(sim, sim.store.records.get(order.id)!, attributes.phone ?? '', echo);
    return { STATUS: '1', LIST_ID: order.platformOrderNo };
  },
};

export const payCommands: Command[] = [cardPayCommand, smsConfirmCommand, queryCommand, resendCommand];
