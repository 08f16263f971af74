/**
 * The delivery thread (started by delivery-thread.ts): makes the sandbox's
 * requests to merchants with {@link sendRequest} and hands back what came of
 * them. Names are resolved by the sandbox's own thread when it asks (its URL
 * guard checks the addresses), so the address checked stays the one connected to.
 */
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { BATCH_MAX, type FromDeliveryThread, passError, revive, type ToDeliveryThread } from './delivery-messages.js';
import { ConnectionPool, sendRequest } from './outgoing.js';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

const port = parentPort;
if (!port) throw new Error('delivery-worker runs as a worker thread');

const pools = new Map<number, ConnectionPool>();
/** How to give up each request in flight, by its id. */
const inFlight = new Map<number, (reason: unknown) => void>();
const lookups = new Map<number, LookupCallback>();
let lookupCount = 0;

/**
 * Replies wait for the end of the loop's turn, or until {@link BATCH_MAX} wait, and go together: those of one turn
 * (several sockets read at once) cost one message and one wake-up of the sandbox's thread.
 */
let replies: FromDeliveryThread[] = [];
const post = (message: FromDeliveryThread) => {
  replies.push(message);
  if (replies.length >= BATCH_MAX) flush();
  else if (replies.length === 1) setImmediate(flush);
};
const flush = () => {
  const batch = replies;
  if (batch.length === 0) return;
  replies = [];
  port.postMessage(batch);
};

/** A lookup that asks the sandbox's thread, for the connections of request `id`. */
function lookupVia(id: number): LookupFunction {
  return (hostname, options, callback) => {
    const lookup = ++lookupCount;
    lookups.set(lookup, callback as LookupCallback);
    post({
      type: 'lookup',
      id,
      lookup,
      hostname,
      options: {
        ...(options.family !== undefined ? { family: options.family } : {}),
        ...(options.hints !== undefined ? { hints: options.hints } : {}),
        ...(options.all !== undefined ? { all: options.all } : {}),
      },
    });
  };
}

port.on('message', (batch: ToDeliveryThread[]) => {
  for (const message of batch) {
    try {
      receive(message);
    } catch (error) {
      // One bad request fails alone: the thread carries every notifier's deliveries. Answered even if the throw came
      // before it was in flight (the sandbox's thread ignores an answer to a request it no longer waits for).
      if (message.type === 'send') {
        giveUp(message.id);
        post({ type: 'failed', id: message.id, error: passError(error) });
      }
    }
  }
});

/** Gives request `id` up (its answer is no longer awaited: nothing is posted for it). */
function giveUp(id: number): void {
  const abort = inFlight.get(id);
  inFlight.delete(id);
  abort?.(new DOMException('This operation was aborted', 'AbortError'));
}

function receive(message: ToDeliveryThread): void {
  switch (message.type) {
    case 'send': {
      let pool = pools.get(message.pool);
      if (!pool) {
        pool = new ConnectionPool();
        pools.set(message.pool, pool);
      }
      sendRequest(message.url, {
        method: message.method,
        ...(message.headers ? { headers: message.headers } : {}),
        ...(message.body !== undefined ? { body: message.body } : {}),
        ...(message.timeoutMs !== undefined ? { timeoutMs: message.timeoutMs } : {}),
        ...(message.lookup ? { lookup: lookupVia(message.id) } : {}),
        // Called before sendRequest returns, even for a request refused at once: the handlers below answer only what
        // is held.
        abortable: (abort) => inFlight.set(message.id, abort),
        maxReplyBytes: message.maxReplyBytes,
        pool,
      }).then(
        (reply) => {
          if (!inFlight.delete(message.id)) return;
          // Copied to its own length: a slice of node's buffer pool would carry the whole 8 KiB slab across.
          post({ type: 'reply', id: message.id, status: reply.status, rawHeaders: reply.rawHeaders, bytes: new Uint8Array(reply.bytes) });
        },
        (error: unknown) => {
          if (inFlight.delete(message.id)) post({ type: 'failed', id: message.id, error: passError(error) });
        },
      );
      return;
    }
    case 'abort':
      giveUp(message.id);
      return;
    case 'resolved': {
      const callback = lookups.get(message.lookup);
      lookups.delete(message.lookup);
      callback?.(message.error && revive(message.error), message.address, message.family);
      return;
    }
    case 'close-pool':
      pools.get(message.pool)?.close();
      pools.delete(message.pool);
      return;
    case 'sync':
      post({ type: 'synced', id: message.id });
      return;
  }
}
