import type { Db } from './database.js';
import { readJson } from './json-column.js';

/**
 * A job is a state change due at a virtual time: a record expiring, a scenario
 * step ("after 60 s become paid"), a kind's timer (a payout moving on). The dispatcher runs them with notifications,
 * in time order.
 */
export interface Job {
  id: number;
  dueAt: number;
  kind: string;
  /** The record it changes. */
  recordId: number | null;
  payload: Record<string, unknown>;
}

interface JobRow {
  id: number;
  due_at: number;
  kind: string;
  record_id: number | null;
  payload: string;
}

const toJob = (row: JobRow): Job => ({
  id: row.id,
  dueAt: row.due_at,
  kind: row.kind,
  recordId: row.record_id,
  payload: readJson(row.payload),
});

export class JobRepository {
  private readonly insertStmt;
  private readonly nextDueStmt;
  private readonly dueStmt;
  private readonly finishStmt;

  /**
   * @param join opens the store's group-commit batch when none is open: a read then shares the turn's one
   *   transaction instead of beginning and ending its own (see Store's constructor).
   */
  constructor(
    private readonly db: Db,
    private readonly join: () => void = () => {},
  ) {
    this.insertStmt = db.prepare(
      "INSERT INTO jobs (due_at, kind, record_id, payload, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)",
    );
    this.nextDueStmt = db.prepare<[], { at: number | null }>(
      "SELECT min(due_at) AS at FROM jobs WHERE status = 'pending'",
    );
    this.dueStmt = db.prepare<[number], JobRow>(
      "SELECT * FROM jobs WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT 1",
    );
    this.finishStmt = db.prepare('DELETE FROM jobs WHERE id = ?');
  }

  schedule(job: Omit<Job, 'id'>, now: number): void {
    this.insertStmt.run(job.dueAt, job.kind, job.recordId, JSON.stringify(job.payload), now);
  }

  nextDueAt(): number | null {
    this.join();
    return this.nextDueStmt.get()?.at ?? null;
  }

  nextDue(at: number): Job | undefined {
    this.join();
    const row = this.dueStmt.get(at);
    return row && toJob(row);
  }

  /** Takes a job out of the queue once it ran (or failed to): nothing reads past jobs, and the table stays small. */
  finish(id: number): void {
    this.finishStmt.run(id);
  }

  /** A record's state changes still to come (expiry, scenario steps, timers), soonest first. */
  pendingFor(recordId: number): Job[] {
    this.join();
    return this.db
      .prepare<[number], JobRow>("SELECT * FROM jobs WHERE status = 'pending' AND record_id = ? ORDER BY due_at, id")
      .all(recordId)
      .map(toJob);
  }

}
