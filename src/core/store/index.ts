import { openDatabase, type Db } from './database.js';
import { CardRepository } from './cards.js';
import { Checkpointer } from './checkpointer.js';
import { JobRepository } from './jobs.js';
import { JournalRepository } from './journal.js';
import { MerchantRepository } from './merchants.js';
import { OrderRepository } from './orders.js';
import { OutboxRepository } from './outbox.js';
import { RecordRepository } from './records.js';
import { RefundRepository } from './refunds.js';

export interface StoreOptions {
  /** A file path, or `:memory:`. */
  file: string;
  /** Journal rows kept before the oldest are dropped. */
  journalCap?: number;
  /** Journal body bytes kept before the oldest rows are dropped. */
  journalBytes?: number;
  /** False keeps SQLite's own checkpoints in the commits (short-lived stores: tests, migrations). */
  checkpointInWorker?: boolean;
  /** How often the checkpoint worker copies the log into the database (default 1 s). */
  checkpointIntervalMs?: number;
  /** Group commit: changes of one turn of the event loop share a commit (the server turns it on). */
  groupCommit?: boolean;
}

/**
 * The engine's persistent state. Every state change happens inside
 * {@link Store.tx}: one transaction per change, so a crash never leaves an order
 * paid without its notification queued.
 */
export class Store {
  readonly db: Db;
  /** Every kind of record; `orders` and `refunds` are typed views of two kinds. */
  readonly records: RecordRepository;
  readonly orders: OrderRepository;
  readonly refunds: RefundRepository;
  readonly merchants: MerchantRepository;
  /** Test cards: defaults plus the user's. */
  readonly cards: CardRepository;
  readonly outbox: OutboxRepository;
  readonly jobs: JobRepository;
  readonly journal: JournalRepository;

  private readonly groupCommit: boolean;

  constructor(options: StoreOptions) {
    this.db = openDatabase(options.file);
    this.groupCommit = options.groupCommit === true;
    // With group commit, a read opens the batch too, so every statement of a turn runs in its one transaction. A read
    // on its own would begin and end a transaction of its own, each taking and releasing a lock on the log's index —
    // two system calls per statement (profiled: a 2310 query 6,500 → 9,600 req/s here). Only this connection writes,
    // so a batch's snapshot is never stale; a batch opened by a read commits nothing.
    const join = () => {
      if (this.groupCommit && !this.db.inTransaction) this.openBatch();
    };
    this.records = new RecordRepository(this.db, join);
    this.orders = new OrderRepository(this.records);
    this.refunds = new RefundRepository(this.records);
    this.merchants = new MerchantRepository(this.db);
    this.cards = new CardRepository(this.db);
    this.outbox = new OutboxRepository(this.db, join);
    this.jobs = new JobRepository(this.db, join);
    this.journal = new JournalRepository(this.db, options.journalCap ?? 5000, options.journalBytes, (fn) => this.tx(fn));
    this.savepoint = this.db.prepare('SAVEPOINT change');
    this.release = this.db.prepare('RELEASE change');
    this.rollbackTo = this.db.prepare('ROLLBACK TO change');
    if (options.file !== ':memory:' && options.checkpointInWorker !== false) {
      // The log is checkpointed off the event loop (checkpointer.ts); this connection never does it inside a commit.
      this.db.pragma('wal_autocheckpoint = 0');
      // Once restarted, the log file is cut back to this size rather than kept at its largest.
      this.db.pragma('journal_size_limit = 67108864');
      this.checkpointer = new Checkpointer(options.file, () => this.copyTail(), options.checkpointIntervalMs);
    }
  }

  /**
   * Copies the last frames of the log the checkpoint worker left (a few hundred), here, between two commits, so
   * that the next write starts the log again from its beginning (checkpointer.ts says why). The batch in progress is
   * committed first: a checkpoint cannot run inside a transaction, and committing early acknowledges nothing early.
   */
  private copyTail(): void {
    if (!this.db.open) return;
    try {
      this.commit();
      if (!this.db.inTransaction) this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // the store is closing, or the worker is copying again: the next tail will do
    }
  }

  private checkpointer: Checkpointer | undefined;

  /** Stops the checkpoint worker, then closes (the last connection to close folds the log into the database). */
  async shutdown(): Promise<void> {
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    this.close();
  }

  /**
   * Runs `fn` in a transaction. With group commit on (the server's store), the
   * changes of every request handled in the same turn of the event loop share
   * one commit, made right after that turn; each `tx` is a savepoint inside it,
   * so a failure undoes only its own changes. Nothing is acknowledged before the
   * commit: the server awaits {@link durable} before any answer leaves (and
   * answers an error instead when the batch failed), and the dispatcher before
   * any notification does.
   */
  tx<T>(fn: () => T): T {
    if (this.groupCommit && !this.db.inTransaction) this.openBatch();
    if (!this.db.inTransaction) return this.db.transaction(fn)();
    // Inside a transaction, a savepoint of prepared statements: better-sqlite3's own wrapper is built anew per call
    // and parses its SAVEPOINT text each time (measured: four times the cost, on every change a request makes).
    this.savepoint.run();
    try {
      const result = fn();
      // As better-sqlite3 refuses: what runs after an await would land outside the savepoint.
      if (typeof (result as { then?: unknown } | null)?.then === 'function') throw new TypeError('a store transaction cannot be async');
      this.release.run();
      return result;
    } catch (error) {
      // SQLite may have ended the whole transaction on its own (a full disk): nothing is left to undo then.
      if (this.db.inTransaction) {
        this.rollbackTo.run();
        this.release.run();
      }
      throw error;
    }
  }

  private readonly savepoint;
  private readonly release;
  private readonly rollbackTo;

  /** {@link OutboxRepository.inserted} as of the latest commit. */
  private queuedCommitted = 0;

  /**
   * Commits the batch in progress if a notification was queued since the last commit: a delivery never announces a
   * change that is not committed yet (the change and its notification are written together), and one of an older
   * notification need not end the batch.
   */
  commitQueued(): void {
    if (this.outbox.inserted !== this.queuedCommitted) this.commit();
  }

  /** Commits the batch in progress (if any) at once. */
  commit(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = null;
    this.records.deferSequences = false;
    // No transaction left means SQLite ended it on its own (an I/O error or a full disk rolls it back): it failed.
    if (!this.db.inTransaction) return this.failed(batch, new Error('the transaction was rolled back before its commit'));
    try {
      this.records.saveSequences();
      this.db.exec('COMMIT');
      this.queuedCommitted = this.outbox.inserted;
      batch.resolve();
    } catch (error) {
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // nothing left to undo
      }
      this.failed(batch, error);
    }
  }

  /**
   * The sequence number of the batch a change made now joins (the open one, or
   * the next). Note it before handling a request and pass it to {@link durable}
   * afterwards: the batch the handler wrote into may have been committed —
   * or failed — while the handler awaited something.
   */
  batchMark(): number {
    return this.batch ? this.batch.seq : this.batchSeq + 1;
  }

  /**
   * Resolves once every change made since `since` (a {@link batchMark}; by
   * default, now) is committed; rejects with the commit's error when any batch
   * from `since` on failed (its changes were rolled back).
   */
  async durable(since = this.batchMark()): Promise<void> {
    const open = this.batch;
    if (open && open.seq >= since) await open.promise.catch(() => {});
    // Batches commit in order, so the latest failure is the one with the highest number.
    if (this.lastFailure && this.lastFailure.seq >= since) throw this.lastFailure.error;
  }

  private batch: { seq: number; promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | null = null;
  /** The number of the latest batch opened; batches are numbered from 1 in the order they open (and commit). */
  private batchSeq = 0;
  private lastFailure: { seq: number; error: unknown } | null = null;

  private failed(batch: { seq: number; reject: (error: unknown) => void }, error: unknown): void {
    this.lastFailure = { seq: batch.seq, error };
    // Journal rows (and trims) written into the batch were rolled back with it: its byte count must not keep them.
    if (this.db.open) this.journal.recount();
    batch.reject(error);
  }

  private openBatch(): void {
    // A batch still recorded here while no transaction is open was ended by SQLite, not committed.
    if (this.batch) this.commit();
    this.db.exec('BEGIN');
    this.records.deferSequences = true;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A failed commit is reported to whoever awaits durable(); an unobserved one must not crash the process.
    promise.catch(() => {});
    this.batch = { seq: ++this.batchSeq, promise, resolve, reject };
    setImmediate(() => this.commit());
  }

  /** The latest virtual time anything stored carries (a record change, a request, a delivery), or null when empty. */
  newestTime(): number | null {
    const row = this.db
      .prepare<[], { at: number | null }>(
        `SELECT max(at) AS at FROM (
           SELECT max(updated_at) AS at FROM records UNION ALL SELECT max(at) FROM record_events
           UNION ALL SELECT max(at) FROM journal UNION ALL SELECT max(at) FROM delivery_attempts)`,
      )
      .get();
    return row?.at ?? null;
  }

  /**
   * A short text that changes whenever anything the dashboard shows changes
   * (a request, a state change, a record edit, a delivery attempt, a reset): its
   * live updates compare it rather than re-reading everything.
   */
  revision(): string {
    const row = this.db
      .prepare<[], { r: string }>(
        `SELECT (SELECT coalesce(max(id), 0) FROM journal) || '.' || (SELECT count(*) FROM journal) || '.' ||
           (SELECT coalesce(max(id), 0) FROM record_events) || '.' || (SELECT coalesce(max(updated_at), 0) FROM records) || '.' ||
           (SELECT count(*) FROM records) || '.' || (SELECT coalesce(max(id), 0) FROM delivery_attempts) || '.' ||
           (SELECT count(*) FROM outbox) || '.' || (SELECT count(*) FROM merchants) AS r`,
      )
      .get();
    return row?.r ?? '';
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  /**
   * Empties records, notifications, jobs and the journal; keeps merchants, scenarios, the clock and the
   * platform-number sequences (a number handed out is never handed out again).
   */
  reset(): void {
    this.tx(() => {
      this.journal.emptied();
      for (const table of ['delivery_attempts', 'outbox', 'jobs', 'record_events', 'records', 'journal']) {
        this.db.exec(`DELETE FROM ${table}`);
      }
    });
  }

  close(): void {
    // Closed without shutdown() (a start that failed): the checkpoint worker must not outlive the store.
    this.checkpointer?.terminate();
    this.checkpointer = undefined;
    if (!this.db.open) return;
    this.journal.flush();
    this.commit();
    this.db.close();
  }
}
