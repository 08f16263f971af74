import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LookupFunction } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BATCH_MAX, type FromDeliveryThread, passError, revive, type ToDeliveryThread } from './delivery-messages.js';
import type { OutgoingInit } from './outgoing.js';

/**
 * A request as the delivery thread makes it: {@link OutgoingInit} less the pool (the thread keeps one per client), and
 * given up through a signal, which a dispatcher shares among all its deliveries.
 */
export type ThreadRequest = Omit<OutgoingInit, 'pool' | 'abortable'> & {
  /** Gives the request up; the promise rejects with the signal's reason at once (the thread drops the request). */
  signal?: AbortSignal;
};

export interface DeliveredReply {
  status: number;
  headers: Headers;
  /** At most `maxReplyBytes` of the body. */
  bytes: Uint8Array;
}

interface Pending {
  resolve: (reply: DeliveredReply) => void;
  reject: (error: unknown) => void;
  lookup: LookupFunction | undefined;
  signal: AbortSignal | undefined;
}

/**
 * How long the delivery thread outlives its last request: as long as the longest of MMSP's first retries (15, 15 and
 * 30 s apart), so a notification's early attempts reuse it; starting it again costs some 50 ms.
 */
const IDLE_STOP_MS = 30_000;

/**
 * Sends the sandbox's requests to merchants from a worker thread (delivery-worker.ts), so the HTTP exchange runs on
 * the second core: a fast-forward spent two thirds of its main thread on it (profiled: node:http's client, its
 * streams and a turn of the event loop for every reply), and the other third — encoding, signing, recording — is
 * what is left on the sandbox's own thread. One thread serves every notifier of the process; each notifier has its
 * own connection pool in it ({@link DeliveryThread}). Started at the first request, stopped after {@link IDLE_STOP_MS}
 * without one or when the last client closes.
 */
class SharedThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private requests = 0;
  clients = 0;

  send(pool: number, url: string, init: ThreadRequest): Promise<DeliveredReply> {
    const signal = init.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      this.thread();
    } catch (error) {
      return Promise.reject(error);
    }
    const id = ++this.requests;
    return new Promise<DeliveredReply>((resolve, reject) => {
      const pending: Pending = { resolve, reject, lookup: init.lookup, signal };
      if (signal) this.watch(signal).add(id);
      this.hold();
      this.pending.set(id, pending);
      const body = init.body;
      this.post({
        type: 'send',
        id,
        pool,
        url,
        method: init.method,
        ...(init.headers ? { headers: init.headers } : {}),
        // Bytes copied to their own length: a Buffer from node's pool would carry its whole 8 KiB slab across.
        ...(body !== undefined ? { body: typeof body === 'string' ? body : new Uint8Array(body) } : {}),
        ...(init.timeoutMs !== undefined ? { timeoutMs: init.timeoutMs } : {}),
        maxReplyBytes: init.maxReplyBytes,
        lookup: init.lookup !== undefined,
      });
    });
  }

  /**
   * Queued for the thread, and sent together at the end of this turn of the event loop, or as soon as
   * {@link BATCH_MAX} are queued (see {@link flush}).
   */
  post(message: ToDeliveryThread): void {
    if (!this.worker) return;
    this.queue.push(message);
    if (this.queue.length >= BATCH_MAX) this.flush();
    else if (this.queue.length === 1) setImmediate(this.flush);
  }

  /**
   * One message for what is queued: a fast-forward starts a dozen deliveries in one pass, and a message each
   * cost its thread a tenth of its time (profiled). Sent at the end of the turn, once its replies are all recorded (not
   * after the first one's microtasks: 7% less CPU per attempt over three alternating pairs), or at {@link BATCH_MAX}.
   */
  private readonly flush = () => {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.worker?.postMessage(batch);
  };

  private queue: ToDeliveryThread[] = [];
  /** Ends the thread when no request came for {@link IDLE_STOP_MS}. */
  private idle: NodeJS.Timeout | null = null;

  /**
   * Ends the thread (the last client closed, or it sat idle): a request still pending fails (the dispatcher aborted
   * them before a close). The next request starts another.
   */
  stop(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const worker = this.worker;
    this.worker = null;
    this.queue = [];
    this.fail(new Error('the delivery thread was stopped'));
    void worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.unref();
    // Only the current thread is heard: a stopped one's late messages (a lookup, a reply) must not reach its successor,
    // whose lookup numbers start again.
    worker.on('message', (batch: FromDeliveryThread[]) => {
      if (this.worker !== worker) return;
      for (const message of batch) this.receive(message);
    });
    // A thread that dies takes its requests with it; the next request starts another.
    const lost = (reason: unknown) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.queue = [];
      this.fail(reason instanceof Error ? reason : new Error(`the delivery thread stopped: ${String(reason)}`));
    };
    worker.once('error', (error) => {
      // Never expected (its file is missing, it ran out of memory): every delivery in flight fails with it.
      console.error('[delivery thread]', error);
      lost(error);
    });
    worker.once('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  /** Whether anything waits on the thread: a request, or a {@link synced}. */
  private busy(): boolean {
    return this.pending.size > 0 || this.syncs.size > 0;
  }

  /** Something is about to wait on the thread: it holds the process open, and is not stopped for idleness. */
  private hold(): void {
    if (this.busy()) return;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.worker?.ref();
  }

  /**
   * Something stopped waiting. Idle, the thread does not hold the process open, and ends after a while: its own heap
   * is some 40 MiB of the sandbox's memory (measured), worth keeping only while notifications flow.
   */
  private release(): void {
    if (this.busy() || !this.worker) return;
    this.worker.unref();
    this.idle ??= setTimeout(() => this.stop(), IDLE_STOP_MS).unref();
  }

  /**
   * Resolves once the thread has handled every message sent before: the requests aborted so far are dropped by then,
   * and those it had already written are on their way (it cannot take bytes back). At once when no thread runs.
   */
  synced(): Promise<void> {
    if (!this.worker) return Promise.resolve();
    const id = ++this.requests;
    return new Promise<void>((resolve) => {
      this.hold();
      this.syncs.set(id, resolve);
      this.post({ type: 'sync', id });
    });
  }

  private readonly syncs = new Map<number, () => void>();

  private receive(message: FromDeliveryThread): void {
    if (message.type === 'lookup') return this.resolveFor(message);
    if (message.type === 'synced') {
      const resolve = this.syncs.get(message.id);
      this.syncs.delete(message.id);
      resolve?.();
      this.release();
      return;
    }
    const pending = this.settle(message.id);
    if (!pending) return; // aborted meanwhile
    if (message.type === 'failed') return pending.reject(revive(message.error));
    try {
      const headers = new Headers();
      for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
      pending.resolve({ status: message.status, headers, bytes: Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength) });
    } catch (error) {
      pending.reject(error);
    }
  }

  /** Resolves a name for the thread with the request's own lookup (the URL guard's), here where the guard lives. */
  private resolveFor(message: Extract<FromDeliveryThread, { type: 'lookup' }>): void {
    const lookup = this.pending.get(message.id)?.lookup;
    // Answered only to the thread that asked: lookup numbers are its own.
    const asker = this.worker;
    const answer = (error: NodeJS.ErrnoException | null, address: string | import('node:dns').LookupAddress[] = '', family?: number) => {
      if (this.worker !== asker) return;
      this.post({ type: 'resolved', lookup: message.lookup, error: error && passError(error), address, ...(family !== undefined ? { family } : {}) });
    };
    if (!lookup) return answer(Object.assign(new Error(`no lookup for ${message.hostname}`), { code: 'ENOTFOUND' }));
    try {
      (lookup as (hostname: string, options: object, callback: typeof answer) => void)(message.hostname, message.options, answer);
    } catch (error) {
      answer(error as NodeJS.ErrnoException);
    }
  }

  /** Takes a request out of the pending ones (and its abort listener off its signal). */
  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    if (pending.signal) this.unwatch(pending.signal, id);
    this.release();
    return pending;
  }

  /**
   * The requests waiting that `signal` gives up, listening to it once for all of them: a dispatcher shares one signal
   * among its deliveries, and a listener added and removed for each cost a fast-forward's main thread a few percent.
   */
  private watch(signal: AbortSignal): Set<number> {
    const known = this.watched.get(signal);
    if (known) return known.ids;
    const watch = {
      ids: new Set<number>(),
      onAbort: () => {
        this.watched.delete(signal);
        // Answered at once: a reset never waits for a merchant. The thread drops the request and its reply.
        for (const id of watch.ids) {
          const pending = this.pending.get(id);
          if (!pending) continue;
          this.pending.delete(id);
          this.release();
          this.post({ type: 'abort', id });
          pending.reject(signal.reason);
        }
      },
    };
    this.watched.set(signal, watch);
    signal.addEventListener('abort', watch.onAbort, { once: true });
    return watch.ids;
  }

  /** Request `id` no longer waits on `signal`; the signal's listener goes with its last request. */
  private unwatch(signal: AbortSignal, id: number): void {
    const watch = this.watched.get(signal);
    if (!watch) return;
    watch.ids.delete(id);
    if (watch.ids.size > 0) return;
    this.watched.delete(signal);
    signal.removeEventListener('abort', watch.onAbort);
  }

  private readonly watched = new Map<AbortSignal, { ids: Set<number>; onAbort: () => void }>();

  private fail(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
    // A thread that is gone sends nothing more.
    for (const resolve of this.syncs.values()) resolve();
    this.syncs.clear();
  }
}

/**
 * Starts the worker from its own file beside this module: the bundle (dist/server.mjs) has dist/delivery-worker.mjs
 * beside it, the compiled modules dist/core/delivery-worker.js. From the sources (tsx, vitest) it is the .ts, loaded
 * through tsx's loader registered in the thread first (node 20 ignores `--import` in a worker's execArgv for this).
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(here.endsWith('.mjs') ? './delivery-worker.mjs' : './delivery-worker.js', here));
  // tsx's ES module entry (its CommonJS one registers a loader path that does not exist when required from a thread).
  const manifest = createRequire(here).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!;
  const tsx = pathToFileURL(join(dirname(manifest), entry.import.default)).href;
  const file = new URL('./delivery-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); });`, { eval: true });
}

const shared = new SharedThread();
let pools = 0;

/**
 * A notifier's way to merchants: requests made on the delivery thread, with a connection pool of its own there (a
 * reused socket skips the lookup, so it must have been checked by the same sandbox's guard).
 */
export class DeliveryThread {
  private readonly pool = ++pools;
  private closed = false;

  constructor() {
    shared.clients++;
  }

  send(url: string, init: ThreadRequest): Promise<DeliveredReply> {
    if (this.closed) return Promise.reject(new Error('the notifier is closed'));
    return shared.send(this.pool, url, init);
  }

  /** Resolves once the thread has dropped every request aborted before: see {@link SharedThread.synced}. */
  synced(): Promise<void> {
    return shared.synced();
  }

  /** Closes this notifier's kept-alive connections; the last client to close stops the thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    shared.post({ type: 'close-pool', pool: this.pool });
    if (--shared.clients === 0) shared.stop();
  }
}
