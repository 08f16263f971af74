import type { LookupAddress } from 'node:dns';

/**
 * Messages between the threads go in batches, each sent at the end of its turn of the event loop or once it holds
 * this many. A batch held to the end of the turn moved every delivery in flight together, one thread at a time (a
 * fast-forward's main and delivery threads were each idle two thirds of it); sent at eight, the next thread starts
 * on the first ones meanwhile. A 24 h fast-forward over 1,000 owed notifications, three alternating runs each:
 * 1,331–1,346 ms before, 1,251–1,316 ms with it (at four, or after every message, no better).
 */
export const BATCH_MAX = 8;

/** An error as it crosses between the threads (what the attempt log needs of it: name, message, code, its cause). */
export interface PassedError {
  name: string;
  message: string;
  code?: string;
  cause?: { name: string; message: string };
}

/** Messages the sandbox's thread sends the delivery thread. */
export type ToDeliveryThread =
  | {
      type: 'send';
      id: number;
      /** The connection pool: one per notifier, as a reused socket skips the lookup of the guard that opened it. */
      pool: number;
      url: string;
      method: string;
      headers?: Record<string, string>;
      body?: string | Uint8Array;
      timeoutMs?: number;
      maxReplyBytes: number;
      /** Whether names are resolved by the sandbox's thread (its URL guard): see `lookup` below. */
      lookup: boolean;
    }
  | { type: 'abort'; id: number }
  | { type: 'resolved'; lookup: number; error: PassedError | null; address: string | LookupAddress[]; family?: number }
  | { type: 'close-pool'; pool: number }
  /** Answered with `synced` once every message before it is handled (an abort: its request dropped). */
  | { type: 'sync'; id: number };

/** Messages the delivery thread sends back. */
export type FromDeliveryThread =
  | { type: 'reply'; id: number; status: number; rawHeaders: string[]; bytes: Uint8Array }
  | { type: 'failed'; id: number; error: PassedError }
  | { type: 'synced'; id: number }
  /** A connection of request `id` needs `hostname` resolved: the sandbox's thread answers with `resolved`. */
  | { type: 'lookup'; id: number; lookup: number; hostname: string; options: { family?: number | string; hints?: number; all?: boolean } };

export function passError(error: unknown): PassedError {
  // A DOMException (a TimeoutError) is an Error too.
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const passed: PassedError = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') passed.code = code;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) passed.cause = { name: cause.name, message: cause.message };
  return passed;
}

/** The error again, on the receiving thread (a `TimeoutError` stays one: the attempt log names timeouts by it). */
export function revive(passed: PassedError): Error {
  const error: Error & { code?: string } = new Error(passed.message, passed.cause ? { cause: revive({ ...passed.cause }) } : undefined);
  error.name = passed.name;
  if (passed.code !== undefined) error.code = passed.code;
  return error;
}
