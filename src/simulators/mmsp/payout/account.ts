import type { AccountContext } from '../../../core/accounts.js';
import type { Merchant, SimRecord } from '../../../core/domain.js';
import { sequenceNumber } from '../../../core/numbers.js';
import { isoTime } from '../../../core/time-format.js';
import { PayoutError } from './errors.js';
import { effectiveSettings, payoutSettings, type PayoutSettings } from './settings.js';

const PROVIDER = 'mmsp';
export const ACCOUNT = 'account';

/**
 * A merchant's payout account (代付 §5.3.3), an `account` record whose
 * attributes hold the balances in fen:
 * - `balance`: 账户余额, what BALANCE-paid payouts draw on (BALANCEPAY);
 * - `advance`: 垫资代付余额 (ADVANCEPAY), for PAYTYPE 3;
 * - `pending`: 待清算金额 (BALANCE), shown only;
 * - `frozen`: 冻结金额 (FREEZEBAL), the amount + fee of every payout in flight.
 * A payout moves amount + fee from balance (or advance) to frozen when it is
 * accepted; success removes it from frozen, failure puts it back (kind.ts).
 */
export interface Balances {
  balance: number;
  advance: number;
  pending: number;
  frozen: number;
}

/** Where a payout's money comes from (PAYTYPE 1/2 the balance, 3 the advance balance; notes 13: never both). */
export type FundSource = 'balance' | 'advance';

export function balancesOf(account: SimRecord): Balances {
  const a = account.attributes as Partial<Balances>;
  return { balance: a.balance ?? 0, advance: a.advance ?? 0, pending: a.pending ?? 0, frozen: a.frozen ?? 0 };
}

export function findAccount(context: AccountContext, merchantId: string): SimRecord | undefined {
  return context.store.records.findByNumber(PROVIDER, ACCOUNT, merchantId, merchantId);
}

/** Opens the account with the settings' opening balances. Runs inside the caller's transaction. */
function openAccount(context: AccountContext, merchant: Merchant, settings: PayoutSettings): SimRecord {
  const opening: Balances = { balance: settings.balance, advance: settings.advance, pending: settings.pending, frozen: 0 };
  const { record } = context.records.create({
    provider: PROVIDER,
    kind: ACCOUNT,
    merchantId: merchant.merchantId,
    number: merchant.merchantId,
    platformNumber: (sequence) => sequenceNumber(0, sequence, { length: 12, prefix: 'AC', stamp: 'none' }),
    attributes: { ...opening },
    scripted: false,
  });
  return record;
}

/**
 * The merchant's account, opened on first use when its settings declare
 * payouts (records are emptied by `POST /_sim/reset`; the settings are not).
 * Its state follows the settings' `accountStatus`. Undefined when the
 * merchant has no settings and was never funded: 1045 商户未开通资金户.
 */
export function accountOf(context: AccountContext, merchant: Merchant): SimRecord | undefined {
  const settings = payoutSettings(merchant);
  let account = findAccount(context, merchant.merchantId);
  if (!account && settings) account = openAccount(context, merchant, settings);
  if (!account) return undefined;
  const wanted = (settings ?? effectiveSettings(merchant)).accountStatus === 'frozen' ? 'frozen' : 'active';
  if (account.state !== wanted) account = context.records.transition(account.id, wanted, 'admin');
  return account;
}

/** {@link accountOf}, answering 1045 when there is none. */
export function requireAccount(context: AccountContext, merchant: Merchant): SimRecord {
  const account = accountOf(context, merchant);
  if (!account) throw new PayoutError('NO_ACCOUNT', '请先为商户配置settings.payout或充值（POST /_sim/accounts/mmsp/{merchantId}/fund）');
  return account;
}

/** Adds to the balance (账户余额: "纯代付商户:线下转账充值金额", notes 3), opening the account if needed. */
export function fundAccount(context: AccountContext, merchant: Merchant, amount: number): SimRecord {
  return context.records.tx(() => {
    const account = accountOf(context, merchant) ?? openAccount(context, merchant, effectiveSettings(merchant));
    return context.records.update(account.id, (record) => {
      const balances = balancesOf(record);
      record.attributes = { ...record.attributes, balance: balances.balance + amount };
    });
  });
}

/** Moves `need` from the source balance to frozen, or refuses with 1031 / 1049 (never below zero). */
export function reserve(account: SimRecord, source: FundSource, need: number): void {
  const b = balancesOf(account);
  if (b[source] < need) {
    const what = source === 'advance' ? '垫资代付可用金额' : '可用余额';
    throw new PayoutError(source === 'advance' ? 'ADVANCE_BALANCE' : 'BALANCE', `${what}${b[source]}分，本笔代付金额加手续费共${need}分`);
  }
  account.attributes = { ...account.attributes, [source]: b[source] - need, frozen: b.frozen + need };
}

/** A paid payout leaves the account: its reservation is removed from frozen. */
export function debit(account: SimRecord, need: number): void {
  const b = balancesOf(account);
  account.attributes = { ...account.attributes, frozen: Math.max(0, b.frozen - need) };
}

/** A failed payout gives its reservation back to where it came from. */
export function release(account: SimRecord, source: FundSource, need: number): void {
  const b = balancesOf(account);
  account.attributes = { ...account.attributes, frozen: Math.max(0, b.frozen - need), [source]: b[source] + need };
}

/** A paid payout returned by the bank (退票): the money comes back. */
export function credit(account: SimRecord, source: FundSource, amount: number): void {
  const b = balancesOf(account);
  account.attributes = { ...account.attributes, [source]: b[source] + amount };
}

/** The account as `/_sim/accounts` shows it. */
export function accountView(account: SimRecord, merchant: Merchant) {
  const settings = effectiveSettings(merchant);
  const b = balancesOf(account);
  return {
    provider: PROVIDER,
    merchantId: account.merchantId,
    accountNo: account.platformNumber,
    state: account.state,
    currency: account.currency,
    balance: b.balance,
    advance: b.advance,
    frozen: b.frozen,
    pending: b.pending,
    fee: settings.fee,
    merchantType: settings.merchantType,
    channel: settings.channel,
    updatedAt: isoTime(account.updatedAt),
  };
}
