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
  /** The HTTP status; 0 when the connection was dropped without an answer. */
  status: number;
  headers: Headers;
  /** The body read as UTF-8. */
  text: string;
  /** The body's bytes, for providers that answer in another charset (GBK). */
  bytes: Uint8Array;
  /** True when the sandbox dropped the connection (扫码's scripted system error: no answer at all). */
  dropped: boolean;
}

/**
 * - `accepted`: the provider did what was asked (state may change).
 * - `rejected`: the provider's own error form (state must not change).
 * - `internal`: the provider's "fault of the sandbox" answer — a bug.
 * - `unreadable`: not the provider's wire format at all — a bug.
 */
export type Verdict = 'accepted' | 'rejected' | 'internal' | 'unreadable';

/** What `fields()` is given: where notifications go, and what `prepare()` set up for this request. */
export interface FuzzContext {
  notifyUrl: string;
  /** prepare()'s result: the numbers of the records it placed, the SMS code it got… (empty without prepare). */
  given: Record<string, string>;
}

/**
 * One interface of one provider, as the fuzzer sees it: the fields of a valid
 * request, how to encode fields into a request (signed correctly or not), and
 * how to judge an answer. Each provider's file in `test/fuzz/` lists its own;
 * a provider that lands adds its file to `targets.ts`.
 */
export interface FuzzTarget {
  name: string;
  /**
   * Runs before each generated request (and changes state before the "no state
   * change" snapshot is taken): what a valid request needs from the sandbox —
   * an order placed and paid, the SMS code it was sent, keys loaded for
   * `encode` and `judge` — so that a mutated request reaches the checks about
   * a real record rather than stopping at "no such order".
   */
  prepare?(sim: RunningSandbox, notifyUrl: string): Promise<Record<string, string>>;
  /** The fields of a request the provider accepts (fresh merchant numbers each call). */
  fields(context: FuzzContext): Record<string, unknown>;
  /**
   * Signs with the merchant's key when `sign` (a value that cannot be signed
   * goes out unsigned rather than throwing), else sends a signature that does
   * not verify. `given` is prepare()'s result, for what is no field (the path
   * of the page a form is posted to).
   */
  encode(fields: Record<string, unknown>, options: { sign: boolean; given: Record<string, string> }): FuzzRequest;
  judge(answer: FuzzAnswer): Verdict;
  /** The methods the interface takes (default: the one `encode` uses); the fuzzer sometimes sends another. */
  methods?: FuzzRequest['method'][];
  /**
   * How the provider's mount answers a method the interface does not take
   * (an unknown path or method is still answered in the provider's own form,
   * its general one); default `judge`.
   */
  unrouted?(answer: FuzzAnswer): Verdict;
  /**
   * An HTTP status of 500 or more that is the provider's scripted system error
   * rather than a fault (UMPay's empty 504 for magic amount 2004); `judge` still
   * decides whether an answer with it is one.
   */
  systemErrorStatus?: number;
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
  // The magic amounts (README, Scenarios): any amount field may meet the scripted outcomes, 2004's system error included.
  fc.constantFrom('2001', '2002', '2003', '2004', 2001, 2002, 2003, 2004),
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
    // Defined, not assigned: `__proto__` is a field like any other on the wire.
    else Object.defineProperty(next, change.field, { value: change.value, enumerable: true, writable: true, configurable: true });
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

/** Content types a request may claim whatever its bytes: forms without their boundary, charsets no provider knows. */
export const contentType = fc.constantFrom(
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/x-www-form-urlencoded; charset=GBK',
  'application/x-www-form-urlencoded; charset=bogus',
  'application/json; charset=utf-16',
  'text/plain',
  'text/xml',
);

export async function send(sim: RunningSandbox, request: FuzzRequest): Promise<FuzzAnswer> {
  let response: Response;
  try {
    response = await fetch(sim.url + request.path, {
      method: request.method,
      headers: request.headers ?? {},
      ...(request.body !== undefined && request.method !== 'GET' ? { body: request.body as BodyInit } : {}),
      redirect: 'manual',
    });
  } catch (error) {
    // No answer at all: only a provider whose scripted system error is a dropped connection may judge it accepted.
    if (error instanceof TypeError) return { status: 0, headers: new Headers(), text: '', bytes: new Uint8Array(0), dropped: true };
    throw error;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: new TextDecoder().decode(bytes), bytes, dropped: false };
}

/** Everything the engine keeps that a request could change, as one comparable string. */
export function stateOf(sim: RunningSandbox): string {
  const db = sim.sandbox.store.db;
  const records = db.prepare("SELECT count(*) AS n, coalesce(group_concat(id || ':' || state || ':' || updated_at || ':' || attributes), '') AS s FROM records").get();
  const outbox = db.prepare('SELECT count(*) AS n FROM outbox').get();
  const merchants = db.prepare("SELECT coalesce(group_concat(provider || merchant_id || coalesce(md5_key, '') || settings), '') AS s FROM merchants").get();
  return JSON.stringify({ records, outbox, merchants });
}

/** JSON.parse, or undefined for text that is not JSON. */
export function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field value as a form carries it: null and undefined empty, structures as JSON. */
export const formValue = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** Runs `load` once per sandbox (keys, a merchant registered for the fuzzer): the sandbox keeps them across resets. */
export function once<T>(load: (sim: RunningSandbox) => Promise<T>): (sim: RunningSandbox) => Promise<T> {
  const loaded = new Map<string, Promise<T>>();
  return (sim) => {
    let value = loaded.get(sim.url);
    if (!value) {
      value = load(sim);
      loaded.set(sim.url, value);
    }
    return value;
  };
}
