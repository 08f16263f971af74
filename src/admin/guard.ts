import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import type { SandboxConfig } from '../config.js';
import { isLoopback } from '../core/addresses.js';
import { adminError } from './respond.js';

/** The largest admin request body read (a scenario or a merchant is a few KiB). */
export const ADMIN_BODY_LIMIT = 1024 * 1024;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Compares a token in constant time. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may use `/_sim` (README, Security): with `SIM_ADMIN_TOKEN` set, every
 * route but `/_sim/health` needs `Authorization: Bearer <token>`. Writes from
 * a web page of another origin are refused (a page the developer visits must
 * not reset the sandbox or replace a key), and a write with a body must say
 * `Content-Type: application/json` (a cross-site form can only send
 * text/plain, urlencoded or multipart without a preflight).
 */
export function adminGuard(config: SandboxConfig): MiddlewareHandler[] {
  const guard: MiddlewareHandler = async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (path === '/_sim/health') return next();
    const foreign = foreignHost(c, config);
    if (foreign) return foreign;
    if (config.adminToken) {
      if (!isAuthorised(c, config.adminToken)) {
        c.header('www-authenticate', 'Bearer realm="payment-sandbox"');
        return adminError(c, 'UNAUTHORIZED');
      }
    }
    if (WRITE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      if (c.req.header('sec-fetch-site') === 'cross-site' || (origin && !isOwnOrigin(origin, c.req.url, config))) {
        return adminError(c, 'FOREIGN_ORIGIN', `a write from ${origin ?? 'another site'} is refused; use the dashboard or a client without an Origin`);
      }
      const length = c.req.header('content-length');
      const hasBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (hasBody && type !== 'application/json') {
        return adminError(c, 'UNSUPPORTED_MEDIA_TYPE', `admin writes take Content-Type: application/json, not ${type || 'none'}`);
      }
    }
    return next();
  };
  const limit = bodyLimit({
    maxSize: ADMIN_BODY_LIMIT,
    onError: (c) => adminError(c, 'PAYLOAD_TOO_LARGE', `admin request bodies are at most ${ADMIN_BODY_LIMIT} bytes`),
  });
  return [guard, limit];
}

/** The cookie the dashboard's sign-in sets (HttpOnly, SameSite=Strict): the browser's way of carrying the token. */
export const TOKEN_COOKIE = 'sim_admin_token';

/** The admin token, as a bearer header (curl, tests) or the dashboard's cookie (a browser). */
export function isAuthorised(c: Context, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
  if (match && sameToken(match[1]!.trim(), token)) return true;
  const cookie = getCookie(c, TOKEN_COOKIE);
  return cookie !== undefined && sameToken(cookie, token);
}

/**
 * Without an admin token, `/_sim` and the dashboard answer only requests
 * addressed to this machine by a loopback name (localhost, 127.x.x.x, [::1])
 * or to PUBLIC_URL's host: a page on evil.example whose name is rebound to
 * 127.0.0.1 (DNS rebinding) reaches the port, but its requests say
 * `Host: evil.example` — and its Origin matches that host, so the Origin check
 * alone would pass it. A request without a Host header comes from no browser.
 * With a token, the token is the guard and any host is fine. Returns the 403
 * to answer, or null.
 */
export function foreignHost(c: Context, config: SandboxConfig): Response | null {
  if (config.adminToken) return null;
  const header = c.req.header('host');
  if (header === undefined) return null;
  let hostname: string;
  try {
    hostname = new URL(`http://${header}`).hostname;
  } catch {
    hostname = '';
  }
  if (hostname && isLoopback(hostname)) return null;
  if (hostname && config.publicUrl !== null && hostname === new URL(config.publicUrl).hostname) return null;
  return adminError(
    c,
    'FOREIGN_HOST',
    `a request addressed to ${JSON.stringify(header)} is refused: without SIM_ADMIN_TOKEN the admin API and the dashboard answer only localhost, 127.0.0.1, [::1] or PUBLIC_URL's host`,
  );
}

/** The sandbox's own origin: the one the request was addressed to, or PUBLIC_URL. */
function isOwnOrigin(origin: string, requestUrl: string, config: SandboxConfig): boolean {
  if (origin === new URL(requestUrl).origin) return true;
  return config.publicUrl !== null && origin === new URL(config.publicUrl).origin;
}
