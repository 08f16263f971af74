import { AGGPAY_FLOWS } from './aggpay.js';
import { ALLINPAY_FLOWS } from './allinpay.js';
import { ICASHIER_FLOWS } from './icashier.js';
import { MMSP_FLOWS } from './mmsp.js';
import type { BrowserFlow } from './types.js';
import { UMPAY_FLOWS } from './umpay.js';

/**
 * Every redirect flow the browser tests drive. A provider that lands adds its
 * file here (README, Contributing): `test/browser/flows/<provider>.ts`.
 */
export const FLOWS: BrowserFlow[] = [...MMSP_FLOWS, ...AGGPAY_FLOWS, ...ICASHIER_FLOWS, ...UMPAY_FLOWS, ...ALLINPAY_FLOWS];
