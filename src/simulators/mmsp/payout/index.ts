import type { AccountsHook } from '../../../core/accounts.js';
import { ACCOUNT_KIND } from '../../../core/kinds.js';
import { accountOf, accountView, fundAccount } from './account.js';
import type { SimRecord } from '../../../core/domain.js';
import { PAYOUT_CODES, PAYSTATE } from './codes.js';
import { PAYOUT_PRODUCTS } from './commands.js';
import { MMSP_PAYOUT_KIND } from './kind.js';
import { TEST_MERCHANT_PAYOUT } from './settings.js';

/**
 * MMSP payouts (代付接口规范, seed 001): what the MMSP simulator adds for them.
 * The endpoint is `payoutHandler` (routes.ts), mounted at `POST /mmsp/payout`.
 */
export { payoutHandler } from './routes.js';

export { PAYOUT_CODES, PAYOUT_PRODUCTS, TEST_MERCHANT_PAYOUT };

/** The record kinds payouts keep: the payout itself and the merchant's account. */
export const PAYOUT_KINDS = [MMSP_PAYOUT_KIND, ACCOUNT_KIND];

/** `GET /_sim/accounts/mmsp/{merchantId}` and `POST …/fund`. */
export const payoutAccounts: AccountsHook = {
  get(context, merchantId) {
    const merchant = context.store.merchants.get('mmsp', merchantId);
    const account = merchant && context.records.tx(() => accountOf(context, merchant));
    return merchant && account ? accountView(account, merchant) : undefined;
  },
  fund(context, merchantId, amount) {
    const merchant = context.store.merchants.get('mmsp', merchantId);
    return merchant ? accountView(fundAccount(context, merchant, amount), merchant) : undefined;
  },
};

/**
 * A payout's state as the 4098 query answers it (代付 §5.2.3), for the
 * dashboard's timeline: `PAYSTATE 5 代付请求已受理，等待审核` → `2 付款中` → `1 付款成功`.
 */
export function payoutStateLabel(record: SimRecord, state: string): string | undefined {
  const entry = record.kind === 'payout' ? PAYSTATE[state] : undefined;
  return entry && `PAYSTATE ${entry.code} ${entry.text}`;
}
