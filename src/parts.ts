import type { Hono } from 'hono';
import type { SandboxConfig } from './config.js';
import type { Clock } from './core/clock.js';
import type { Dispatcher } from './core/dispatcher.js';
import type { Notifier } from './core/notifier.js';
import type { Payments } from './core/payments.js';
import type { Records } from './core/records.js';
import type { ScenarioRegistry } from './core/scenarios.js';
import type { SimulatorRegistry } from './core/simulator.js';
import type { Store } from './core/store/index.js';
import type { KeyRing } from './keys/key-ring.js';

/**
 * Everything a running sandbox is made of. The admin API and the web pages
 * take it; `sandbox.ts` builds it. Kept apart so neither imports the other.
 */
export interface SandboxParts {
  readonly config: SandboxConfig;
  readonly app: Hono;
  readonly store: Store;
  readonly clock: Clock;
  readonly records: Records;
  readonly payments: Payments;
  readonly notifier: Notifier;
  readonly dispatcher: Dispatcher;
  readonly scenarios: ScenarioRegistry;
  readonly keys: KeyRing;
  readonly simulators: SimulatorRegistry;
}
