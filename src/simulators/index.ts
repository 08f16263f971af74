import type { SimulatorDefinition } from '../core/simulator.js';
import aggpay from './aggpay/index.js';
import allinpay from './allinpay/index.js';
import icashier from './icashier/index.js';
import mmsp from './mmsp/index.js';
import umpay from './umpay/index.js';

/** Every provider the sandbox serves. Adding one is a folder and a line here. */
export const SIMULATORS: SimulatorDefinition[] = [mmsp, aggpay, icashier, umpay, allinpay];
