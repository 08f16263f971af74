import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { bareHost } from './addresses.js';

export interface OutgoingInit {
  method: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Aborts the request, or the reading of its reply; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Gives up after this long, rejecting with a `TimeoutError` (as `AbortSignal.timeout` would): a plain timer, since
   * building a timeout signal and joining it to `signal` cost a fast-forward 7% of its time per delivery (profiled).
   */
  timeoutMs?: number;
  /** Resolves the host name for the connection (the URL guard's checked lookup). */
  lookup?: LookupFunction;
  /** Reply bytes read at most; the rest is never read (the connection is dropped). */
  maxReplyBytes: number;
  /** The connection pool: {@link ConnectionPool.agentFor}. */
  pool: ConnectionPool;
}

export interface IncomingReply {
  status: number;
  /** The reply's headers, built when first asked for (a web Headers costs each delivery more than its use). */
  readonly headers: Headers;
  /** The Content-Type header, or null. */
  contentType: string | null;
  /** At most `maxReplyBytes` of the body. */
  bytes: Uint8Array;
}

/**
 * Kept-alive connections, as fetch kept them: a retry to the same shop reuses
 * its socket (idle ones never hold the process open). One pool per notifier:
 * a reused socket skips the lookup, so it must have been checked by the same
 * sandbox's guard.
 */
export class ConnectionPool {
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https = new HttpsAgent({ keepAlive: true });

  agentFor(protocol: string): HttpAgent {
    return protocol === 'https:' ? this.https : this.http;
  }

  /** Closes the idle connections. */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** Where a URL goes, parsed once per URL: a fast-forward sends thousands of retries to the same few. */
interface Target {
  protocol: string;
  hostname: string;
  port: string | undefined;
  path: string;
}

const targets = new Map<string, Target>();

function targetOf(url: string): Target {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    target = { protocol: parsed.protocol, hostname: bareHost(parsed.hostname), port: parsed.port || undefined, path: `${parsed.pathname}${parsed.search}` };
    if (targets.size >= 1000) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/**
 * What to call when a signal aborts, per signal: one 'abort' listener for all the requests that share it (the
 * dispatcher's deliveries do), instead of one added and removed per request.
 */
const onAbort = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>();

function whenAborted(signal: AbortSignal, call: (reason: unknown) => void): () => void {
  let calls = onAbort.get(signal);
  if (!calls) {
    const all = new Set<(reason: unknown) => void>();
    onAbort.set(signal, all);
    signal.addEventListener('abort', () => {
      for (const each of [...all]) each(signal.reason);
    }, { once: true });
    calls = all;
  }
  calls.add(call);
  return () => calls.delete(call);
}

/** A reply's headers as Node gave them, made into a web Headers only when asked for. */
class Reply implements IncomingReply {
  private built: Headers | undefined;

  constructor(
    readonly status: number,
    private readonly raw: string[],
    readonly contentType: string | null,
    readonly bytes: Uint8Array,
  ) {}

  get headers(): Headers {
    if (!this.built) {
      this.built = new Headers();
      for (let i = 0; i + 1 < this.raw.length; i += 2) this.built.append(this.raw[i]!, this.raw[i + 1]!);
    }
    return this.built;
  }
}

/**
 * One HTTP request from the sandbox to a merchant (a notification), with
 * node:http rather than fetch because node:http takes a `lookup`: the URL
 * guard resolves the name and the connection goes to the address it checked.
 * Redirects are never followed. What fetch added on its own is kept: a
 * Content-Length, and `text/plain;charset=UTF-8` for a text body without a type.
 */
export function sendRequest(url: string, init: OutgoingInit): Promise<IncomingReply> {
  const target = targetOf(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return Promise.reject(new Error(`unsupported protocol ${target.protocol}`));
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
  const headers: Record<string, string> = { ...init.headers };
  const named = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
  if (typeof init.body === 'string' && !named('content-type')) headers['content-type'] = 'text/plain;charset=UTF-8';
  if (init.method !== 'GET' && init.method !== 'HEAD' && !named('content-length')) headers['content-length'] = String(body?.byteLength ?? 0);

  return new Promise<IncomingReply>((resolve, reject) => {
    const signal = init.signal;
    if (signal?.aborted) return reject(signal.reason);
    let response: IncomingMessage | undefined;
    let settled = false;
    const giveUp = (reason: unknown) => {
      done();
      request.destroy();
      response?.destroy();
      reject(reason);
    };
    const forget = signal ? whenAborted(signal, giveUp) : undefined;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      settled = true;
      if (timer) clearTimeout(timer);
      forget?.();
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const options = {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      method: init.method,
      headers,
      agent: init.pool.agentFor(target.protocol),
      ...(init.lookup ? { lookup: init.lookup } : {}),
    };
    let request: ReturnType<typeof send>;
    try {
      request = send(options, (res) => {
        response = res;
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          if (settled) return;
          done();
          try {
            const type = res.headers['content-type'];
            resolve(new Reply(res.statusCode ?? 0, res.rawHeaders, type ?? null, Buffer.concat(chunks).subarray(0, init.maxReplyBytes)));
          } catch (error) {
            reject(error);
          }
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.byteLength;
          if (size >= init.maxReplyBytes) {
            // Enough for any acknowledgement rule: a merchant answering 200 MB must not cost 200 MB.
            res.removeAllListeners('data');
            res.destroy();
            finish();
          }
        });
        res.on('end', finish);
        res.on('error', (error) => {
          done();
          reject(error);
        });
      });
    } catch (error) {
      // A header Node refuses (an invalid character) throws here, before there is a request to abort.
      done();
      return reject(error);
    }
    if (init.timeoutMs !== undefined) {
      timer = setTimeout(() => giveUp(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), init.timeoutMs).unref();
    }
    request.on('error', (error) => {
      done();
      reject(error);
    });
    request.end(body);
  });
}
