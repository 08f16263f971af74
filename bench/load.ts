import autocannon from 'autocannon';
import { cpuMs } from './processes.js';

export interface LoadRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  /** A body per request (fresh merchant numbers where the interface creates something). */
  body: () => string;
  /** The interface answers with a redirect (to a hosted page): only 3xx answers count as answered, not failed. */
  redirects?: boolean;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** CPU the server process spent per answered request, µs. */
  cpuUs: number;
  requests: number;
  /** Requests answered during the warm-up (each one a creation too, where the interface creates). */
  warmupRequests: number;
  failures: number;
}

/**
 * Drives `url` with autocannon: a warm-up, then the measured run, at
 * `connections` concurrent connections. CPU per request comes from the
 * server's /proc counters over the measured run (what a noisy shared machine
 * disturbs least).
 */
export async function load(url: string, pid: number | undefined, request: LoadRequest, options: { connections: number; warmup: number; duration: number }): Promise<LoadResult> {
  const run = (duration: number) =>
    autocannon({
      url,
      connections: options.connections,
      duration,
      requests: [
        {
          method: request.method,
          path: request.path,
          headers: request.headers,
          setupRequest: (req: Record<string, unknown>) => ({ ...req, body: request.body() }),
        },
      ],
    } as unknown as autocannon.Options);
  const warmup = options.warmup > 0 ? await run(options.warmup) : null;
  const cpuBefore = cpuMs(pid);
  const result = await run(options.duration);
  const cpu = cpuMs(pid) - cpuBefore;
  const answered = result.requests.total;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: answered ? (cpu * 1000) / answered : Number.NaN,
    requests: answered,
    warmupRequests: warmup?.requests.total ?? 0,
    // A redirecting interface answers its refusals with a page (HTTP 200): there, only a 3xx is a success.
    // autocannon counts a timeout among its errors too.
    failures: (request.redirects ? answered - result['3xx'] : result.non2xx) + result.errors,
  };
}
