import type { Db } from './database.js';
import { bodyText } from '../codec/charset.js';
import { readJson } from './json-column.js';
import { asColumn } from './outbox.js';

/** One request a merchant (or a browser) made to a provider mount, and the answer it got. */
export interface JournalEntry {
  id: number;
  at: number;
  provider: string | null;
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  /** The request body as received, decoded in `requestCharset` for reading. */
  requestBody: string;
  /** The charset the request declared (or the provider's default), as the simulator read it. */
  requestCharset: string | null;
  responseStatus: number;
  /** The exact reply, decoded in `responseCharset`. */
  responseBody: string;
  responseCharset: string | null;
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
  request_body: string | Buffer;
  request_charset: string | null;
  response_status: number;
  response_body: string | Buffer;
  response_charset: string | null;
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
  requestBody: bodyText(row.request_body, row.request_charset),
  requestCharset: row.request_charset,
  responseStatus: row.response_status,
  responseBody: bodyText(row.response_body, row.response_charset),
  responseCharset: row.response_charset,
  durationMs: row.duration_ms,
  merchantId: row.merchant_id,
  orderNo: row.order_no,
  operation: row.operation,
  note: row.note,
});

/** What `GET /_sim/requests` filters on; every field optional. */
export interface JournalFilter {
  provider?: string;
  /** The order (or record) number the request was about. */
  orderNo?: string;
  /** Any of these numbers (an order's own and its platform number, its refunds' …). */
  orderNos?: string[];
  merchantId?: string;
  /** Only requests the sandbox explained (refusals, scenario effects, internal errors). */
  noted?: boolean;
  limit?: number;
  offset?: number;
}

function journalWhere(filter: JournalFilter): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  for (const [key, column] of [
    ['provider', 'provider'],
    ['orderNo', 'order_no'],
    ['merchantId', 'merchant_id'],
  ] as const) {
    if (filter[key]) {
      clauses.push(`${column} = @${key}`);
      params[key] = filter[key];
    }
  }
  if (filter.orderNos) {
    const names = filter.orderNos.map((number, index) => {
      params[`n${index}`] = number;
      return `@n${index}`;
    });
    clauses.push(names.length ? `order_no IN (${names.join(', ')})` : '0');
  }
  if (filter.noted) clauses.push('note IS NOT NULL');
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Bodies are kept up to this many bytes; a journal is for reading, not archiving uploads. */
const MAX_BODY = 64 * 1024;
const TRUNCATED = Buffer.from('…[truncated]');

function clip(body: Uint8Array | string): string | Buffer {
  const column = asColumn(body);
  if (typeof column === 'string') return column.length > MAX_BODY ? `${column.slice(0, MAX_BODY)}…[truncated]` : column;
  return column.byteLength > MAX_BODY ? Buffer.concat([column.subarray(0, MAX_BODY), TRUNCATED]) : column;
}

const sizeOf = (column: string | Buffer) => (typeof column === 'string' ? Buffer.byteLength(column) : column.byteLength);

export type NewJournalEntry = Omit<JournalEntry, 'id' | 'requestBody' | 'responseBody'> & {
  requestBody: Uint8Array | string;
  responseBody: Uint8Array | string;
};

/**
 * The request journal, bounded: past `cap` rows, or past `byteCap` bytes of
 * bodies, the oldest are dropped, so a sandbox left running for weeks (or fed
 * large bodies) does not grow without limit.
 */
export class JournalRepository {
  private readonly insertStmt;
  private readonly trimStmt;
  private inserted = 0;

  private readonly trimBytesStmt;

  /**
   * @param write runs the flush's writes in a transaction: the store's own (with group commit, the rows join the
   *   batch of the next turn instead of costing a commit of their own).
   */
  constructor(
    private readonly db: Db,
    private readonly cap: number,
    private readonly byteCap: number = 64 * 1024 * 1024,
    private readonly write: (fn: () => void) => void = (fn) => db.transaction(fn)(),
  ) {
    this.insertStmt = db.prepare(`
      INSERT INTO journal (at, provider, method, path, request_headers, request_body, request_charset, response_status,
        response_body, response_charset, size, duration_ms, merchant_id, order_no, operation, note)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.trimStmt = db.prepare<[number], { size: number }>('DELETE FROM journal WHERE id <= (SELECT max(id) FROM journal) - ? RETURNING size');
    // The oldest rows, a chunk at a time, while the bodies held are over byteCap.
    this.trimBytesStmt = db.prepare<[number], { size: number }>(
      'DELETE FROM journal WHERE id IN (SELECT id FROM journal ORDER BY id LIMIT ?) RETURNING size',
    );
    this.held = 0;
    this.recount();
  }

  /** Bytes of bodies in the table, kept as rows come and go (a sum over the table would cost a scan each time). */
  private held: number;

  /**
   * Counts the bytes held again from the table: after a batch that failed, whose journal rows (lost with it, as the
   * batch's own changes are) and trims were counted when written.
   */
  recount(): void {
    this.held = (this.db.prepare('SELECT coalesce(sum(size), 0) AS n FROM journal').get() as { n: number }).n;
  }

  /**
   * Queues an entry; entries are written together right after the current
   * burst of requests (or at 256 queued), in the store's transaction: the
   * journal is not something a merchant was answered about, so it need not
   * cost each request a commit of its own. Reads flush first.
   */
  append(entry: NewJournalEntry): void {
    const requestBody = clip(entry.requestBody);
    const responseBody = clip(entry.responseBody);
    const size = sizeOf(requestBody) + sizeOf(responseBody);
    const e = entry;
    // In the insert's column order (positional parameters: binding sixteen named ones cost each request more).
    this.pending.push({
      size,
      values: [
        e.at, e.provider, e.method, e.path, JSON.stringify(e.requestHeaders), requestBody, e.requestCharset, e.responseStatus,
        responseBody, e.responseCharset, size, e.durationMs, e.merchantId, e.orderNo, e.operation, e.note,
      ],
    });
    if (this.pending.length >= 256) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        try {
          this.flush();
        } catch (error) {
          // The journal is a convenience: a failed write (a full disk) must not take the sandbox down.
          console.error('[journal]', error);
        }
      });
    }
  }

  private pending: { size: number; values: unknown[] }[] = [];
  private flushScheduled = false;

  /** Writes the queued entries. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || !this.db.open) return;
    const batch = this.pending;
    this.pending = [];
    this.write(() => {
      for (const row of batch) {
        this.insertStmt.run(row.values);
        this.held += row.size;
        this.inserted++;
      }
      // Trimming on every insert would cost a delete per request; every 50th (or once over the byte cap) keeps it close.
      if (this.inserted >= 50 || this.held > this.byteCap) this.trim();
    });
  }

  trim(): void {
    this.inserted = 0;
    for (const { size } of this.trimStmt.all(this.cap)) this.held -= size;
    while (this.held > this.byteCap) {
      const removed = this.trimBytesStmt.all(16);
      if (removed.length === 0) break;
      for (const { size } of removed) this.held -= size;
    }
  }

  /** Bytes of bodies held. */
  bytes(): number {
    this.flush();
    return this.held;
  }

  /** Forgets every row (the table was emptied by a reset). */
  emptied(): void {
    this.pending = [];
    this.held = 0;
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    this.flush();
    this.trim();
    const { where, params } = journalWhere(filter);
    const limit = Math.max(1, Math.min(filter.limit ?? 100, 5000));
    const offset = Math.max(0, Math.floor(filter.offset ?? 0));
    const sql = `SELECT * FROM journal ${where} ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`;
    return this.db.prepare<Record<string, unknown>, JournalRow>(sql).all(params).map(toEntry);
  }

  /** How many rows a filter selects (paging ignored). */
  countMatching(filter: JournalFilter = {}): number {
    const { where, params } = journalWhere(filter);
    return this.db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM journal ${where}`).get(params)!.n;
  }

  get(id: number): JournalEntry | undefined {
    const row = this.db.prepare<[number], JournalRow>('SELECT * FROM journal WHERE id = ?').get(id);
    return row && toEntry(row);
  }

  /** The request body exactly as received (what a signature diagnosis reads). */
  requestBytes(id: number): Buffer | undefined {
    const row = this.db.prepare<[number], { request_body: string | Buffer }>('SELECT request_body FROM journal WHERE id = ?').get(id);
    if (!row) return undefined;
    return typeof row.request_body === 'string' ? Buffer.from(row.request_body, 'utf8') : row.request_body;
  }

  count(): number {
    this.flush();
    return (this.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;
  }
}
