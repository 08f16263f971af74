import type { SimRecord } from '../../../core/domain.js';
import { annotate } from '../../../core/exchange.js';
import { sequenceNumber } from '../../../core/numbers.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import type { MaskedCard } from '../attributes.js';
import { banksFor, isPayType, type PayType } from '../banks.js';
import { UmpayError } from '../errors.js';
import { optional, required } from '../fields.js';
import { ok, type ServiceDefinition } from '../service.js';

/**
 * A card agreement (支付协议) signed by a 支付+签约 payment: the merchant's user
 * (mer_cust_id) has one 业务协议号 with the merchant and one 支付协议号 per
 * card (快捷支付-支付+签约: "联动平台会返回业务协议号和支付协议号").
 * Record number and platform number: the 支付协议号.
 */
export interface BindingAttributes {
  merCustId: string;
  busiAgreementId: string;
  payAgreementId: string;
  payType: PayType;
  gateId: string;
  card: MaskedCard;
  /** The bound mobile, as the merchant sent it: an agreement payment's SMS goes to it. */
  mobile: string;
  /** The trade that signed it. */
  tradeNo: string;
}

const bindingOf = (record: SimRecord) => record.attributes as unknown as BindingAttributes;

/** An active agreement by its 支付协议号, for this merchant. */
export function activeBinding(sim: SimulatorContext, merchantId: string, payAgreementId: string): SimRecord | undefined {
  const record = sim.store.records.findByNumber('umpay', 'binding', merchantId, payAgreementId);
  return record?.state === 'active' ? record : undefined;
}

/** The merchant's active agreements, optionally narrowed to a user, a business agreement or a card. */
export function activeBindings(
  sim: SimulatorContext,
  merchantId: string,
  filter: { merCustId?: string | undefined; busiAgreementId?: string | undefined; payAgreementId?: string | undefined },
): SimRecord[] {
  return sim.store.records
    .list({ provider: 'umpay', kind: 'binding', merchantId, state: 'active', limit: 5000 })
    .filter((record) => {
      const binding = bindingOf(record);
      return (
        (filter.merCustId === undefined || binding.merCustId === filter.merCustId) &&
        (filter.busiAgreementId === undefined || binding.busiAgreementId === filter.busiAgreementId) &&
        (filter.payAgreementId === undefined || binding.payAgreementId === filter.payAgreementId)
      );
    })
    .reverse();
}

/**
 * The agreement a 支付+签约 payment signs: the user's existing one for this
 * card if any, else a new one, pending until the payment succeeds (the
 * payment's effect activates or fails it). Agreement numbers come from their
 * own sequences: `UB`/`UP`, the China date, ten digits.
 */
export function agreementFor(
  sim: SimulatorContext,
  input: { merchantId: string; merCustId: string; card: MaskedCard; mobile: string; payType: PayType; gateId: string; orderId: number; tradeNo: string },
): { busiAgreementId: string; payAgreementId: string } {
  const mine = activeBindings(sim, input.merchantId, { merCustId: input.merCustId });
  const same = mine.find((record) => bindingOf(record).card.ref === input.card.ref);
  if (same) return { busiAgreementId: bindingOf(same).busiAgreementId, payAgreementId: bindingOf(same).payAgreementId };
  const now = sim.clock.now();
  const busiAgreementId =
    mine[0] !== undefined
      ? bindingOf(mine[0]).busiAgreementId
      : sequenceNumber(now, sim.store.records.nextSequence('umpay.usr_busi_agreement_id'), { length: 20, prefix: 'UB', stamp: 'date' });
  const payAgreementId = sequenceNumber(now, sim.store.records.nextSequence('umpay.usr_pay_agreement_id'), { length: 20, prefix: 'UP', stamp: 'date' });
  const attributes: BindingAttributes = {
    merCustId: input.merCustId,
    busiAgreementId,
    payAgreementId,
    payType: input.payType,
    gateId: input.gateId,
    card: input.card,
    mobile: input.mobile,
    tradeNo: input.tradeNo,
  };
  sim.records.create({
    provider: 'umpay',
    kind: 'binding',
    merchantId: input.merchantId,
    number: payAgreementId,
    platformNumber: () => payAgreementId,
    parentId: input.orderId,
    attributes: attributes as unknown as Record<string, unknown>,
  });
  return { busiAgreementId, payAgreementId };
}

/**
 * unbind_mercust_protocol_shortcut (快捷支付-解约接口): removes the user's
 * agreements — one card (usr_pay_agreement_id), a business agreement
 * (usr_busi_agreement_id) or every card of the user (mer_cust_id); at least
 * one is needed (the SDKs' inputs, PROVIDERS.md UMP-12). Nothing active to
 * remove answers "业务协议依赖的支付协议关系不存在" (FAQ).
 */
export const unbindAgreement: ServiceDefinition = {
  name: 'unbind_mercust_protocol_shortcut',
  title: '快捷支付解约',
  product: 'quick',
  handle({ values, merchant }, sim) {
    const filter = {
      merCustId: optional(values, 'mer_cust_id'),
      busiAgreementId: optional(values, 'usr_busi_agreement_id'),
      payAgreementId: optional(values, 'usr_pay_agreement_id'),
    };
    if (!filter.merCustId && !filter.busiAgreementId && !filter.payAgreementId) throw new UmpayError('MISSING', 'mer_cust_id');
    const payType = optional(values, 'pay_type');
    const found = activeBindings(sim, merchant.merchantId, filter).filter((record) => !payType || bindingOf(record).payType === payType);
    if (found.length === 0) throw new UmpayError('AGREEMENT_MISSING');
    sim.records.tx(() => {
      for (const record of found) sim.records.transition(record.id, 'unbound', 'merchant');
    });
    return ok({
      mer_id: merchant.merchantId,
      ...(filter.merCustId ? { mer_cust_id: filter.merCustId } : {}),
      ...(filter.busiAgreementId ? { usr_busi_agreement_id: filter.busiAgreementId } : {}),
      ...(filter.payAgreementId ? { usr_pay_agreement_id: filter.payAgreementId } : {}),
    });
  },
};

/**
 * query_mercust_bank_shortcut (签约查询, FAQ): the user's signed cards of a
 * pay_type as `user_bank_list`: `gate_id,usr_pay_agreement_id,last four digits,mobile`
 * per card, cards joined by `|` — the shape a public merchant integration
 * reads (research: `explode('|')`, then `explode(',')`).
 */
export const queryAgreements: ServiceDefinition = {
  name: 'query_mercust_bank_shortcut',
  title: '签约查询',
  product: 'quick',
  handle({ values, merchant }, sim, c) {
    const payType = required(values, 'pay_type');
    if (!isPayType(payType)) throw new UmpayError('BAD_FIELD', 'pay_type');
    const merCustId = optional(values, 'mer_cust_id');
    const busiAgreementId = optional(values, 'usr_busi_agreement_id');
    if (!merCustId && !busiAgreementId) throw new UmpayError('MISSING', 'mer_cust_id');
    const found = activeBindings(sim, merchant.merchantId, { merCustId, busiAgreementId }).filter(
      (record) => bindingOf(record).payType === payType,
    );
    annotate(c, { note: `${found.length} active agreement(s)` });
    const list = found.map((record) => {
      const binding = bindingOf(record);
      return [binding.gateId, binding.payAgreementId, binding.card.lastFour, binding.mobile].join(',');
    });
    return ok({
      mer_id: merchant.merchantId,
      pay_type: payType,
      ...(merCustId ? { mer_cust_id: merCustId } : {}),
      ...(found[0] ? { usr_busi_agreement_id: bindingOf(found[0]).busiAgreementId } : {}),
      user_bank_list: list.join('|'),
    });
  },
};

/**
 * query_mer_bank_shortcut (获取银行列表): the banks of a pay_type as
 * `mer_bank_list`, "银行与银行之间用竖线“|”分割。如…ICBC|CCB" — the
 * document's credit-card (65) and debit-card (15) tables.
 */
export const queryBanks: ServiceDefinition = {
  name: 'query_mer_bank_shortcut',
  title: '获取银行列表',
  product: 'quick',
  handle({ values, merchant }) {
    const payType = required(values, 'pay_type');
    if (!isPayType(payType)) throw new UmpayError('BAD_FIELD', 'pay_type');
    return ok({ mer_id: merchant.merchantId, pay_type: payType, mer_bank_list: Object.keys(banksFor(payType)).join('|') });
  },
};
