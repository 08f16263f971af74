import type { Clock } from './clock.js';
import type { Records } from './records.js';
import type { Store } from './store/index.js';

/** What an account hook works with: the record engine, the store and the clock (a simulator's context has them, so does the admin API). */
export interface AccountContext {
  readonly records: Records;
  readonly store: Store;
  readonly clock: Clock;
}

/** A merchant's account as the provider shows it: at least provider, merchantId and the balances it keeps (fen). */
export type AccountView = { provider: string; merchantId: string } & Record<string, unknown>;

/**
 * The optional contract hook of a provider that keeps merchant accounts
 * (payout providers), behind `GET /_sim/accounts/{provider}/{merchantId}` and
 * `POST /_sim/accounts/{provider}/{merchantId}/fund {"amount": fen}`.
 *
 * @example
 * accounts: {
 *   get: (context, merchantId) => …view or undefined,
 *   fund: (context, merchantId, amount) => …view after the credit, or undefined for an unknown merchant,
 * }
 */
export interface AccountsHook {
  /** The merchant's account; undefined when the provider keeps none for it. */
  get(context: AccountContext, merchantId: string): AccountView | undefined;
  /** Credits `amount` fen (a positive integer), opening the account if needed; undefined for a merchant the provider does not know. */
  fund(context: AccountContext, merchantId: string, amount: number): AccountView | undefined;
}
