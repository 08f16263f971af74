import { randomInt } from 'node:crypto';
import type { Context } from 'hono';
import type { Order } from '../../../core/domain.js';
import { annotate } from '../../../core/exchange.js';
import { sequenceNumber } from '../../../core/numbers.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { umpayAttributes, type UmpayOrderAttributes } from '../attributes.js';
import { RET, type RetName } from '../codes.js';
import { UmpayError } from '../errors.js';
import { optional, required } from '../fields.js';
import { orderFields, tradeState } from '../order-view.js';
import { ok, type ServiceDefinition, type ServiceResult, type VerifiedRequest } from '../service.js';
import { agreementFor } from './bindings.js';
import { cardOf, checkCard } from './cards.js';
import { cardRef, findByTradeNo, findCardByRef, latestChild, maskedCard, stateRefusal } from './common.js';

/** An SMS code lives 10 minutes, and a new one can be asked for after 60 s (一键快捷 v4.0 spec, research brief §6.3). */
export const SMS_TTL_MS = 10 * 60_000;
export const SMS_INTERVAL_MS = 60_000;
/** Wrong codes before the code is void. */
export const SMS_MAX_ATTEMPTS = 5;

interface SmsAttributes {
  code: string;
  /** The mobile the code went to, as the merchant sent it. */
  mobile: string;
  attempts: number;
}

/** The order a quick-pay step names, still waiting for its payment. */
function awaitingOrder(sim: SimulatorContext, request: VerifiedRequest, c: Context) {
  const order = findByTradeNo(sim, request.merchant, request.values, c);
  const attributes = umpayAttributes(order);
  if (!attributes || attributes.flow !== 'quick') throw new UmpayError('ORDER_NOT_FOUND', `trade_no=${order.platformOrderNo}不是快捷支付订单`);
  if (order.state === 'pending') throw stateRefusal(tradeState(order), '交易处理中');
  if (order.state !== 'created') throw stateRefusal(tradeState(order));
  return { order, attributes };
}

/** media_type for an SMS code: the code goes to a mobile. */
function mobileOf(values: Record<string, string>): string {
  const mediaId = required(values, 'media_id');
  if (required(values, 'media_type') !== 'MOBILE') throw new UmpayError('BAD_FIELD', 'media_type（短信验证码须发送至MOBILE）');
  if (!/^1[0-9]{10}$/.test(mediaId)) throw new UmpayError('BAD_FIELD', 'media_id（11位手机号）');
  return mediaId;
}

/**
 * sms_req_shortcut (短信验证码获取, 快捷支付 step 2): every tag the order's
 * payElements listed must be sent ("此字段包含的所有标签都需要在下一个接口下发验证码中传递"),
 * sensitive ones encrypted; the card and its holder are checked against the
 * test cards, and a 6-digit code is "sent" (`GET /_sim/orders` shows it as
 * smsCode). The code cannot be customised (FAQ) and is mandatory (FAQ).
 */
export const smsRequest: ServiceDefinition = {
  name: 'sms_req_shortcut',
  title: '快捷支付获取短信验证码',
  product: 'quick',
  handle(request, sim, c) {
    const { values, merchant } = request;
    const { order, attributes } = awaitingOrder(sim, request, c);
    const mobile = mobileOf(values);
    for (const element of attributes.payElements) required(values, element);

    let card;
    if (order.product === 'quick.agreement') {
      // 协议支付: the card is the agreement's; the code goes to the bound mobile.
      card = attributes.card ? findCardByRef(sim, attributes.card.ref) : undefined;
      if (!card) throw new UmpayError('AGREEMENT_MISSING');
      const cardId = optional(values, 'card_id');
      if (cardId !== undefined && cardRef(cardId) !== attributes.card!.ref) throw new UmpayError('ELEMENTS_MISMATCH', 'card_id');
    } else {
      card = cardOf(sim, required(values, 'card_id'));
    }
    checkCard(sim, card, { payType: attributes.payType!, gateId: attributes.gateId! }, values, mobile);

    const previous = latestChild(sim, order, 'sms');
    const now = sim.clock.now();
    if (previous && now - previous.createdAt < SMS_INTERVAL_MS) {
      throw new UmpayError('SMS_TOO_OFTEN', undefined, `the last code was sent ${Math.round((now - previous.createdAt) / 1000)} s ago`);
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    sim.records.tx(() => {
      if (previous?.state === 'sent') sim.records.transition(previous.id, 'void', 'merchant');
      const sms = sim.records.create({
        provider: 'umpay',
        kind: 'sms',
        merchantId: merchant.merchantId,
        number: `${order.orderNo}#${sim.store.records.children(order.id, 'sms').length + 1}`,
        platformNumber: (sequence, at) => sequenceNumber(at, sequence, { length: 16, prefix: 'S', stamp: 'date' }),
        parentId: order.id,
        attributes: { code, mobile, attempts: 0 } satisfies SmsAttributes,
      }).record;
      sim.records.schedule(sms.id, now + SMS_TTL_MS, 'expired', 'sent');
      const update: Partial<UmpayOrderAttributes> = {
        card: maskedCard(card, optional(values, 'identity_type') ?? attributes.card?.identityType ?? 'IDENTITY_CARD', mobile),
        mediaId: mobile,
        mediaType: 'MOBILE',
      };
      sim.records.updateAttributes(order.id, update);
    });
    annotate(c, { note: `SMS code ${code} sent to ${mobile}` });
    return ok({ mer_id: merchant.merchantId, trade_no: order.platformOrderNo, order_id: attributes.orderId, mer_date: attributes.merDate });
  },
};

/** What a card's behaviour does to its payment: the failure's code, or null when it pays. */
const FAILURE_BY_BEHAVIOUR: Partial<Record<string, RetName>> = { declined: 'PAY_FAILED', insufficient: 'INSUFFICIENT' };

/**
 * confirm_pay_shortcut (确认支付, step 3): the SMS code must be the latest
 * one, unexpired, sent to this mobile; card elements sent again must be the
 * same. Then the bank pays (the payment record, which magic amounts script),
 * and a 支付+签约 order signs its agreement. The answer reports the trade as it
 * stands: TRADE_SUCCESS, WAIT_BUYER_PAY while the bank works (2001), or
 * TRADE_FAIL with the failure's code. The notification follows either way.
 */
export const confirmPay: ServiceDefinition = {
  name: 'confirm_pay_shortcut',
  title: '快捷支付确认支付',
  product: 'quick',
  handle(request, sim, c): ServiceResult {
    const { values, merchant } = request;
    const { order, attributes } = awaitingOrder(sim, request, c);
    const verifyCode = required(values, 'verify_code');
    const mobile = mobileOf(values);
    const sms = latestChild(sim, order, 'sms');
    if (!sms) throw new UmpayError('SMS_NOT_SENT');
    const smsAttributes = sms.attributes as unknown as SmsAttributes;
    if (sms.state !== 'sent') throw new UmpayError('SMS_EXPIRED');
    if (mobile !== smsAttributes.mobile) throw new UmpayError('ELEMENTS_MISMATCH', 'media_id');
    if (verifyCode !== smsAttributes.code) {
      const attempts = smsAttributes.attempts + 1;
      sim.records.tx(() => {
        sim.records.updateAttributes(sms.id, { attempts });
        if (attempts >= SMS_MAX_ATTEMPTS) sim.records.transition(sms.id, 'void', 'merchant');
      });
      throw new UmpayError('SMS_WRONG', attempts >= SMS_MAX_ATTEMPTS ? '错误次数过多，请重新获取' : undefined);
    }
    const card = attributes.card ? findCardByRef(sim, attributes.card.ref) : undefined;
    if (!card) throw new UmpayError('CARD_UNSUPPORTED', '卡片信息已失效，请重新获取验证码');
    const cardId = optional(values, 'card_id');
    if (cardId !== undefined && cardRef(cardId) !== attributes.card!.ref) throw new UmpayError('ELEMENTS_MISMATCH', 'card_id');
    checkCard(sim, cardOf(sim, card.number), { payType: attributes.payType!, gateId: attributes.gateId! }, values, mobile);

    const failure = FAILURE_BY_BEHAVIOUR[card.behaviour];
    sim.records.tx(() => {
      sim.records.transition(sms.id, 'verified', 'merchant');
      const update: Partial<UmpayOrderAttributes> = failure ? { errorCode: RET[failure].code } : {};
      if (order.product === 'quick.bind' && attributes.merCustId) {
        const ids = agreementFor(sim, {
          merchantId: merchant.merchantId,
          merCustId: attributes.merCustId,
          card: attributes.card!,
          mobile,
          payType: attributes.payType!,
          gateId: attributes.gateId!,
          orderId: order.id,
          tradeNo: order.platformOrderNo,
        });
        update.busiAgreementId = ids.busiAgreementId;
        update.payAgreementId = ids.payAgreementId;
      }
      if (Object.keys(update).length) sim.records.updateAttributes(order.id, update);
    });
    // The payment: magic amounts and scenarios decide it here; a 2004 answers 504 after it went through.
    sim.create(c, {
      provider: 'umpay',
      kind: 'payment',
      merchantId: merchant.merchantId,
      number: order.orderNo,
      platformNumber: (sequence, at) => sequenceNumber(at, sequence, { length: 20, prefix: 'P', stamp: 'date' }),
      parentId: order.id,
      product: order.product,
      amount: order.amount,
      natural: failure ? 'failed' : 'succeeded',
      match: { card: card.number },
    });
    const after: Order = sim.store.orders.get(order.id)!;
    annotate(c, { order: after });
    const fields = orderFields(after);
    if (after.state === 'failed') {
      const code = umpayAttributes(after)?.errorCode ?? RET.PAY_FAILED.code;
      const name = (Object.keys(RET) as RetName[]).find((key) => RET[key].code === code) ?? 'PAY_FAILED';
      return { kind: 'meta', ret: name, fields };
    }
    if (after.state === 'pending') return { kind: 'meta', retMsg: '交易处理中，请以支付结果通知或订单查询为准', fields };
    return ok(fields);
  },
};
