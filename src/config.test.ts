import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', adminToken: null, timeScale: 1, clockStart: null, notifyTimeoutMs: 10_000, journalLimit: 5000, publicUrl: null, logLevel: 'info', logFormat: 'auto' });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('reads DATA_DIR=:memory: as no data directory, and PUBLIC_URL without a trailing slash', () => {
    expect(loadConfig({ DATA_DIR: ':memory:', PUBLIC_URL: 'http://192.168.1.20:8080/' })).toMatchObject({ dataDir: null, publicUrl: 'http://192.168.1.20:8080' });
  });

  it('needs an offset on SIM_CLOCK_START, so the machine’s zone cannot change its meaning', () => {
    expect(loadConfig({ SIM_CLOCK_START: '2026-03-01T10:00:00+08:00' }).clockStart).toBe(Date.parse('2026-03-01T02:00:00Z'));
    expect(loadConfig({ SIM_CLOCK_START: '2026-03-01T02:00:00Z' }).clockStart).toBe(Date.parse('2026-03-01T02:00:00Z'));
    expect(() => loadConfig({ SIM_CLOCK_START: '2026-03-01T10:00:00' })).toThrow(ConfigError);
  });

  it('binds to loopback by default and refuses to listen elsewhere without an admin token', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST=0\.0\.0\.0 .*SIM_ADMIN_TOKEN/);
    expect(loadConfig({ HOST: '0.0.0.0', SIM_ADMIN_TOKEN: 'secret-token' })).toMatchObject({ host: '0.0.0.0', adminToken: 'secret-token' });
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(() => loadConfig({ SIM_ADMIN_TOKEN: 'short' })).toThrow(/at least 8/);
  });

  it('refuses values that are not numbers in range, naming the variable', () => {
    for (const [name, value] of [['PORT', 'x'], ['PORT', '70000'], ['SIM_TIME_SCALE', '-1'], ['NOTIFY_TIMEOUT_MS', '0'], ['JOURNAL_LIMIT', '5'], ['PUBLIC_URL', 'ftp://x'], ['NOTIFY_CONCURRENCY', '0'], ['MAX_BODY_BYTES', '10'], ['LOG_LEVEL', 'loud'], ['LOG_FORMAT', 'xml']]) {
      expect(() => loadConfig({ [name!]: value }), `${name}=${value}`).toThrow(new RegExp(name!));
    }
  });
});
