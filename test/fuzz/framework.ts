import fc from 'fast-check';
import type { RunningSandbox } from '../support/sandbox.js';

/** A request as the fuzzer sends it. */
export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface FuzzAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * - `accepted`: the provider did what was asked (state may change).
 * - `rejected`: the provider's own error form (state must not change).
 * - `internal`: the provider's "fault of the sandbox" answer — a bug.
 * - `unreadable`: not the provider's wire format at all — a bug.
 */
export type Verdict = 'accepted' | 'rejected' | 'internal' | 'unreadable';

/**
 * One interface of one provider, as the fuzzer sees it: the fields of a valid
 * request, how to encode fields into a request (signed correctly or not), and
 * how to judge an answer. Each provider's file in `test/fuzz/` lists its own;
 * a provider that lands adds its file to `targets.ts`.
 */
export interface FuzzTarget {
  name: string;
  /** The fields of a request the provider accepts (fresh merchant numbers each call). */
  fields(context: { notifyUrl: string }): Record<string, unknown>;
  encode(fields: Record<string, unknown>, options: { sign: boolean }): FuzzRequest;
  judge(answer: FuzzAnswer): Verdict;
}

/** Values a field may be replaced with: wrong types, empty, huge, odd characters, structures. */
export const hostileValue = fc.oneof(
  fc.constant(''),
  fc.constant(null),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom('-1', '0', '1e308', '9007199254740993', ' 100', '１００', '100.5', '<script>alert(1)</script>', '%00', '中文商品', '../../_sim/keys', 'http://169.254.169.254/', '\u0000', '\uFFFD'),
  fc.string({ minLength: 300, maxLength: 2000 }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A change to a valid request's fields. */
export const mutation = (fieldNames: string[]) =>
  fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), field: fc.constantFrom(...fieldNames) }),
    fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...fieldNames), value: hostileValue }),
    fc.record({ kind: fc.constant('add' as const), field: fc.string({ minLength: 1, maxLength: 12 }), value: hostileValue }),
  );

export type Mutation = { kind: 'drop'; field: string } | { kind: 'set' | 'add'; field: string; value: unknown };

export function mutate(fields: Record<string, unknown>, changes: Mutation[]): Record<string, unknown> {
  const next: Record<string, unknown> = { ...fields };
  for (const change of changes) {
    if (change.kind === 'drop') delete next[change.field];
    else if (change.field !== '__proto__') next[change.field] = change.value;
  }
  return next;
}

/** A request that is not the provider's format at all. */
export const garbage = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom('{', '[]', 'null', '{"Body":', 'a=1&a=2&&=&%ZZ', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'),
);

export async function send(sim: RunningSandbox, request: FuzzRequest): Promise<FuzzAnswer> {
  const response = await fetch(sim.url + request.path, {
    method: request.method,
    headers: request.headers ?? {},
    ...(request.body !== undefined && request.method !== 'GET' ? { body: request.body as BodyInit } : {}),
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Everything the engine keeps that a request could change, as one comparable string. */
export function stateOf(sim: RunningSandbox): string {
  const db = sim.sandbox.store.db;
  const records = db.prepare("SELECT count(*) AS n, coalesce(group_concat(id || ':' || state || ':' || updated_at || ':' || attributes), '') AS s FROM records").get();
  const outbox = db.prepare('SELECT count(*) AS n FROM outbox').get();
  const merchants = db.prepare("SELECT coalesce(group_concat(provider || merchant_id || coalesce(md5_key, '') || settings), '') AS s FROM merchants").get();
  return JSON.stringify({ records, outbox, merchants });
}
