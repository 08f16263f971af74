import { randomInt } from 'node:crypto';
import type { Order, SimRecord } from '../../core/domain.js';
import { sequenceNumber } from '../../core/numbers.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { mismatchedElements, type TestCard } from '../../core/test-cards.js';
import { allinpayAttributes, isInternational, maskCard, succeeded } from './attributes.js';
import { PageError } from './errors.js';
import { SMS_RESEND_MS } from './kinds.js';

/** What the payer typed into the payment control. */
export interface CardInput {
  cardNo: string;
  phone: string;
  holder: string;
  idNumber: string;
  validDate: string;
  cvv2: string;
  smsCode: string;
}

export function cardInput(form: Record<string, unknown>): CardInput {
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).replace(/\s+/g, '') : '');
  return {
    cardNo: text('cardNo'),
    phone: text('phone'),
    holder: typeof form.holder === 'string' ? form.holder.trim() : '',
    idNumber: text('idNumber').toUpperCase(),
    validDate: text('validDate'),
    cvv2: text('cvv2'),
    smsCode: text('smsCode'),
  };
}

/**
 * Whether the order can still be paid: an expired one is EM0001_000059, a paid
 * one EM0001_000093, a failed or closed one EM0001_000072.
 */
export function checkPayable(sim: SimulatorContext, order: Order): void {
  if (succeeded(order.state) || order.state === 'reversed') throw new PageError('PAID');
  if (order.state === 'closed' || (order.expiresAt !== null && order.expiresAt <= sim.clock.now() && order.state === 'created')) {
    throw new PageError('EXPIRED');
  }
  if (order.state === 'failed') throw new PageError('CLOSED');
}

/**
 * The card and its holder, checked against the test cards as the issuing bank
 * would: an unknown number is EM0001_000012; the phone must be the card's
 * reserved one (EM0001_000011); a holder name or ID number, if given, the
 * card's (EM0001_000111); a credit card needs its valid date and CVV2
 * (EM0001_000009, EM0001_000010), and a card past its date is refused
 * (EM0001_000009). International payments take a credit card without phone.
 */
export function checkCard(sim: SimulatorContext, order: Order, input: CardInput): TestCard {
  const card = input.cardNo ? sim.store.cards.get(input.cardNo) : undefined;
  if (!card) throw new PageError('CARD_NO', input.cardNo || '卡号为空');
  const international = isInternational(allinpayAttributes(order)!.payType);
  if (international && card.type !== 'credit') throw new PageError('CARD_NO', '外卡支付须使用信用卡');
  if (!international) {
    if (!/^1\d{10}$/.test(input.phone) || mismatchedElements(card, { number: card.number, phone: input.phone }).length) {
      throw new PageError('PHONE');
    }
    const identity = mismatchedElements(card, {
      number: card.number,
      ...(input.holder ? { holder: input.holder } : {}),
      ...(input.idNumber ? { idNumber: input.idNumber } : {}),
    });
    if (identity.length) throw new PageError('IDENTITY');
  }
  if (card.type === 'credit') {
    if (!input.validDate || input.validDate !== card.validDate) throw new PageError('VALID_DATE');
    if (!input.cvv2 || input.cvv2 !== card.cvv2) throw new PageError('CVV2');
  }
  if (card.behaviour === 'expired') throw new PageError('VALID_DATE', '卡片已过期');
  return card;
}

/** The order's newest SMS challenge. */
function latestSms(sim: SimulatorContext, order: Order): SimRecord | undefined {
  return sim.store.records.children(order.id, 'sms').sort((a, b) => a.createdAt - b.createdAt || a.id - b.id).at(-1);
}

/**
 * "获取验证码": checks the card, then sends a six-digit code to its phone (the
 * sandbox shows it on the page and in `GET /_sim/orders` as smsCode). One a
 * minute at most (EM0001_000070); a new one replaces the last; each lasts five minutes.
 */
export function sendSms(sim: SimulatorContext, order: Order, input: CardInput): SimRecord {
  checkPayable(sim, order);
  const card = checkCard(sim, order, input);
  const now = sim.clock.now();
  const last = latestSms(sim, order);
  if (last && now - last.createdAt < SMS_RESEND_MS) throw new PageError('SMS_TOO_OFTEN');
  return sim.records.tx(() => {
    if (last?.state === 'sent') sim.records.transition(last.id, 'void', 'payer');
    const count = sim.store.records.children(order.id, 'sms').length;
    return sim.records.create({
      provider: 'allinpay',
      kind: 'sms',
      merchantId: order.merchantId,
      number: `${order.platformOrderNo}-${count + 1}`,
      parentId: order.id,
      platformNumber: (sequence, at) => sequenceNumber(at, sequence, { length: 18, stamp: 'date' }),
      attributes: { code: String(randomInt(0, 1_000_000)).padStart(6, '0'), cardNo: card.number, phone: input.phone },
    }).record;
  });
}

export interface PayOutcome {
  order: Order;
  /** A scenario holds the order (magic amounts 2001, 2002): the payer's action did not decide it. */
  held: boolean;
}

/**
 * "确认支付": the SMS code (EM0001_000034 none sent, EM0001_000008 wrong or
 * expired) for the card and phone it was sent for (EM0001_000029,
 * EM0001_000098), then the card's behaviour: declined and insufficient cards
 * fail the payment, others pay it. International payments have no SMS step.
 */
export function payWithCard(sim: SimulatorContext, order: Order, input: CardInput): PayOutcome {
  checkPayable(sim, order);
  const card = checkCard(sim, order, input);
  if (!isInternational(allinpayAttributes(order)!.payType)) {
    const sms = latestSms(sim, order);
    if (!sms) throw new PageError('SMS_NOT_SENT');
    if (sms.state !== 'sent') throw new PageError('SMS_CODE', sms.state === 'expired' ? '验证码已过期' : '验证码已失效');
    if (sms.attributes.cardNo !== card.number) throw new PageError('CARD_CHANGED');
    if (sms.attributes.phone !== input.phone) throw new PageError('PHONE_CHANGED');
    if (input.smsCode !== sms.attributes.code) throw new PageError('SMS_CODE');
    sim.records.transition(sms.id, 'verified', 'payer');
  }
  const paying = card.behaviour === 'declined' || card.behaviour === 'insufficient' ? 'failed' : 'paid';
  return sim.records.tx(() => {
    const result = sim.payments.payerAction(order.id, paying);
    if (result.held) return result;
    const bank = { number: maskCard(card.number), bank: card.bank, type: card.type };
    const failure = card.behaviour === 'insufficient' ? { failure: '余额不足' } : card.behaviour === 'declined' ? { failure: '发卡行拒绝' } : {};
    const memberId = allinpayAttributes(order)!.memberId;
    if (result.order.state === 'paid' && memberId && !isInternational(allinpayAttributes(order)!.payType)) saveCard(sim, order, memberId, card, input.phone);
    return { order: sim.payments.updateAttributes(order.id, { card: bank, ...failure }), held: false };
  });
}

/** A card a member paid with becomes one of the member's 常用卡 (§1.4.1), once. */
function saveCard(sim: SimulatorContext, order: Order, memberId: string, card: TestCard, phone: string): void {
  const number = `${memberId}:${card.number}`;
  if (sim.store.records.findByNumber('allinpay', 'binding', order.merchantId, number)) return;
  sim.records.create({
    provider: 'allinpay',
    kind: 'binding',
    merchantId: order.merchantId,
    number,
    natural: 'active',
    attributes: { memberId, cardNo: card.number, phone, bank: card.bank },
    platformNumber: (sequence, at) => sequenceNumber(at, sequence, { length: 18, stamp: 'date' }),
  });
}

/** A member's saved cards, the newest first: "非首次则可选用常用卡支付，不必再输入卡号和手机号信息" (§1.4.1). */
export function savedCards(sim: SimulatorContext, order: Order): { cardNo: string; phone: string; bank: string }[] {
  const memberId = allinpayAttributes(order)?.memberId;
  if (!memberId) return [];
  return sim.store.records
    .list({ provider: 'allinpay', kind: 'binding', merchantId: order.merchantId, state: 'active', limit: 200 })
    .filter((binding) => binding.attributes.memberId === memberId)
    .map((binding) => ({ cardNo: String(binding.attributes.cardNo), phone: String(binding.attributes.phone), bank: String(binding.attributes.bank) }));
}

/** The payer leaves the control without paying: the SDK answers payResult -1. */
export function cancelPayment(sim: SimulatorContext, order: Order): Order {
  return sim.payments.updateAttributes(order.id, { cancelled: true });
}
