import type { SimRecord } from '../../../core/domain.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import type { Command } from '../command.js';
import { annotate } from '../../../core/exchange.js';
import { BODY_CODES, replyCommandId } from '../codes.js';
import { BusinessError, EnvelopeError } from '../errors.js';
import { parseFields } from '../fields.js';
import { bindingAttributes, CARD_TYPE, listId, type BindingAttributes } from './attributes.js';
import { activeBinding, createBinding, findBinding, userBindings } from './bindings.js';
import { checkCard } from './cards.js';
import { refuseQuick } from './orders.js';
import { bind, bindQuery, bindSms, unbind } from './schemas.js';
import { sendChallenge, verifyChallenge } from './sms.js';

/**
 * 5.1 鉴权绑卡短信 (781, bind mode B, 暂未开通 by default): checks the card number
 * and phone, records the binding request and sends the code. STATUS 1 绑卡中.
 * LIST_ID is a platform order number of the request, from the order sequence.
 */
const bindSmsCommand: Command = {
  id: 781,
  replyId: replyCommandId(781),
  name: '781 鉴权绑卡短信',
  kind: 'other',
  product: 'quick.bind',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(bindSms, request.body);
    const echo = { USER_ID: fields.USER_ID, MERORDERID: fields.MERORDERID, CARDNO: fields.CARDNO };
    checkCard(sim, c, { number: fields.CARDNO, phone: fields.PHONENO }, echo);
    if (sim.store.records.findByNumber('mmsp', 'binding', request.merchantId, fields.MERORDERID)) {
      throw new BusinessError('DUPLICATE', undefined, echo);
    }
    const existing = activeBinding(sim, request.merchantId, fields.USER_ID, fields.CARDNO);
    if (existing) throw new BusinessError('BIND_EXISTS', `${BODY_CODES.BIND_EXISTS.text}：BIND_ID ${existing.platformNumber}`, echo);
    const attributes: BindingAttributes = {
      mode: 'B',
      userId: fields.USER_ID,
      cardNo: fields.CARDNO,
      phone: fields.PHONENO,
      listId: listId(sim.store.records.nextSequence('mmsp.order'), sim.clock.now()),
    };
    const binding = sim.records.tx(() => {
      const created = createBinding(sim, request.merchantId, fields.MERORDERID, attributes);
      sendChallenge(sim, created, fields.PHONENO);
      return created;
    });
    return { STATUS: '1', ...echo, LIST_ID: bindingAttributes(binding).listId };
  },
};

/** The pending mode-B binding a 774 confirms: the one its 781 opened with the same MERORDERID. */
function pendingRequest(sim: SimulatorContext, merchantId: string, orderNo: string): SimRecord {
  const binding = sim.store.records.findByNumber('mmsp', 'binding', merchantId, orderNo);
  if (!binding || bindingAttributes(binding).mode !== 'B') throw new EnvelopeError('ORDER_NOT_FOUND', orderNo);
  return binding;
}

/**
 * 5.2 鉴权绑卡 (774, bind mode B, 暂未开通 by default): the 781 request of the same
 * MERORDERID, its USER_ID and CARDNO, all card elements, and the code. STATUS 1
 * with BIND_ID; a card past its date fails the binding (54).
 */
const bindCommand: Command = {
  id: 774,
  replyId: replyCommandId(774),
  name: '774 鉴权绑卡',
  kind: 'other',
  product: 'quick.bind',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(bind, request.body);
    const binding = pendingRequest(sim, request.merchantId, fields.MERORDERID);
    const requested = bindingAttributes(binding);
    const reply = { LIST_ID: requested.listId, USER_ID: fields.USER_ID, MERORDERID: fields.MERORDERID, CARDNO: fields.CARDNO };
    if (binding.state === 'active') throw new BusinessError('BIND_EXISTS', undefined, { ...reply, BIND_ID: binding.platformNumber });
    if (binding.state !== 'pending') throw new BusinessError('BIND_INACTIVE', undefined, reply);
    if (fields.USER_ID !== requested.userId) throw new BusinessError('BIND_USER', 'USER_ID与鉴权绑卡短信(781)不一致', reply);
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
      reply,
    );
    if (fields.CARDNO !== requested.cardNo || fields.PHONENO !== requested.phone) throw new BusinessError('ELEMENTS', undefined, reply);
    verifyChallenge(sim, binding, fields.MSG_CODE, reply);
    if (card.behaviour === 'expired') {
      sim.records.transition(binding.id, 'failed', 'merchant');
      throw new BusinessError('CARD_EXPIRED', undefined, reply);
    }
    sim.records.tx(() => {
      sim.records.updateAttributes(binding.id, {
        cardType: CARD_TYPE[card.type],
        bank: card.bank,
        holder: card.holder,
        idNumber: card.idNumber,
        ...(credit ? { validDate: card.validDate, cvv2: card.cvv2 } : {}),
      });
      sim.records.transition(binding.id, 'active', 'merchant');
    });
    return { STATUS: '1', ...reply, BIND_ID: binding.platformNumber };
  },
};

/** 5.6 解绑 (775, 暂未开通 by default): an active binding of this merchant becomes unbound. */
const unbindCommand: Command = {
  id: 775,
  replyId: replyCommandId(775),
  name: '775 快捷支付解绑',
  kind: 'other',
  product: 'quick.unbind',
  refuse: refuseQuick,
  handle(request, sim, c) {
    const fields = parseFields(unbind, request.body);
    const binding = findBinding(sim, request.merchant, fields.BIND_ID);
    sim.records.transition(binding.id, 'unbound', 'merchant');
    annotate(c, { record: binding, kind: 'other' });
    return { STATUS: '1' };
  },
};

/** The fields 5.8.3 lists for a binding. */
function bindingFields(binding: SimRecord): Record<string, string> {
  const attributes = bindingAttributes(binding);
  return {
    LIST_ID: attributes.listId,
    CARDNO: attributes.cardNo,
    CARDTYPE: attributes.cardType ?? '',
    ...(attributes.validDate ? { EXPDATE: attributes.validDate } : {}),
    ...(attributes.cvv2 ? { CVN2: attributes.cvv2 } : {}),
    NAME: attributes.holder ?? '',
    ID_NO: attributes.idNumber ?? '',
    PHONENO: attributes.phone,
    BIND_ID: binding.platformNumber,
  };
}

/**
 * 5.8 绑卡查询 (776 without CODE, 暂未开通 by default): one binding by BIND_ID, as
 * the document has it; with USER_ID instead (the sandbox's addition), the
 * user's active bindings as a BIZ_CONTENT array of the same fields.
 */
const bindQueryCommand: Command = {
  id: 776,
  replyId: replyCommandId(776),
  name: '776 快捷支付绑卡查询',
  kind: 'query',
  product: 'quick.bindquery',
  refuse: refuseQuick,
  handle(request, sim) {
    const fields = parseFields(bindQuery, request.body);
    if (fields.BIND_ID) {
      const binding = findBinding(sim, request.merchant, fields.BIND_ID, {
        ...(fields.USER_ID ? { userId: fields.USER_ID } : {}),
        fields: { BIND_ID: fields.BIND_ID },
      });
      return { STATUS: '1', ...bindingFields(binding) };
    }
    const bindings = userBindings(sim, request.merchantId, fields.USER_ID!);
    if (bindings.length === 0) throw new BusinessError('BIND_UNKNOWN', '该用户没有已绑定的银行卡', { USER_ID: fields.USER_ID });
    return { STATUS: '1', USER_ID: fields.USER_ID, BIZ_CONTENT: bindings.map(bindingFields) };
  },
};

export const bindCommands: Command[] = [bindSmsCommand, bindCommand, unbindCommand, bindQueryCommand];
