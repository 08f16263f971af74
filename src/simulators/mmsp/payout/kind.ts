import type { SimRecord } from '../../../core/domain.js';
import { defineKind, PAYOUT_KIND } from '../../../core/kinds.js';
import { credit, debit, release, reserve, type FundSource } from './account.js';

/** What a payout record keeps besides its amount (fen) and numbers. */
export interface PayoutAttributes {
  /** The request's fields as validated (ACCNAME, ACCNO, BUSIYPE, MEMO, MOBILE, BANKNAME …). */
  fields: Record<string, string>;
  /** 代付手续费 reserved with the amount. */
  fee: number;
  source: FundSource;
  /** PAYSTATE 5 → 2 and 2 → 1 (or 3) delays, from the merchant's settings when it was accepted. */
  reviewMs: number;
  processingMs: number;
  /** Why the bank will refuse it (a test card with behaviour payout-fails), or null. */
  failReason: string | null;
}

export const payoutAttributes = (record: SimRecord) => record.attributes as unknown as PayoutAttributes;

/**
 * The payout as MMSP runs it: accepted (PAYSTATE 5, awaiting review) →
 * processing (2) → paid (1), or failed (3) for a card the bank refuses (that
 * one is scheduled by the command, since a state has one timer). Delays come
 * from the record, so each merchant's settings apply; a scenario (magic
 * amounts 2001–2004) replaces them.
 *
 * Its effect keeps the merchant's account (its parent record) in the same
 * transaction as every change: accepting reserves amount + fee (refusing with
 * 1031/1049 rolls the payout back, so no balance goes below zero), success
 * debits the reservation, failure releases it.
 */
export const MMSP_PAYOUT_KIND = defineKind({
  ...PAYOUT_KIND,
  timers: {
    accepted: { afterMs: (record) => payoutAttributes(record).reviewMs, to: 'processing' },
    processing: { afterMs: (record) => (payoutAttributes(record).failReason ? null : payoutAttributes(record).processingMs), to: 'paid' },
  },
  effect({ record, from, to }, api) {
    if (record.parentId === null) return;
    const account = api.get(record.parentId);
    if (!account) return;
    const { fee, source } = payoutAttributes(record);
    const need = (record.amount ?? 0) + fee;
    if (from === null) reserve(account, source, need);
    else if (to === 'paid') debit(account, need);
    else if (to === 'failed') release(account, source, need);
    else if (to === 'reversed') credit(account, source, record.amount ?? 0);
    else return;
    api.save(account);
  },
});
