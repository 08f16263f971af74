import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from './migrations.js';
import { openDatabase, schemaVersion } from './database.js';
import { Store } from './index.js';
import { outboxItem } from '../../../test/support/outbox.js';

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

  it('keeps the journal bounded in bytes too: large bodies push the oldest rows out', () => {
    const store = new Store({ file: ':memory:', journalCap: 5000, journalBytes: 1024 * 1024 });
    const body = 'x'.repeat(60 * 1024);
    for (let i = 0; i < 100; i++) {
      store.journal.append({
        at: i, provider: 'mmsp', method: 'POST', path: `/r/${i}`, requestHeaders: {}, requestBody: body, requestCharset: null,
        responseStatus: 200, responseBody: body, responseCharset: null, durationMs: 0, merchantId: null, orderNo: null, operation: null, note: null,
      });
    }
    expect(store.journal.bytes()).toBeLessThanOrEqual(1024 * 1024);
    const entries = store.journal.list({ limit: 5000 });
    expect(entries[0]!.path).toBe('/r/99');
    expect(entries.length).toBeLessThan(10);
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

describe('group commit', () => {
  const write = (store: Store, key: string) => store.tx(() => store.setMeta(key, 'v'));
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('reports a failed batch to whoever noted its number before writing, even after the batch is gone', async () => {
    const store = new Store({ file: ':memory:', groupCommit: true });
    const exec = store.db.exec.bind(store.db);
    let failNext = false;
    store.db.exec = (sql: string) => {
      if (sql === 'COMMIT' && failNext) {
        failNext = false;
        throw new Error('disk I/O error (injected)');
      }
      return exec(sql);
    };
    const before = store.batchMark();
    write(store, 'a');
    failNext = true;
    await nextTurn();
    // The batch failed and was rolled back while nobody waited; a later batch commits.
    expect(store.getMeta('a')).toBeUndefined();
    const later = store.batchMark();
    write(store, 'b');
    await expect(store.durable(before)).rejects.toThrow('disk I/O error (injected)');
    await expect(store.durable(later)).resolves.toBeUndefined();
    expect(store.getMeta('b')).toBe('v');
    await expect(store.durable()).resolves.toBeUndefined();
    store.close();
  });

  it('waits for the open batch and rejects when its commit fails', async () => {
    const store = new Store({ file: ':memory:', groupCommit: true });
    const exec = store.db.exec.bind(store.db);
    store.db.exec = (sql: string) => {
      if (sql === 'COMMIT') throw new Error('database or disk is full (injected)');
      return exec(sql);
    };
    const since = store.batchMark();
    write(store, 'a');
    await expect(store.durable(since)).rejects.toThrow('database or disk is full (injected)');
    store.db.exec = exec;
    expect(store.getMeta('a')).toBeUndefined();
    store.close();
  });

  it('treats a batch whose transaction SQLite ended on its own as failed', async () => {
    const store = new Store({ file: ':memory:', groupCommit: true });
    const since = store.batchMark();
    write(store, 'a');
    store.db.exec('ROLLBACK');
    await expect(store.durable(since)).rejects.toThrow(/rolled back/);
    store.close();
  });
});

describe('a store closed without shutdown (a start that failed)', () => {
  it('leaves no checkpoint worker behind to open a database whose directory is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const store = new Store({ file: join(dir, 'sandbox.db') });
    store.close();
    rmSync(dir, { recursive: true, force: true });
    // A worker still starting would now fail to open the file: an uncaught error vitest reports against this test.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(store.db.open).toBe(false);
  });
});

describe('the indexes an order writes', () => {
  it('hold only the rows they are read for, and the reads (and the cascade) still use them', () => {
    const store = new Store({ file: ':memory:' });
    const insert = store.db.prepare(
      `INSERT INTO records (provider, kind, merchant_id, number, platform_number, parent_id, state, amount, created_at, updated_at)
       VALUES ('p', ?, 'm', ?, ?, ?, 'created', 100, 0, 0)`,
    );
    for (let i = 1; i <= 50; i++) insert.run('order', `o${i}`, `po${i}`, null);
    insert.run('refund', 'r1', 'pr1', 7);
    for (let i = 1; i <= 50; i++) store.jobs.schedule({ dueAt: 1000 + i, kind: 'record.expire', recordId: i, payload: {} }, 0);
    // Entries in each index (dbstat: cells on its pages): the 50 orders have no parent, so only the refund is there.
    const entries = (index: string) => (store.db.prepare('SELECT sum(ncell) AS n FROM dbstat WHERE name = ?').get(index) as { n: number }).n;
    expect(entries('records_parent')).toBe(1);
    expect(entries('jobs_due')).toBe(50);
    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    expect(plan("SELECT id FROM records WHERE parent_id = 7 AND kind = 'refund'")).toContain('records_parent');
    expect(plan("SELECT * FROM jobs WHERE status = 'pending' AND due_at <= 2000 ORDER BY due_at, id LIMIT 1")).toContain('jobs_due');
    expect(store.jobs.nextDue(2000)).toMatchObject({ dueAt: 1001, recordId: 1 });
    expect(store.jobs.nextDueAt()).toBe(1001);
    // The foreign key's cascade finds the child through the partial index too.
    store.db.prepare('DELETE FROM records WHERE id = 7').run();
    expect(store.db.prepare("SELECT count(*) AS n FROM records WHERE kind = 'refund'").get()).toEqual({ n: 0 });
    store.close();
  });
});

describe('a data directory written by the first schema', () => {
  it('migrates forward: orders keep their ids, refunds become records of their order, outbox and jobs follow', async () => {
    const Database = (await import('better-sqlite3')).default;
    const dir = mkdtempSync(join(tmpdir(), 'store-v1-'));
    const file = join(dir, 'sandbox.db');
    try {
      const old = new Database(file);
      old.exec(migrations[0]!);
      old.pragma('user_version = 1');
      old.exec(`
        INSERT INTO orders (id, provider, merchant_id, order_no, platform_order_no, product, amount, state, refunded_amount,
          notify_url, attributes, scenario_state, created_at, updated_at, paid_at)
        VALUES (7, 'mmsp', 'M1', 'ORD-7', '202603011000001234', 'wechat.qr', 1000, 'partially_refunded', 300,
          'http://shop/notify', '{"family":"scan"}', '{}', 1000, 2000, 1500);
        INSERT INTO refunds (order_id, provider, merchant_id, refund_no, platform_refund_no, amount, state, attributes, created_at, updated_at)
        VALUES (7, 'mmsp', 'M1', 'RF-1', '20260301100000123456', 300, 'succeeded', '{}', 1800, 1800);
        INSERT INTO outbox (id, provider, channel, order_id, merchant_id, order_no, url, payload, status, next_attempt_at, created_at)
        VALUES (3, 'mmsp', 'scan.pay', 7, 'M1', 'ORD-7', 'http://shop/notify', '{}', 'pending', 5000, 1500);
        INSERT INTO delivery_attempts (outbox_id, attempt_no, at, method, url, request_body, http_status, reply_body, verdict, next_attempt_at, duration_ms)
        VALUES (3, 1, 1500, 'POST', 'http://shop/notify', '{"a":1}', 200, 'FAIL', 'rejected', 5000, 3);
        INSERT INTO jobs (due_at, kind, order_id, payload, status, created_at) VALUES (9000, 'order.expire', 7, '{}', 'pending', 1000);
      `);
      old.close();

      const store = new Store({ file });
      expect(schemaVersion(store.db)).toBe(migrations.length);
      expect(store.orders.get(7)).toMatchObject({ orderNo: 'ORD-7', state: 'partially_refunded', refundedAmount: 300, paidAt: 1500 });
      const [refund] = store.refunds.forOrder(7);
      expect(refund).toMatchObject({ refundNo: 'RF-1', amount: 300, state: 'succeeded', orderId: 7 });
      expect(store.records.list({ kind: 'refund' })[0]).toMatchObject({ parentId: 7, completedAt: 1800 });
      expect(store.outbox.get(3)).toMatchObject({ recordId: 7, recordKind: 'order', status: 'pending' });
      expect(store.outbox.attempts(3)[0]).toMatchObject({ requestBody: '{"a":1}', replyBody: 'FAIL', verdict: 'rejected' });
      expect(store.jobs.nextDue(10_000)).toMatchObject({ kind: 'record.expire', recordId: 7 });
      // Foreign keys hold after the rebuild: deleting the order takes its refund, notification and job with it.
      store.db.prepare('DELETE FROM records WHERE id = 7').run();
      expect(store.records.count()).toBe(0);
      expect(store.outbox.get(3)).toBeUndefined();
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the write-ahead log under steady writes', () => {
  it('starts again from its beginning instead of growing with everything ever written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-wal-'));
    const file = join(dir, 'sandbox.db');
    const store = new Store({ file, groupCommit: true, checkpointIntervalMs: 10 });
    try {
      const page = 'x'.repeat(4000);
      // The checkpoint worker is running once it has copied the schema from the log into the database file (one page
      // until then): a start delayed on a loaded machine must not count as the log's growth.
      await expect.poll(() => statSync(file).size).toBeGreaterThan(4096);
      let largest = 0;
      // 32 MB written, a commit per turn of the event loop as under traffic; before the fix the log held all of it.
      for (let turn = 0; turn < 400; turn++) {
        store.tx(() => {
          for (let row = 0; row < 20; row++) store.setMeta(`k${turn}.${row}`, page);
        });
        await new Promise((resolve) => setImmediate(resolve));
        if (turn % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 2));
        largest = Math.max(largest, statSync(`${file}-wal`).size);
      }
      expect(largest).toBeGreaterThan(0);
      expect(largest).toBeLessThan(16 * 1024 * 1024);
      expect(store.db.prepare('SELECT count(*) AS n FROM meta').get()).toEqual({ n: 8000 });
    } finally {
      await store.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sequences', () => {
  it('never hand a value out twice: not after a rolled-back change, not after a restart, with group commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-seq-'));
    const file = join(dir, 'sandbox.db');
    try {
      const first = new Store({ file, groupCommit: true, checkpointInWorker: false });
      expect(first.tx(() => first.records.nextSequence('p.order'))).toBe(1);
      // A change that takes a value and then fails keeps the value taken.
      expect(() =>
        first.tx(() => {
          first.records.nextSequence('p.order');
          throw new Error('refused');
        }),
      ).toThrow('refused');
      expect(first.tx(() => first.records.nextSequence('p.order'))).toBe(3);
      // Inside a batch the value is written just before the commit.
      const stored = () => first.db.prepare("SELECT value FROM sequences WHERE name = 'p.order'").get();
      expect(stored()).toBeUndefined();
      await first.durable();
      expect(stored()).toEqual({ value: 3 });
      expect(first.records.nextSequence('p.other')).toBe(1); // outside a transaction: written at once
      first.close();

      const again = new Store({ file, groupCommit: true, checkpointInWorker: false });
      expect(again.tx(() => again.records.nextSequence('p.order'))).toBe(4);
      expect(again.records.nextSequence('p.other')).toBe(2);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reads with group commit', () => {
  it('join the turn’s batch instead of running in a transaction of their own, and the batch ends after the turn', async () => {
    const store = new Store({ file: ':memory:', groupCommit: true });
    const plain = new Store({ file: ':memory:' });
    try {
      const batchBefore = store.batchMark();
      expect(store.records.findByNumber('p', 'order', 'm', 'none')).toBeUndefined();
      expect(store.db.inTransaction).toBe(true);
      // Everything read or written in the same turn shares that batch.
      expect(store.batchMark()).toBe(batchBefore);
      store.outbox.dueHeads(0, 10);
      store.jobs.nextDueAt();
      expect(store.batchMark()).toBe(batchBefore);
      await store.durable();
      expect(store.db.inTransaction).toBe(false);

      expect(plain.records.findByNumber('p', 'order', 'm', 'none')).toBeUndefined();
      expect(plain.db.inTransaction).toBe(false);
    } finally {
      store.close();
      plain.close();
    }
  });
});

describe('transactions', () => {
  it('refuse an async function inside a batch, undoing what it wrote before its first await', async () => {
    const store = new Store({ file: ':memory:', groupCommit: true });
    try {
      store.tx(() => store.setMeta('kept', '1'));
      expect(() =>
        store.tx(async () => {
          store.setMeta('undone', '1');
          await Promise.resolve();
        }),
      ).toThrow(/cannot be async/);
      expect(store.getMeta('kept')).toBe('1');
      expect(store.getMeta('undone')).toBeUndefined();
      await store.durable();
    } finally {
      store.close();
    }
  });
});

describe('the outbox for deliveries', () => {
  const queue = (store: Store, orderNo: string) => store.outbox.insert(outboxItem({ orderNo }));

  it('commitQueued ends the batch only when it queued a notification, so a retry of an older one does not', async () => {
    const store = new Store({ file: ':memory:', groupCommit: true });
    try {
      store.tx(() => queue(store, 'o1'));
      const queuedIn = store.batchMark();
      store.commitQueued();
      expect(store.db.inTransaction).toBe(false);
      await expect(store.durable(queuedIn)).resolves.toBeUndefined();

      store.tx(() => store.setMeta('attempt', 'recorded'));
      store.commitQueued();
      expect(store.db.inTransaction).toBe(true); // nothing announced depends on it: it commits with its turn
      await store.durable();
      expect(store.db.inTransaction).toBe(false);
    } finally {
      store.close();
    }
  });

  it('advance moves a schedule on only from where it stood, and reads the highest attempt number from its index', () => {
    const store = new Store({ file: ':memory:' });
    try {
      const item = queue(store, 'o2');
      const failed = { status: 'pending' as const, attemptCount: 1, nextAttemptAt: 15_000 };
      expect(store.outbox.advance(item, failed)).toBe(true);
      // The same attempt again (a replay recorded meanwhile moved the row on): nothing changes.
      expect(store.outbox.advance(item, { status: 'delivered', attemptCount: 1, nextAttemptAt: null })).toBe(false);
      expect(store.outbox.state(item.id)).toEqual(failed);

      const plan = store.db
        .prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT max(attempt_no) AS n FROM delivery_attempts WHERE outbox_id = 1')
        .all()
        .map((row) => row.detail)
        .join(' ');
      expect(plan).toContain('COVERING INDEX delivery_attempts_number');
    } finally {
      store.close();
    }
  });
});

describe('a batch whose commit fails', () => {
  /** Something in the batch that makes its COMMIT fail (a deferred foreign key): a stand-in for a full disk. */
  const poison = (store: Store) =>
    store.tx(() => {
      store.db.pragma('defer_foreign_keys = ON');
      store.db
        .prepare("INSERT INTO delivery_attempts (outbox_id, attempt_no, at, method, url, request_body, verdict, duration_ms) VALUES (999, 1, 0, 'POST', 'u', '', 'error', 0)")
        .run();
    });
  const entry = (path: string) => ({
    at: 0, provider: 'p', method: 'POST', path, requestHeaders: {}, requestBody: 'x'.repeat(600), requestCharset: null, responseStatus: 200,
    responseBody: '', responseCharset: null, durationMs: 0, merchantId: null, orderNo: null, operation: null, note: null,
  });

  it('takes the journal rows written into it along, and the bytes held are counted again', async () => {
    const store = new Store({ file: ':memory:', groupCommit: true, journalBytes: 1000 });
    try {
      store.journal.append(entry('/lost'));
      store.journal.flush(); // into the open batch
      poison(store);
      await expect(store.durable()).rejects.toThrow(/FOREIGN KEY/);
      expect(store.journal.bytes()).toBe(0);
      // Counted as 600 still, this row would have been trimmed away (1,200 over a cap of 1,000).
      store.journal.append(entry('/kept'));
      expect(store.journal.list().map((row) => row.path)).toEqual(['/kept']);
      await store.durable();
    } finally {
      store.close();
    }
  });
});
