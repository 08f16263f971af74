import type { FuzzTarget } from './framework.js';
import { AGGPAY_TARGETS, ICASHIER_TARGETS, MMSP_TARGETS } from './providers.js';

/** Every provider interface the fuzz suite drives. A provider that lands adds its targets here (README, Contributing). */
export const TARGETS: FuzzTarget[] = [...MMSP_TARGETS, ...AGGPAY_TARGETS, ...ICASHIER_TARGETS];
