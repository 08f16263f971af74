import { loadConfig } from '../../src/config.js';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import type { SimulatorDefinition } from '../../src/core/simulator.js';
import { SIMULATORS } from '../../src/simulators/index.js';

/** Where every test's clock starts: 2026-03-01 10:00:00 China time. */
export const START = '2026-03-01T02:00:00.000Z';

export interface RunningSandbox {
  url: string;
  /** Providers also served at the root of their own port (SIM_PROVIDER_PORTS). */
  providerUrls?: Record<string, string>;
  sandbox: Sandbox;
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
  /** POST and return status and parsed body, for admin error cases. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  advance(seconds: number): Promise<string>;
  /** Orders and notifications as one string: equal before and after means a request changed no state. */
  state(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the real server on a random port with an in-memory store (or the
 * given data directory) and a frozen clock that only `advance` moves.
 */
export async function startSandbox(
  options: { dataDir?: string; env?: Record<string, string>; simulators?: SimulatorDefinition[] } = {},
): Promise<RunningSandbox> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir ?? ':memory:',
    SIM_TIME_SCALE: '0',
    SIM_CLOCK_START: START,
    NOTIFY_TIMEOUT_MS: '2000',
    // The request log stays off in tests (test/request-log.test.ts turns it on).
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const sandbox = createSandbox(config, options.simulators ?? SIMULATORS);
  const { url, providerUrls } = await sandbox.listen();
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as any };
  };
  return {
    url,
    providerUrls,
    sandbox,
    request,
    get: async (path) => (await request('GET', path)).body,
    post: async (path, body = {}) => (await request('POST', path, body)).body,
    advance: async (seconds) => (await request('POST', '/_sim/clock/advance', { seconds })).body.now,
    state: async () => {
      const [orders, notifications] = await Promise.all([request('GET', '/_sim/orders'), request('GET', '/_sim/notifications')]);
      return JSON.stringify({ orders: orders.body, notifications: notifications.body });
    },
    close: () => sandbox.close(),
  };
}
