import type { Db } from './database.js';
import { bodyText } from '../codec/charset.js';
import { readJson } from './json-column.js';

export type OutboxStatus = 'pending' | 'delivered' | 'exhausted';
export type Verdict = 'acked' | 'rejected' | 'error';

/** Per-notification switches a scenario chose. */
export interface OutboxFlags {
  /** Sign with a key the merchant does not have. */
  wrongSignature?: boolean;
}

export interface OutboxItem {
  id: number;
  provider: string;
  /** The simulator's notification channel (its encoder, ack rule and schedule). */
  channel: string;
  /** The record whose change it announces. */
  recordId: number | null;
  recordKind: string;
  merchantId: string;
  /** Whose keys sign it when not the merchant's own (an MMSP agent). */
  signerId: string | null;
  orderNo: string;
  url: string;
  /** The snapshot the encoder turns into a request: what the provider announces. */
  payload: Record<string, unknown>;
  flags: OutboxFlags;
  status: OutboxStatus;
  attemptCount: number;
  nextAttemptAt: number | null;
  createdAt: number;
}

export interface DeliveryAttempt {
  id: number;
  outboxId: number;
  attemptNo: number;
  at: number;
  method: string;
  url: string;
  /** The body sent (a GET's query string), decoded in `requestCharset` for reading. */
  requestBody: string;
  requestCharset: string | null;
  httpStatus: number | null;
  /** The merchant's reply (a bounded prefix), decoded in `replyCharset`. */
  replyBody: string | null;
  replyCharset: string | null;
  verdict: Verdict;
  error: string | null;
  nextAttemptAt: number | null;
  durationMs: number;
  /** `schedule` for the provider's cadence, `replay` for an extra attempt asked through the admin API. */
  trigger: 'schedule' | 'replay';
}

interface OutboxRow {
  id: number;
  provider: string;
  channel: string;
  record_id: number | null;
  record_kind: string;
  merchant_id: string;
  signer_id: string | null;
  order_no: string;
  url: string;
  payload: string;
  flags: string;
  status: OutboxStatus;
  attempt_count: number;
  next_attempt_at: number | null;
  created_at: number;
}

interface AttemptRow {
  id: number;
  outbox_id: number;
  attempt_no: number;
  at: number;
  method: string;
  url: string;
  request_body: string | Buffer;
  request_charset: string | null;
  http_status: number | null;
  reply_body: string | Buffer | null;
  reply_charset: string | null;
  verdict: Verdict;
  error: string | null;
  next_attempt_at: number | null;
  duration_ms: number;
  trigger: 'schedule' | 'replay';
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    provider: row.provider,
    channel: row.channel,
    recordId: row.record_id,
    recordKind: row.record_kind,
    merchantId: row.merchant_id,
    signerId: row.signer_id,
    orderNo: row.order_no,
    url: row.url,
    payload: readJson(row.payload),
    flags: readJson(row.flags),
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
}

function toAttempt(row: AttemptRow): DeliveryAttempt {
  return {
    id: row.id,
    outboxId: row.outbox_id,
    attemptNo: row.attempt_no,
    at: row.at,
    method: row.method,
    url: row.url,
    requestBody: bodyText(row.request_body, row.request_charset),
    requestCharset: row.request_charset,
    httpStatus: row.http_status,
    replyBody: row.reply_body === null ? null : bodyText(row.reply_body, row.reply_charset),
    replyCharset: row.reply_charset,
    verdict: row.verdict,
    error: row.error,
    nextAttemptAt: row.next_attempt_at,
    durationMs: row.duration_ms,
    trigger: row.trigger,
  };
}

/** Where a notification's schedule stands. */
export type Schedule = Pick<OutboxItem, 'status' | 'attemptCount' | 'nextAttemptAt'>;

/** A due notification as the dispatcher schedules it. */
export type OutboxHead = Pick<OutboxItem, 'id' | 'provider' | 'channel' | 'url' | 'attemptCount'> & { nextAttemptAt: number };

export type NewOutboxItem = Pick<
  OutboxItem,
  'provider' | 'channel' | 'recordId' | 'recordKind' | 'merchantId' | 'signerId' | 'orderNo' | 'url' | 'payload' | 'flags' | 'createdAt'
> & { nextAttemptAt: number };

export class OutboxRepository {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly dueHeadsStmt;
  private readonly headStmt;
  private readonly updateStmt;
  private readonly insertAttemptStmt;
  private readonly attemptsStmt;
  private readonly lastAttemptStmt;
  private readonly stateStmt;
  private readonly advanceStmt;

  /**
   * @param join opens the store's group-commit batch when none is open: a read then shares the turn's one
   *   transaction instead of beginning and ending its own (see Store's constructor).
   */
  constructor(
    private readonly db: Db,
    private readonly join: () => void = () => {},
  ) {
    this.insertStmt = db.prepare(`
      INSERT INTO outbox (provider, channel, record_id, record_kind, merchant_id, signer_id, order_no, url, payload,
        flags, status, next_attempt_at, created_at)
      VALUES (@provider, @channel, @recordId, @recordKind, @merchantId, @signerId, @orderNo, @url, @payload, @flags, 'pending',
        @nextAttemptAt, @createdAt)`);
    this.getStmt = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?');
    this.dueHeadsStmt = db.prepare<[number, number], { id: number; provider: string; channel: string; url: string; attempt_count: number; next_attempt_at: number }>(
      "SELECT id, provider, channel, url, attempt_count, next_attempt_at FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
    );
    this.headStmt = db.prepare<[number], { id: number; provider: string; channel: string; url: string; attempt_count: number; next_attempt_at: number }>(
      "SELECT id, provider, channel, url, attempt_count, next_attempt_at FROM outbox WHERE id = ? AND status = 'pending'",
    );
    this.updateStmt = db.prepare(
      'UPDATE outbox SET status = @status, attempt_count = @attemptCount, next_attempt_at = @nextAttemptAt WHERE id = @id',
    );
    this.advanceStmt = db.prepare<[string, number, number | null, number, number, number | null]>(
      `UPDATE outbox SET status = ?, attempt_count = ?, next_attempt_at = ?
       WHERE id = ? AND status = 'pending' AND attempt_count = ? AND next_attempt_at IS ?`,
    );
    // Positional parameters: binding fifteen named ones from an object cost every attempt a few per cent (profiled).
    this.insertAttemptStmt = db.prepare(`
      INSERT INTO delivery_attempts (outbox_id, attempt_no, at, method, url, request_body, request_charset,
        http_status, reply_body, reply_charset, verdict, error, next_attempt_at, duration_ms, trigger)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.lastAttemptStmt = db.prepare<[number], { n: number | null }>('SELECT max(attempt_no) AS n FROM delivery_attempts WHERE outbox_id = ?');
    this.stateStmt = db.prepare<[number], { status: OutboxStatus; attempt_count: number; next_attempt_at: number | null }>(
      'SELECT status, attempt_count, next_attempt_at FROM outbox WHERE id = ?',
    );
    this.attemptsStmt = db.prepare<[number], AttemptRow>(
      'SELECT * FROM delivery_attempts WHERE outbox_id = ? ORDER BY id',
    );
  }

  /**
   * Notifications queued by this process so far, counted in {@link insert} (the only way rows are added): a
   * fast-forward compares it to tell whether anything — a timed change, a request served meanwhile — queued more.
   */
  inserted = 0;

  insert(item: NewOutboxItem): OutboxItem {
    this.inserted++;
    const info = this.insertStmt.run({
      ...item,
      payload: JSON.stringify(item.payload),
      flags: JSON.stringify(item.flags),
    });
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): OutboxItem | undefined {
    this.join();
    const row = this.getStmt.get(id);
    return row && toItem(row);
  }

  /** One pending notification's head, or undefined when it is no longer pending. */
  head(id: number): OutboxHead | undefined {
    this.join();
    const row = this.headStmt.get(id);
    return row && { id: row.id, provider: row.provider, channel: row.channel, url: row.url, attemptCount: row.attempt_count, nextAttemptAt: row.next_attempt_at };
  }

  /**
   * What the dispatcher needs to choose among due notifications — no payload:
   * it looks at the queue after every delivery, and parsing hundreds of
   * payloads each time would cost more than the deliveries.
   */
  dueHeads(at: number, limit: number): OutboxHead[] {
    this.join();
    return this.dueHeadsStmt.all(at, limit).map((row) => ({
      id: row.id,
      provider: row.provider,
      channel: row.channel,
      url: row.url,
      attemptCount: row.attempt_count,
      nextAttemptAt: row.next_attempt_at,
    }));
  }

  update(item: Schedule & Pick<OutboxItem, 'id'>): void {
    this.updateStmt.run(item);
  }

  /**
   * Moves a notification's schedule on from where `from` says it stood; false, changing nothing, when it no longer
   * stands there (an attempt recorded meanwhile: a replay, a reset).
   */
  advance(
    from: Pick<OutboxItem, 'id' | 'attemptCount' | 'nextAttemptAt'>,
    to: Schedule,
  ): boolean {
    return this.advanceStmt.run(to.status, to.attemptCount, to.nextAttemptAt, from.id, from.attemptCount, from.nextAttemptAt).changes === 1;
  }

  /** Bodies may be bytes (kept as BLOBs, read back decoded in their charset). */
  recordAttempt(
    attempt: Omit<DeliveryAttempt, 'id' | 'requestBody' | 'replyBody'> & {
      requestBody: Uint8Array | string;
      replyBody: Uint8Array | string | null;
    },
  ): void {
    const a = attempt;
    this.insertAttemptStmt.run(
      a.outboxId, a.attemptNo, a.at, a.method, a.url, asColumn(a.requestBody), a.requestCharset, a.httpStatus,
      a.replyBody === null ? null : asColumn(a.replyBody), a.replyCharset, a.verdict, a.error, a.nextAttemptAt, a.durationMs, a.trigger,
    );
  }

  /** The highest attempt number recorded for a notification (replays included), 0 before its first. */
  lastAttemptNo(outboxId: number): number {
    this.join();
    return this.lastAttemptStmt.get(outboxId)?.n ?? 0;
  }

  /** Where a notification's schedule stands, without its payload. */
  state(id: number): Schedule | undefined {
    this.join();
    const row = this.stateStmt.get(id);
    return row && { status: row.status, attemptCount: row.attempt_count, nextAttemptAt: row.next_attempt_at };
  }

  attempts(outboxId: number): DeliveryAttempt[] {
    this.join();
    return this.attemptsStmt.all(outboxId).map(toAttempt);
  }

  list(
    filter: { provider?: string; orderNo?: string; merchantId?: string; status?: string; recordId?: number; limit?: number } = {},
  ): OutboxItem[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    for (const [key, column] of [
      ['provider', 'provider'],
      ['orderNo', 'order_no'],
      ['merchantId', 'merchant_id'],
      ['status', 'status'],
      ['recordId', 'record_id'],
    ] as const) {
      if (filter[key]) {
        where.push(`${column} = @${key}`);
        params[key] = filter[key];
      }
    }
    const sql = `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ${Math.max(1, Math.min(filter.limit ?? 500, 5000))}`;
    return this.db.prepare<Record<string, unknown>, OutboxRow>(sql).all(params).map(toItem);
  }
}

/** Strings stay TEXT; bytes become a BLOB (SQLite stores either in the same column). */
export function asColumn(body: Uint8Array | string): string | Buffer {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
