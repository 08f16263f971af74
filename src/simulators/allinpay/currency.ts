/**
 * Currencies (§2.1 orderCurrency, §6.2, §6.3). Amounts are integers in the
 * currency's minor unit ("金额与币种有关"): fen, US cents; yen have none.
 */

export interface Currency {
  /** ISO 4217 letters, kept on the record. */
  alpha: string;
  /** Minor units per major unit. */
  minor: number;
  /** Sandbox rate: yuan per major unit, for payAmount (always RMB fen, §2.2.3). */
  yuan: number;
}

export const CURRENCIES: Record<string, Currency> = {
  '156': { alpha: 'CNY', minor: 100, yuan: 1 },
  '840': { alpha: 'USD', minor: 100, yuan: 7.1 },
  '344': { alpha: 'HKD', minor: 100, yuan: 0.91 },
  '392': { alpha: 'JPY', minor: 1, yuan: 0.048 },
  '978': { alpha: 'EUR', minor: 100, yuan: 7.7 },
  '458': { alpha: 'MYR', minor: 100, yuan: 1.55 },
  // §6.2 lists "032 澳元" (032 is ISO's ARS): read as AUD, as §6.3's 036 (ALP-14).
  '032': { alpha: 'AUD', minor: 100, yuan: 4.7 },
  '826': { alpha: 'GBP', minor: 100, yuan: 9 },
  '124': { alpha: 'CAD', minor: 100, yuan: 5.2 },
  '036': { alpha: 'AUD', minor: 100, yuan: 4.7 },
  '702': { alpha: 'SGD', minor: 100, yuan: 5.3 },
  '752': { alpha: 'SEK', minor: 100, yuan: 0.68 },
};

/** "0 或 156 - 人民币": what every payment type takes. */
export const RMB = ['0', '156'] as const;
/** §6.2 跨境支付支持币种类型. */
export const CROSS_BORDER = ['0', '156', '840', '344', '392', '978', '458', '032'] as const;
/** §6.3 国际卡支付支持币种类型 (the table ends with 752 SEK). */
export const INTERNATIONAL = ['156', '840', '826', '344', '978', '124', '036', '392', '702', '752'] as const;

export const isRmb = (code: string) => code === '0' || code === '156';

/** The currency of a code; `0` is RMB. */
export function currencyOf(code: string): Currency | undefined {
  return CURRENCIES[code === '0' ? '156' : code];
}

/**
 * payAmount: "用户实际支付币种为人民币，以分为单位" — a foreign order's amount in
 * RMB fen at the sandbox's fixed rate (the document gives none).
 */
export function payAmountFen(amount: number, code: string): number {
  const currency = currencyOf(code);
  if (!currency || currency.alpha === 'CNY') return amount;
  return Math.round((amount / currency.minor) * currency.yuan * 100);
}
