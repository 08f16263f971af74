import type { ScenarioState, SimRecord } from '../domain.js';
import type { Db } from './database.js';
import { readJson } from './json-column.js';

/**
 * The columns a read selects, in the order {@link toRecord} takes them. Reads come back as arrays (better-sqlite3's raw
 * mode): building a 22-key object per row cost more than the indexed lookup itself (5.6 µs against 3.3 µs a row,
 * measured on a table of 8,000 orders).
 */
const COLUMNS = `id, provider, kind, merchant_id, number, platform_number, parent_id, product, state, amount, currency,
  consumed_amount, notify_url, return_url, attributes, scenario_id, scenario_state, created_at, updated_at, expires_at,
  completed_at, closed_at`;

type RecordRow = [
  id: number,
  provider: string,
  kind: string,
  merchantId: string,
  number: string,
  platformNumber: string,
  parentId: number | null,
  product: string | null,
  state: string,
  amount: number | null,
  currency: string,
  consumedAmount: number,
  notifyUrl: string | null,
  returnUrl: string | null,
  attributes: string,
  scenarioId: string | null,
  scenarioState: string,
  createdAt: number,
  updatedAt: number,
  expiresAt: number | null,
  completedAt: number | null,
  closedAt: number | null,
];

function toRecord(row: RecordRow): SimRecord {
  return {
    id: row[0],
    provider: row[1],
    kind: row[2],
    merchantId: row[3],
    number: row[4],
    platformNumber: row[5],
    parentId: row[6],
    product: row[7],
    state: row[8],
    amount: row[9],
    currency: row[10],
    consumedAmount: row[11],
    notifyUrl: row[12],
    returnUrl: row[13],
    attributes: readJson(row[14]),
    scenarioId: row[15],
    scenarioState: readJson<ScenarioState>(row[16]),
    createdAt: row[17],
    updatedAt: row[18],
    expiresAt: row[19],
    completedAt: row[20],
    closedAt: row[21],
  };
}

export type NewRecord = Omit<SimRecord, 'id' | 'updatedAt' | 'completedAt' | 'closedAt' | 'consumedAmount'> & {
  consumedAmount?: number;
};

/** One state change in a record's timeline. */
export interface RecordEventRow {
  at: number;
  from: string | null;
  to: string;
  cause: string;
}

/** Filters of `GET /_sim/records`; times are inclusive epoch ms on `createdAt`. */
export interface RecordFilter {
  provider?: string;
  kind?: string;
  merchantId?: string;
  state?: string;
  number?: string;
  platformNumber?: string;
  parentId?: number;
  /** Part of the merchant's number or the platform number (a search box). */
  q?: string;
  from?: number;
  to?: number;
  limit?: number;
  offset?: number;
}

const FILTER_COLUMNS = [
  ['provider', 'provider', '='],
  ['kind', 'kind', '='],
  ['merchantId', 'merchant_id', '='],
  ['state', 'state', '='],
  ['number', 'number', '='],
  ['platformNumber', 'platform_number', '='],
  ['parentId', 'parent_id', '='],
  ['from', 'created_at', '>='],
  ['to', 'created_at', '<='],
] as const;

/** The most rows one listing returns. */
export const MAX_PAGE = 5000;

/**
 * Every kind of record in one table: the columns every kind shares, the rest
 * in `attributes` (README, Architecture: why one table). Numbers are unique per
 * provider, kind and merchant; platform numbers per provider and kind.
 */
export class RecordRepository {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly byNumberStmt;
  private readonly byPlatformStmt;
  private readonly childrenStmt;
  private readonly updateStmt;
  private readonly sequenceStmt;
  private readonly sequenceValueStmt;
  private readonly eventStmt;
  private readonly eventsStmt;

  /**
   * @param join opens the store's group-commit batch when none is open: a read then shares the turn's one
   *   transaction instead of beginning and ending its own (see Store's constructor).
   */
  constructor(
    private readonly db: Db,
    private readonly join: () => void = () => {},
  ) {
    this.insertStmt = db.prepare(`
      INSERT INTO records (provider, kind, merchant_id, number, platform_number, parent_id, product, state, amount,
        currency, consumed_amount, notify_url, return_url, attributes, scenario_id, scenario_state, created_at,
        updated_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.byIdStmt = db.prepare<[number], RecordRow>(`SELECT ${COLUMNS} FROM records WHERE id = ?`).raw();
    this.byNumberStmt = db
      .prepare<[string, string, string, string], RecordRow>(`SELECT ${COLUMNS} FROM records WHERE provider = ? AND kind = ? AND merchant_id = ? AND number = ?`)
      .raw();
    this.byPlatformStmt = db
      .prepare<[string, string, string], RecordRow>(`SELECT ${COLUMNS} FROM records WHERE provider = ? AND kind = ? AND platform_number = ?`)
      .raw();
    this.childrenStmt = db.prepare<[number, string], RecordRow>(`SELECT ${COLUMNS} FROM records WHERE parent_id = ? AND kind = ? ORDER BY id`).raw();
    this.updateStmt = db.prepare(`
      UPDATE records SET state = @state, amount = @amount, consumed_amount = @consumedAmount,
        notify_url = @notifyUrl, return_url = @returnUrl, attributes = @attributes, scenario_state = @scenarioState,
        updated_at = @updatedAt, expires_at = @expiresAt, completed_at = @completedAt, closed_at = @closedAt
      WHERE id = @id`);
    this.eventStmt = db.prepare('INSERT INTO record_events (record_id, at, from_state, to_state, cause) VALUES (?, ?, ?, ?, ?)');
    this.eventsStmt = db.prepare<[number], { at: number; from_state: string | null; to_state: string; cause: string }>(
      'SELECT at, from_state, to_state, cause FROM record_events WHERE record_id = ? ORDER BY id',
    );
    this.sequenceStmt = db.prepare<[string, number]>(`
      INSERT INTO sequences (name, value) VALUES (?, ?)
      ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`);
    this.sequenceValueStmt = db.prepare<[string], { value: number }>('SELECT value FROM sequences WHERE name = ?');
  }

  /** Inserts and answers the stored record (built from the input: reading the row back would parse it again). */
  insert(record: NewRecord): SimRecord {
    const consumedAmount = record.consumedAmount ?? 0;
    const attributes = JSON.stringify(record.attributes);
    const scenarioState = JSON.stringify(record.scenarioState);
    // Positional parameters: binding by name from a spread copy cost twice the insert itself (measured).
    const info = this.insertStmt.run(
      record.provider,
      record.kind,
      record.merchantId,
      record.number,
      record.platformNumber,
      record.parentId,
      record.product,
      record.state,
      record.amount,
      record.currency,
      consumedAmount,
      record.notifyUrl,
      record.returnUrl,
      attributes,
      record.scenarioId,
      scenarioState,
      record.createdAt,
      record.createdAt,
      record.expiresAt,
    );
    // Copies, as a read of the row would give: the caller's objects stay the caller's.
    return {
      ...record,
      id: Number(info.lastInsertRowid),
      consumedAmount,
      attributes: JSON.parse(attributes) as Record<string, unknown>,
      scenarioState: JSON.parse(scenarioState) as SimRecord['scenarioState'],
      updatedAt: record.createdAt,
      completedAt: null,
      closedAt: null,
    };
  }

  get(id: number): SimRecord | undefined {
    this.join();
    const row = this.byIdStmt.get(id);
    return row && toRecord(row);
  }

  findByNumber(provider: string, kind: string, merchantId: string, number: string): SimRecord | undefined {
    this.join();
    const row = this.byNumberStmt.get(provider, kind, merchantId, number);
    return row && toRecord(row);
  }

  findByPlatformNumber(provider: string, kind: string, platformNumber: string): SimRecord | undefined {
    this.join();
    const row = this.byPlatformStmt.get(provider, kind, platformNumber);
    return row && toRecord(row);
  }

  children(parentId: number, kind: string): SimRecord[] {
    this.join();
    return this.childrenStmt.all(parentId, kind).map(toRecord);
  }

  /** Writes every mutable column back. */
  save(record: SimRecord): SimRecord {
    this.updateStmt.run({
      id: record.id,
      state: record.state,
      amount: record.amount,
      consumedAmount: record.consumedAmount,
      notifyUrl: record.notifyUrl,
      returnUrl: record.returnUrl,
      attributes: JSON.stringify(record.attributes),
      scenarioState: JSON.stringify(record.scenarioState),
      updatedAt: record.updatedAt,
      expiresAt: record.expiresAt,
      completedAt: record.completedAt,
      closedAt: record.closedAt,
    });
    return record;
  }

  /** The code of a record's newest SMS challenge still open (quick pay), or null: what a tester types next. */
  openSmsCode(parentId: number): string | null {
    const open = this.children(parentId, 'sms').filter((sms) => sms.state === 'sent');
    const code = open.at(-1)?.attributes.code;
    return typeof code === 'string' ? code : null;
  }

  /** Remembers a state change, for the record's timeline. */
  recordEvent(recordId: number, at: number, from: string | null, to: string, cause: string): void {
    this.eventStmt.run(recordId, at, from, to, cause);
  }

  /** The record's state changes, oldest first. */
  events(recordId: number): RecordEventRow[] {
    this.join();
    return this.eventsStmt.all(recordId).map((row) => ({ at: row.at, from: row.from_state, to: row.to_state, cause: row.cause }));
  }

  /**
   * The next value of a named sequence (1, 2, 3 …), persistent and never reused. The values are counted here, and
   * the newest is written in the transaction of the records that took them: at once, or — inside a group-commit
   * batch — once per batch, just before its commit ({@link saveSequences}). A savepoint rolled back after taking a
   * value does not give it back (the count here stays ahead), and a batch that fails to commit leaves no record that
   * carries its values, so a value written nowhere was seen by nobody.
   */
  nextSequence(name: string): number {
    const value = (this.counters.get(name) ?? this.sequenceValueStmt.get(name)?.value ?? 0) + 1;
    this.counters.set(name, value);
    if (this.deferSequences) this.unsaved.add(name);
    else this.sequenceStmt.run(name, value);
    return value;
  }

  /** Writes the sequences taken since the last call (the store calls it right before a batch's commit). */
  saveSequences(): void {
    for (const name of this.unsaved) this.sequenceStmt.run(name, this.counters.get(name)!);
    this.unsaved.clear();
  }

  /** True while a group-commit batch is open: the store calls {@link saveSequences} right before its commit. */
  deferSequences = false;
  private readonly counters = new Map<string, number>();
  private readonly unsaved = new Set<string>();


  /** Newest first; `limit` at most {@link MAX_PAGE}. */
  list(filter: RecordFilter = {}): SimRecord[] {
    this.join();
    const { where, params } = whereClause(filter);
    const limit = Math.max(1, Math.min(filter.limit ?? 500, MAX_PAGE));
    const offset = Math.max(0, filter.offset ?? 0);
    const sql = `SELECT ${COLUMNS} FROM records ${where} ORDER BY created_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`;
    return this.db.prepare<Record<string, unknown>, RecordRow>(sql).raw().all(params).map(toRecord);
  }

  count(filter: RecordFilter = {}): number {
    this.join();
    const { where, params } = whereClause(filter);
    return (this.db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM records ${where}`).get(params))!.n;
  }
}

function whereClause(filter: RecordFilter): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  for (const [key, column, op] of FILTER_COLUMNS) {
    const value = filter[key];
    if (value !== undefined && value !== '') {
      clauses.push(`${column} ${op} @${key}`);
      params[key] = value;
    }
  }
  if (filter.q) {
    clauses.push('(instr(number, @q) > 0 OR instr(platform_number, @q) > 0)');
    params.q = filter.q;
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
