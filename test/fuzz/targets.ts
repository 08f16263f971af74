import { AGGPAY_TARGETS } from './aggpay.js';
import { ALLINPAY_TARGETS } from './allinpay.js';
import type { FuzzTarget } from './framework.js';
import { ICASHIER_TARGETS } from './icashier.js';
import { MMSP_TARGETS } from './mmsp.js';
import { MMSP_PAYOUT_TARGETS } from './mmsp-payout.js';
import { UMPAY_TARGETS } from './umpay.js';

/**
 * Every provider interface the fuzz suite drives, one file per provider in
 * `test/fuzz/` (MMSP's payouts, with their own RSA envelope, in mmsp-payout.ts).
 * A provider that lands adds its targets here (README, Contributing).
 */
export const TARGETS: FuzzTarget[] = [...MMSP_TARGETS, ...MMSP_PAYOUT_TARGETS, ...AGGPAY_TARGETS, ...ICASHIER_TARGETS, ...UMPAY_TARGETS, ...ALLINPAY_TARGETS];
