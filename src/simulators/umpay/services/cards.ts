import { mismatchedElements, type CardElements } from '../../../core/test-cards.js';
import type { StoredCard } from '../../../core/store/cards.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstCompact } from '../../../core/time-format.js';
import { banksFor, payTypeOfCard, type PayType } from '../banks.js';
import { UmpayError } from '../errors.js';
import { optional } from '../fields.js';

/** The wire name of each card element the shared test cards compare. */
const WIRE_NAME: Record<keyof CardElements, string> = {
  number: 'card_id',
  holder: 'card_holder',
  idNumber: 'identity_code',
  phone: 'media_id',
  validDate: 'valid_date',
  cvv2: 'cvv2',
};

/** UMPay's valid_date is YYMM (payElements 信用卡有效期（YYMM）); the test cards keep MMYY. */
export const yymmToMmyy = (yymm: string) => `${yymm.slice(2, 4)}${yymm.slice(0, 2)}`;

/** The card a request names by card_id: a card the platform does not know is 00080732 (FAQ "商户传递的卡号系统无法识别"). */
export function cardOf(sim: SimulatorContext, number: string): StoredCard {
  const card = sim.store.cards.get(number);
  if (!card) throw new UmpayError('CARD_UNSUPPORTED', `card_id ${number.slice(0, 6)}…${number.slice(-4)}`);
  return card;
}

/**
 * The card against the order's channel and the elements the request gives:
 * the card type must be the order's pay_type and its bank the order's gate_id,
 * from the list for that type (FAQ 00131040); every element given must match
 * the card and its holder; a card past its valid date cannot pay.
 */
export function checkCard(
  sim: SimulatorContext,
  card: StoredCard,
  channel: { payType: PayType; gateId: string },
  values: Record<string, string>,
  mobile: string | undefined,
): void {
  const type = payTypeOfCard(card.type);
  if (type !== channel.payType) throw new UmpayError('NO_CHANNEL', `卡类型${type}与pay_type=${channel.payType}不符`);
  if (card.bankCode !== channel.gateId) throw new UmpayError('NO_CHANNEL', `发卡行${card.bankCode}与gate_id=${channel.gateId}不符`);
  if (!Object.hasOwn(banksFor(type), card.bankCode)) throw new UmpayError('NO_CHANNEL', `${card.bankCode}不支持${type}`);
  optional(values, 'identity_type');
  const validDate = optional(values, 'valid_date');
  const given: CardElements = {
    number: card.number,
    holder: optional(values, 'card_holder'),
    idNumber: optional(values, 'identity_code'),
    phone: mobile,
    validDate: validDate === undefined ? undefined : yymmToMmyy(validDate),
    cvv2: optional(values, 'cvv2'),
  };
  const wrong = mismatchedElements(card, given);
  if (wrong.length) throw new UmpayError('ELEMENTS_MISMATCH', wrong.map((element) => WIRE_NAME[element]).join(','));
  if (card.behaviour === 'expired' || (card.validDate && isPast(card.validDate, sim.clock.now()))) {
    throw new UmpayError('CARD_EXPIRED', `有效期${card.validDate ?? ''}`);
  }
}

/** MMYY before this China month. */
function isPast(mmyy: string, now: number): boolean {
  const stamp = cstCompact(now);
  const current = Number(stamp.slice(2, 4)) * 100 + Number(stamp.slice(4, 6));
  return Number(mmyy.slice(2, 4)) * 100 + Number(mmyy.slice(0, 2)) < current;
}
