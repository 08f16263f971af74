import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from './migrations.js';
import { openDatabase, schemaVersion } from './database.js';
import { Store } from './index.js';

describe('the store', () => {
  it('migrates a new database to the latest schema version, once', () => {
    const db = openDatabase(':memory:');
    expect(schemaVersion(db)).toBe(migrations.length);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['merchants', 'records', 'sequences', 'outbox', 'delivery_attempts', 'jobs', 'journal', 'scenarios']));
  });

  it('reopens a file database without re-running migrations, and refuses one from a newer sandbox', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const file = join(dir, 'sandbox.db');
    try {
      const first = openDatabase(file);
      first.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
      first.close();
      const again = openDatabase(file);
      expect(again.prepare("SELECT value FROM meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
      expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
      again.pragma(`user_version = ${migrations.length + 1}`);
      again.close();
      expect(() => openDatabase(file)).toThrow(/newer than this sandbox/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the journal bounded: the oldest rows go past the cap', () => {
    const store = new Store({ file: ':memory:', journalCap: 100 });
    for (let i = 0; i < 1000; i++) {
      store.journal.append({
        at: i,
        provider: 'mmsp',
        method: 'POST',
        path: `/r/${i}`,
        requestHeaders: {},
        requestBody: '',
        requestCharset: null,
        responseStatus: 200,
        responseBody: '',
        responseCharset: null,
        durationMs: 0,
        merchantId: null,
        orderNo: null,
        operation: null,
        note: null,
      });
    }
    expect(store.journal.count()).toBeLessThanOrEqual(150);
    const entries = store.journal.list({ limit: 5000 });
    expect(entries).toHaveLength(100);
    expect(entries[0]!.path).toBe('/r/999');
    expect(entries[99]!.path).toBe('/r/900');
  });

  it('reset empties the traffic tables and keeps merchants', () => {
    const store = new Store({ file: ':memory:' });
    store.merchants.upsert(
      { provider: 'p', merchantId: 'm', terminalId: null, md5Key: 'k', publicKey: null, privateKey: null, name: null, settings: {}, source: 'api' },
      0,
    );
    store.orders.insert({
      provider: 'p',
      merchantId: 'm',
      orderNo: 'o',
      platformOrderNo: 'po',
      product: 'x',
      amount: 1,
      currency: 'CNY',
      state: 'created',
      notifyUrl: null,
      returnUrl: null,
      attributes: {},
      scenarioId: null,
      scenarioState: {},
      createdAt: 0,
      expiresAt: null,
    });
    store.reset();
    expect(store.orders.list()).toEqual([]);
    expect(store.merchants.list()).toHaveLength(1);
  });
});
