import type { Db } from './database.js';
import { readJson } from './json-column.js';

/** One request a merchant (or a browser) made to a provider mount, and the answer it got. */
export interface JournalEntry {
  id: number;
  at: number;
  provider: string | null;
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseStatus: number;
  responseBody: string;
  durationMs: number;
  merchantId: string | null;
  orderNo: string | null;
  operation: string | null;
  /** Why the sandbox answered as it did (e.g. the string it expected to be signed). */
  note: string | null;
}

interface JournalRow {
  id: number;
  at: number;
  provider: string | null;
  method: string;
  path: string;
  request_headers: string;
  request_body: string;
  response_status: number;
  response_body: string;
  duration_ms: number;
  merchant_id: string | null;
  order_no: string | null;
  operation: string | null;
  note: string | null;
}

const toEntry = (row: JournalRow): JournalEntry => ({
  id: row.id,
  at: row.at,
  provider: row.provider,
  method: row.method,
  path: row.path,
  requestHeaders: readJson(row.request_headers),
  requestBody: row.request_body,
  responseStatus: row.response_status,
  responseBody: row.response_body,
  durationMs: row.duration_ms,
  merchantId: row.merchant_id,
  orderNo: row.order_no,
  operation: row.operation,
  note: row.note,
});

/** Bodies are kept up to this many characters; a journal is for reading, not archiving uploads. */
const MAX_BODY = 64 * 1024;
const clip = (text: string) => (text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}…[truncated]` : text);

/**
 * The request journal, bounded: past `cap` rows the oldest are dropped, so a
 * sandbox left running for weeks does not grow without limit.
 */
export class JournalRepository {
  private readonly insertStmt;
  private readonly trimStmt;
  private inserted = 0;

  constructor(
    private readonly db: Db,
    private readonly cap: number,
  ) {
    this.insertStmt = db.prepare(`
      INSERT INTO journal (at, provider, method, path, request_headers, request_body, response_status, response_body,
        duration_ms, merchant_id, order_no, operation, note)
      VALUES (@at, @provider, @method, @path, @requestHeaders, @requestBody, @responseStatus, @responseBody,
        @durationMs, @merchantId, @orderNo, @operation, @note)`);
    this.trimStmt = db.prepare('DELETE FROM journal WHERE id <= (SELECT max(id) FROM journal) - ?');
  }

  append(entry: Omit<JournalEntry, 'id'>): void {
    this.insertStmt.run({
      ...entry,
      requestHeaders: JSON.stringify(entry.requestHeaders),
      requestBody: clip(entry.requestBody),
      responseBody: clip(entry.responseBody),
    });
    // Trimming on every insert would cost a delete per request; every 50th keeps it within cap + 50.
    if (++this.inserted % 50 === 0) this.trim();
  }

  trim(): void {
    this.trimStmt.run(this.cap);
  }

  list(filter: { provider?: string; orderNo?: string; merchantId?: string; limit?: number } = {}): JournalEntry[] {
    this.trim();
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    for (const [key, column] of [
      ['provider', 'provider'],
      ['orderNo', 'order_no'],
      ['merchantId', 'merchant_id'],
    ] as const) {
      if (filter[key]) {
        where.push(`${column} = @${key}`);
        params[key] = filter[key];
      }
    }
    const sql = `SELECT * FROM journal ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ${Math.max(1, Math.min(filter.limit ?? 100, 5000))}`;
    return this.db.prepare<Record<string, unknown>, JournalRow>(sql).all(params).map(toEntry);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;
  }
}
