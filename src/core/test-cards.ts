import { z } from 'zod';
import { describeIssue } from './scenario-schema.js';

/**
 * The cards the sandbox knows, shared by every provider that takes card
 * elements (MMSP quick pay and payouts, UMPay, Allinpay). A request's card
 * number, holder name, ID number and phone must match one of them, as a real
 * platform checks them against the issuing bank. `behaviour` says what paying
 * with (or paying out to) the card does. Card numbers pass the Luhn check and
 * ID numbers their GB 11643 check digit; none is real.
 */
export const CARD_BEHAVIOURS = ['ok', 'declined', 'insufficient', 'payout-fails', 'expired'] as const;

export const testCardSchema = z.strictObject({
  number: z.string().regex(/^\d{12,19}$/, '12 to 19 digits'),
  type: z.enum(['debit', 'credit']),
  /** The bank's name as providers print it in notifications (BANK_NAME). */
  bank: z.string().min(1).max(40),
  /** The short code providers use for the bank (ICBC, CCB …). */
  bankCode: z.string().min(2).max(10),
  holder: z.string().min(1).max(40),
  /** 18-character resident ID (身份证). */
  idNumber: z.string().regex(/^\d{17}[\dX]$/, '18 characters, the last a digit or X'),
  phone: z.string().regex(/^1\d{10}$/, 'an 11-digit mobile number'),
  /** Credit cards: expiry MMYY and CVV2. */
  validDate: z.string().regex(/^\d{4}$/).optional(),
  cvv2: z.string().regex(/^\d{3}$/).optional(),
  behaviour: z.enum(CARD_BEHAVIOURS).default('ok'),
  note: z.string().max(200).optional(),
});

export type TestCard = z.infer<typeof testCardSchema>;

export const DEFAULT_CARDS: readonly TestCard[] = [
  { number: '6222021307418529630', type: 'debit', bank: '中国工商银行', bankCode: 'ICBC', holder: '张三', idNumber: '110105199003071239', phone: '13800138000', behaviour: 'ok', note: 'pays and receives payouts' },
  { number: '6217001307418529634', type: 'debit', bank: '中国建设银行', bankCode: 'CCB', holder: '李四', idNumber: '310104198506122348', phone: '13900139000', behaviour: 'ok', note: 'pays and receives payouts' },
  { number: '6228480307418529631', type: 'debit', bank: '中国农业银行', bankCode: 'ABC', holder: '王五', idNumber: '440305199211153455', phone: '13700137000', behaviour: 'ok', note: 'pays and receives payouts' },
  { number: '4563517307418529', type: 'credit', bank: '中国银行', bankCode: 'BOC', holder: '赵六', idNumber: '510107198808094561', phone: '13600136000', validDate: '1230', cvv2: '123', behaviour: 'ok', note: 'credit card: valid date 12/30, CVV2 123' },
  { number: '6225880307418526', type: 'credit', bank: '招商银行', bankCode: 'CMB', holder: '孙七', idNumber: '330106199502205673', phone: '13500135000', validDate: '0629', cvv2: '456', behaviour: 'ok', note: 'credit card: valid date 06/29, CVV2 456' },
  { number: '6222600307418529639', type: 'debit', bank: '交通银行', bankCode: 'COMM', holder: '周八', idNumber: '320102198701016785', phone: '13400134000', behaviour: 'declined', note: 'payments with it fail (the bank declines)' },
  { number: '6214830307418529638', type: 'debit', bank: '招商银行', bankCode: 'CMB', holder: '吴九', idNumber: '420106199304157895', phone: '13300133000', behaviour: 'insufficient', note: 'payments with it fail: insufficient balance' },
  { number: '6226090307418521', type: 'credit', bank: '中国民生银行', bankCode: 'CMBC', holder: '郑十', idNumber: '120101198001018903', phone: '13200132000', validDate: '0124', cvv2: '789', behaviour: 'expired', note: 'credit card past its valid date 01/24' },
  { number: '6212260307418529631', type: 'debit', bank: '中国工商银行', bankCode: 'ICBC', holder: '钱十一', idNumber: '370202199107079010', phone: '13100131000', behaviour: 'payout-fails', note: 'payouts to it fail (account frozen at the bank)' },
];

/** What a request says about the card, as far as it says anything. */
export interface CardElements {
  number: string;
  holder?: string | undefined;
  idNumber?: string | undefined;
  phone?: string | undefined;
  validDate?: string | undefined;
  cvv2?: string | undefined;
}

/**
 * The elements of `given` that do not match `card` (only those given are
 * compared): empty means the card and its holder check out.
 */
export function mismatchedElements(card: TestCard, given: CardElements): (keyof CardElements)[] {
  const wrong: (keyof CardElements)[] = [];
  if (given.holder !== undefined && given.holder !== card.holder) wrong.push('holder');
  if (given.idNumber !== undefined && given.idNumber.toUpperCase() !== card.idNumber) wrong.push('idNumber');
  if (given.phone !== undefined && given.phone !== card.phone) wrong.push('phone');
  if (given.validDate !== undefined && given.validDate !== card.validDate) wrong.push('validDate');
  if (given.cvv2 !== undefined && given.cvv2 !== card.cvv2) wrong.push('cvv2');
  return wrong;
}

export function parseTestCard(value: unknown, source: string): TestCard {
  const result = testCardSchema.safeParse(value);
  if (!result.success) throw new Error(`${source}: ${describeIssue(result.error)}`);
  return result.data;
}
