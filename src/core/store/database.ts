import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations.js';

export type Db = Database.Database;

/**
 * Opens the sandbox database and brings its schema up to date.
 *
 * @param file a path, or `:memory:` for a throw-away database (tests).
 * @example
 * const db = openDatabase(':memory:');
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  if (file !== ':memory:') {
    // WAL lets the dashboard read while a notification round writes.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // A 16 MB page cache, and no memory-mapped reads: mapping measured no faster here (2306 and 2310 alike), and
    // mapped pages count as the process's memory and grow with the database file, without bound on a long run.
    db.pragma('cache_size = -16000');
  }
  db.pragma('busy_timeout = 5000');
  migrate(db);
  db.pragma('foreign_keys = ON');
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current === migrations.length) return;
  if (current > migrations.length) {
    throw new Error(
      `the database schema is version ${current}, newer than this sandbox (${migrations.length}); upgrade the sandbox or use another DATA_DIR`,
    );
  }
  // Migrations rebuild tables that others reference; SQLite only allows that with foreign keys off,
  // which cannot change inside a transaction. The check afterwards proves nothing was left dangling.
  db.pragma('foreign_keys = OFF');
  try {
    for (let version = current; version < migrations.length; version++) {
      const sql = migrations[version]!;
      db.transaction(() => {
        db.exec(sql);
        db.pragma(`user_version = ${version + 1}`);
      })();
    }
    const dangling = db.pragma('foreign_key_check') as unknown[];
    if (dangling.length) throw new Error(`migration left ${dangling.length} dangling references`);
  } finally {
    db.pragma('foreign_keys = ON');
  }
}
