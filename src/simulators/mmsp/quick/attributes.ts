import type { Order, SimRecord } from '../../../core/domain.js';
import { sequenceNumber } from '../../../core/numbers.js';

/** Scenario products of quick pay: card pay by card type, bind pay, UnionPay quick (flow C). */
export const QUICK_PRODUCTS = ['quick.debit', 'quick.credit', 'quick.bindpay', 'quick.unionpay'] as const;

/**
 * Quick-pay orders stay payable 30 minutes and an SMS code 5 minutes: the
 * document states neither (PROVIDERS.md MMSP-31 REC).
 */
export const QUICK_ORDER_TTL_MS = 30 * 60 * 1000;
export const SMS_TTL_MS = 5 * 60 * 1000;

/** CARDTYPE (快捷 §5.3): 1 借记卡 / 储蓄卡, 2 信用卡. */
export const CARD_TYPE = { debit: '1', credit: '2' } as const;

/**
 * LIST_ID, string(32): the examples print 12 digits starting with 1
 * (`100000004985`), so the sandbox's do too, from the provider's order sequence.
 */
export const listId = (sequence: number, now: number) => sequenceNumber(now, sequence, { length: 12, prefix: '1', stamp: 'none' });

/** BIND_ID, string(32): the examples print `100003`; ten digits starting with 1 here. */
export const bindId = (sequence: number, now: number) => sequenceNumber(now, sequence, { length: 10, prefix: '1', stamp: 'none' });

/** The card a quick order was paid with, as the sandbox knows it. */
export interface QuickCard {
  number: string;
  /** CARDTYPE: '1' debit, '2' credit. */
  type: string;
  bank: string;
}

/** What quick pay keeps about an order beyond the engine's columns. */
export interface QuickAttributes {
  family: 'quick';
  /** card: 771 (flow A); bindpay: 780/779 (flow B); unionpay: 783 (flow C). */
  mode: 'card' | 'bindpay' | 'unionpay';
  card?: QuickCard;
  /** The card's behaviour (core/test-cards.ts): declined and insufficient fail at the SMS confirmation. */
  behaviour?: string;
  phone?: string;
  userId?: string;
  bindId?: string;
  /** The ERRCODE of a failed payment (05 declined, 51 insufficient, 54 expired). */
  failCode?: string;
  jumpUrl?: string;
  terminalId: string;
  agentNo: string;
  signerId: string;
}

export function quickAttributes(order: Pick<Order, 'attributes'>): QuickAttributes | undefined {
  return order.attributes.family === 'quick' ? (order.attributes as unknown as QuickAttributes) : undefined;
}

/** What a card binding keeps (a `binding` record; its platform number is the BIND_ID). */
export interface BindingAttributes {
  userId: string;
  cardNo: string;
  /** CARDTYPE '1' / '2', once known (mode B learns it at 774). */
  cardType?: string;
  bank?: string;
  holder?: string;
  idNumber?: string;
  phone: string;
  validDate?: string;
  cvv2?: string;
  /** The LIST_ID of the order (mode A) or of the 781 request (mode B) that created it. */
  listId: string;
  /** A: bound by paying (771 with USER_ID); B: 781 + 774. */
  mode: 'A' | 'B';
}

export function bindingAttributes(record: SimRecord): BindingAttributes {
  return record.attributes as unknown as BindingAttributes;
}

/** Masks a card number for notifications (快捷 §5.5's example prints `62284**…`): first 6, last 4. */
export function maskCard(number: string): string {
  return number.length <= 10 ? number : `${number.slice(0, 6)}${'*'.repeat(number.length - 10)}${number.slice(-4)}`;
}
