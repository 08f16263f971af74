/**
 * The testkit: run the sandbox from a merchant's tests.
 *
 * - {@link startSandbox}: the sandbox in this process, on a free port, with an
 *   in-memory store and a frozen clock;
 * - {@link connectSandbox}: the same operations on a sandbox running elsewhere;
 * - `mmsp`, `aggpay`, `icashier`, `umpay`, `allinpay`: each provider's signing scheme from the
 *   merchant's side, so tests need not re-implement it.
 *
 * @example
 * import { startSandbox, mmsp } from 'cn-pay-sandbox';
 * const sandbox = await startSandbox();
 * const { merchantId, terminalId, md5Key } = await sandbox.merchant('mmsp');
 */
export * from './remote.js';
export { startSandbox, type RunningSandbox, type StartOptions } from './start.js';
