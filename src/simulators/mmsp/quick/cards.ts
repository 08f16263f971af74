import type { Context } from 'hono';
import { annotate } from '../../../core/exchange.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import type { StoredCard } from '../../../core/store/cards.js';
import { mismatchedElements, type CardElements } from '../../../core/test-cards.js';
import { BusinessError } from '../errors.js';
import { CARD_TYPE } from './attributes.js';

/** What a quick-pay request says about the card (the 4 elements, and for a credit card its date and CVN2). */
export interface GivenCard extends CardElements {
  /** CARDTYPE as sent. */
  type?: string | undefined;
}

/** The request field of each card element, for the journal note. */
const FIELD_OF: Record<keyof CardElements, string> = {
  number: 'CARDNO',
  holder: 'NAME',
  idNumber: 'ID_NO',
  phone: 'PHONENO',
  validDate: 'EXPDATE',
  cvv2: 'CVN2',
};

/**
 * Checks the card elements against the cards the sandbox knows, as the platform
 * checks them with the issuer: an unknown card number, or any element that
 * does not match (name, ID number, phone, CARDTYPE, a credit card's date or
 * CVN2), answers STATUS 2 / ERRCODE D4 要素不匹配 — the document's own example
 * (快捷 §5.3 "四要素（身份证不符或者卡号和户名）错误"). Like a real platform it does not
 * say which element is wrong; the journal note does, for the developer.
 */
export function checkCard(sim: SimulatorContext, c: Context, given: GivenCard, fields: Record<string, unknown> = {}): StoredCard {
  const card = sim.store.cards.get(given.number);
  const wrong: string[] = [];
  if (!card) {
    wrong.push(`CARDNO (${given.number} is not a test card: GET /_sim/cards)`);
  } else {
    const elements: CardElements = { ...given };
    // A debit card has no date or CVN2 ("CARDTYPE为1时不需要填"): whatever is sent is not compared.
    if (card.type === 'debit') {
      delete elements.validDate;
      delete elements.cvv2;
    }
    wrong.push(...mismatchedElements(card, elements).map((element) => FIELD_OF[element]));
    if (given.type !== undefined && given.type !== CARD_TYPE[card.type]) wrong.push('CARDTYPE');
  }
  if (wrong.length) {
    annotate(c, { note: `elements that do not match: ${wrong.join(', ')}` });
    throw new BusinessError('ELEMENTS', undefined, fields);
  }
  return card!;
}
