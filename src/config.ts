import { resolve } from 'node:path';
import { isLoopback } from './core/addresses.js';
import { parseOffsetTime } from './core/time-format.js';

export interface SandboxConfig {
  /** Listen port; 0 picks a free one. */
  port: number;
  /** Listen address; loopback by default. Anywhere else needs `adminToken`. */
  host: string;
  /** `SIM_ADMIN_TOKEN`: when set, every `/_sim` route but `/_sim/health` needs `Authorization: Bearer <token>`. */
  adminToken: string | null;
  /** Directory for the SQLite file, generated keys and user scenarios; null keeps everything in memory. */
  dataDir: string | null;
  /** Virtual seconds per real second; 0 freezes the clock (only `/_sim/clock/advance` moves it). */
  timeScale: number;
  /** Where the virtual clock starts on a fresh data directory (epoch ms); now when absent. */
  clockStart: number | null;
  /** Per-attempt timeout of a notification delivery, real milliseconds. */
  notifyTimeoutMs: number;
  /** Journal rows kept. */
  journalLimit: number;
  /** Journal body bytes kept. */
  journalMaxBytes: number;
  /** Notification deliveries in flight at once (across endpoints), and per endpoint (scheme, host and port). */
  notifyConcurrency: number;
  notifyPerEndpoint: number;
  /** Largest request body a provider route reads, in bytes; larger ones get the provider's own error. */
  maxBodyBytes: number;
  /**
   * `SIM_PROVIDER_PORTS=allinpay=8081,umpay=8082`: providers also served at the
   * root of a port of their own, for clients that let only the host change.
   */
  providerPorts: Record<string, number>;
  /** The address browsers and phones reach the sandbox at, for hosted-page URLs; the request's own when absent. */
  publicUrl: string | null;
  /** `LOG_LEVEL`: the request log's level (`silent` turns it off). */
  logLevel: LogLevel;
  /** `LOG_FORMAT`: `pretty` lines, `json` lines, or `auto` (pretty on a terminal, JSON when piped). */
  logFormat: 'auto' | 'pretty' | 'json';
}

export const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(`${name}=${raw} must be one of ${values.join(', ')}`);
  return raw as T;
}

export class ConfigError extends Error {}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, check: (n: number) => boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) throw new ConfigError(`${name}=${raw} is not valid`);
  return value;
}

/** `allinpay=8081,umpay=8082` → `{allinpay: 8081, umpay: 8082}`; provider ids are checked against the simulators later. */
function providerPorts(raw: string | undefined): Record<string, number> {
  const ports: Record<string, number> = {};
  if (!raw || raw.trim() === '') return ports;
  for (const entry of raw.split(',')) {
    const match = /^\s*([a-z][a-z0-9]*)\s*=\s*(\d{1,5})\s*$/.exec(entry);
    const port = match ? Number(match[2]) : Number.NaN;
    if (!match || port > 65535 || Object.hasOwn(ports, match[1]!)) {
      throw new ConfigError(`SIM_PROVIDER_PORTS=${raw}: expected provider=port pairs separated by commas, each provider once (e.g. allinpay=8081,umpay=8082)`);
    }
    ports[match[1]!] = port;
  }
  return ports;
}

/**
 * Reads the external contract's environment variables.
 *
 * @example
 * loadConfig({ PORT: '0', DATA_DIR: ':memory:', SIM_TIME_SCALE: '0' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const dataDirRaw = env.DATA_DIR ?? 'data';
  const clockStartRaw = env.SIM_CLOCK_START;
  let clockStart: number | null = null;
  if (clockStartRaw) {
    // An offset is required: without one, Date.parse would read the time in the machine's own zone.
    clockStart = parseOffsetTime(clockStartRaw) ?? null;
    if (clockStart === null) {
      throw new ConfigError(`SIM_CLOCK_START=${clockStartRaw} must be an ISO-8601 time with an offset, e.g. 2026-03-01T10:00:00+08:00`);
    }
  }
  const publicUrl = env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : null;
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) throw new ConfigError(`PUBLIC_URL=${publicUrl} must start with http:// or https://`);
  const host = env.HOST || '127.0.0.1';
  const adminToken = env.SIM_ADMIN_TOKEN ? env.SIM_ADMIN_TOKEN : null;
  // Bound beyond this machine, the admin API hands out private keys and can replace them: never without a token.
  if (!isLoopback(host) && !adminToken) {
    throw new ConfigError(`HOST=${host} is reachable from other machines: set SIM_ADMIN_TOKEN to protect /_sim and the dashboard`);
  }
  if (adminToken !== null && adminToken.length < 8) throw new ConfigError('SIM_ADMIN_TOKEN must be at least 8 characters');
  return {
    port: number(env, 'PORT', 8080, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    host,
    adminToken,
    dataDir: dataDirRaw === ':memory:' ? null : resolve(dataDirRaw),
    timeScale: number(env, 'SIM_TIME_SCALE', 1, (n) => n >= 0),
    clockStart,
    notifyTimeoutMs: number(env, 'NOTIFY_TIMEOUT_MS', 10_000, (n) => Number.isInteger(n) && n > 0),
    journalLimit: number(env, 'JOURNAL_LIMIT', 5000, (n) => Number.isInteger(n) && n >= 10),
    journalMaxBytes: number(env, 'JOURNAL_MAX_BYTES', 64 * 1024 * 1024, (n) => Number.isInteger(n) && n >= 1024 * 1024),
    notifyConcurrency: number(env, 'NOTIFY_CONCURRENCY', 128, (n) => Number.isInteger(n) && n >= 1 && n <= 1024),
    notifyPerEndpoint: number(env, 'NOTIFY_PER_ENDPOINT', 16, (n) => Number.isInteger(n) && n >= 1 && n <= 1024),
    providerPorts: providerPorts(env.SIM_PROVIDER_PORTS),
    maxBodyBytes: number(env, 'MAX_BODY_BYTES', 1024 * 1024, (n) => Number.isInteger(n) && n >= 1024 && n <= 64 * 1024 * 1024),
    publicUrl,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['auto', 'pretty', 'json'] as const, 'auto'),
  };
}
