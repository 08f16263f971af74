import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { bareHost } from './addresses.js';

export interface OutgoingInit {
  method: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /**
   * Handed, before sendRequest returns (whatever becomes of the request), the function that gives it up or stops the
   * reading of its reply: the promise rejects with the reason given (once the request ended, it does nothing). The
   * delivery thread keeps one per request; an AbortController each, with its signal's listener, cost that thread a
   * tenth of its CPU in a fast-forward (measured).
   */
  abortable?: (abort: (reason: unknown) => void) => void;
  /**
   * Gives up after this long, rejecting with a `TimeoutError` (as `AbortSignal.timeout` would): a plain timer, since
   * building a timeout signal and joining it to an abort signal cost a fast-forward 7% of its time per delivery
   * (profiled).
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
  /** Names and values in turn, as received (node:http's `rawHeaders`): the delivery thread passes them on as they are. */
  rawHeaders: string[];
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

/**
 * One HTTP request from the sandbox to a merchant (a notification), with
 * node:http rather than fetch because node:http takes a `lookup`: the URL
 * guard resolves the name and the connection goes to the address it checked.
 * Redirects are never followed. What fetch added on its own is kept: a
 * Content-Length, and `text/plain;charset=UTF-8` for a text body without a type.
 */
export function sendRequest(url: string, init: OutgoingInit): Promise<IncomingReply> {
  let giveUp: (reason: unknown) => void = () => {};
  init.abortable?.((reason) => giveUp(reason));
  let target: URL;
  try {
    target = new URL(url);
  } catch (error) {
    // Refused as a rejection like every other failure, never thrown: on the delivery thread a throw would end the thread.
    return Promise.reject(error);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return Promise.reject(new Error(`unsupported protocol ${target.protocol}`));
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
  const headers: Record<string, string> = { ...init.headers };
  const named = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
  if (typeof init.body === 'string' && !named('content-type')) headers['content-type'] = 'text/plain;charset=UTF-8';
  if (init.method !== 'GET' && init.method !== 'HEAD' && !named('content-length')) headers['content-length'] = String(body?.byteLength ?? 0);

  return new Promise<IncomingReply>((resolve, reject) => {
    let response: IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      giveUp = () => {};
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let request: ReturnType<typeof send>;
    try {
      request = send({
        protocol: target.protocol,
        hostname: bareHost(target.hostname),
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        method: init.method,
        headers,
        agent: init.pool.agentFor(target.protocol),
        ...(init.lookup ? { lookup: init.lookup } : {}),
      });
    } catch (error) {
      // A header Node refuses (an invalid character) throws here, before there is a request to abort.
      done();
      return reject(error);
    }
    giveUp = (reason) => {
      done();
      request.destroy();
      response?.destroy();
      reject(reason);
    };
    if (init.timeoutMs !== undefined) {
      timer = setTimeout(() => giveUp(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), init.timeoutMs).unref();
    }
    request.once('error', (error) => {
      done();
      reject(error);
    });
    request.once('response', (res) => {
      response = res;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        done();
        resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, bytes: Buffer.concat(chunks).subarray(0, init.maxReplyBytes) });
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
      res.once('end', finish);
      res.once('error', (error) => {
        done();
        reject(error);
      });
    });
    request.end(body);
  });
}
