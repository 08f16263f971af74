import { loadConfig, type LogLevel } from '../config.js';
import { createSandbox } from '../sandbox.js';
import { SIMULATORS } from '../simulators/index.js';
import { connectSandbox, type SandboxClient } from './client.js';

export interface StartOptions {
  /** Listen port; 0 (the default) picks a free one. */
  port?: number;
  /** Where the frozen clock starts: an ISO-8601 time with its offset, or a Date. Now by default. */
  clockStart?: string | Date;
  /** Virtual seconds per real second; 0 (the default) freezes the clock so only `advance` moves it. */
  timeScale?: number;
  /** A data directory (SQLite file, keys, merchants.json, scenarios/); in memory by default. */
  dataDir?: string;
  /** The request log; `silent` by default, so a test run prints nothing. */
  logLevel?: LogLevel;
  /** Any other variable of the README's Configuration table, e.g. `{ NOTIFY_TIMEOUT_MS: '2000' }`. */
  env?: Record<string, string>;
}

/** A sandbox running in this process: the client operations, and `stop`. */
export interface RunningSandbox extends SandboxClient {
  /** Closes the server, aborts deliveries in flight and closes the store. */
  stop(): Promise<void>;
}

/**
 * Starts the sandbox in this process on a free port, with an in-memory store
 * and a frozen clock, and answers a typed handle on it. The process
 * environment is not read: the options are the whole configuration.
 *
 * @example
 * const sandbox = await startSandbox({ clockStart: '2026-03-01T10:00:00+08:00' });
 * const shop = createShop({ gateway: sandbox.url });       // the code under test
 * await shop.checkout('ORDER0001', 100);
 * await sandbox.pay('mmsp', 'ORDER0001');
 * await sandbox.advance(60);                               // notifications delivered, in time order
 * await sandbox.stop();
 */
export async function startSandbox(options: StartOptions = {}): Promise<RunningSandbox> {
  const clockStart = options.clockStart instanceof Date ? options.clockStart.toISOString() : options.clockStart;
  const config = loadConfig({
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir ?? ':memory:',
    SIM_TIME_SCALE: String(options.timeScale ?? 0),
    LOG_LEVEL: options.logLevel ?? 'silent',
    ...(clockStart ? { SIM_CLOCK_START: clockStart } : {}),
    ...options.env,
  });
  const sandbox = createSandbox(config, SIMULATORS);
  let url: string;
  try {
    ({ url } = await sandbox.listen());
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  const client = connectSandbox(url, config.adminToken ? { token: config.adminToken } : {});
  let stopped: Promise<void> | undefined;
  return Object.assign(client, {
    stop: () => (stopped ??= sandbox.close()),
  });
}
