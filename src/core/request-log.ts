import { createRequire } from 'node:module';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { LogLevel } from '../config.js';
import { readAnnotation, subjectOf } from './exchange.js';

/** One line per provider request: what a developer scanning a terminal or a CI log wants to see. */
export interface RequestLogLine {
  provider: string;
  method: string;
  path: string;
  /** The provider's command or service (`2306 wechat prepay`, `check_order`…), when the handler named it. */
  operation: string | null;
  merchantId: string | null;
  orderNo: string | null;
  /** `valid`, `refused` (the verify phase threw), or `unchecked` (refused before, or a route without one). */
  signature: 'valid' | 'refused' | 'unchecked';
  /** The provider's code or message of a refusal; `ok` otherwise. */
  result: string;
  /** The state of the order or record the answer was about, when there is one. */
  state: string | null;
  status: number;
  ms: number;
}

export interface RequestLogOptions {
  level: LogLevel;
  /** `auto`: pretty on a terminal, JSON lines when piped. */
  format: 'auto' | 'pretty' | 'json';
  /** Where lines go; standard output by default. A test passes its own stream. */
  destination?: NodeJS.WritableStream;
}

const require = createRequire(import.meta.url);

/** Fields shown in the pretty line's message, so they are not repeated after it. */
const PRETTY_FIELDS = ['provider', 'method', 'path', 'operation', 'merchantId', 'orderNo', 'signature', 'result', 'state', 'status', 'ms'];

/** Writes one request line. */
export type RequestLogger = (line: RequestLogLine) => void;

/**
 * The request logger (pino): JSON lines when piped, one pretty line each on a
 * terminal (pino-pretty). Null when the level is `silent`, so nothing is
 * installed and nothing is paid for; otherwise pino (and pino-pretty) are
 * loaded at the first request, as qrcode and node-forge are at first use.
 */
export function createRequestLogger(options: RequestLogOptions): RequestLogger | null {
  if (options.level === 'silent' || options.level === 'fatal') return null;
  let logger: Logger | undefined;
  return (line) => {
    logger ??= buildLogger(options);
    // A refusal is a warning, a fault an error: LOG_LEVEL=warn shows only what went wrong.
    const level = line.status >= 500 ? 'error' : line.result !== 'ok' ? 'warn' : 'info';
    logger[level](line, 'request');
  };
}

function buildLogger(options: RequestLogOptions): Logger {
  const pino = require('pino') as typeof import('pino');
  const stream = options.destination ?? process.stdout;
  const pretty = options.format === 'pretty' || (options.format === 'auto' && (stream as { isTTY?: boolean }).isTTY === true);
  const base = { level: options.level, base: null };
  if (!pretty) return pino.pino(base, options.destination ?? pino.destination({ dest: 1, sync: true }));
  const prettyStream = (require('pino-pretty') as typeof import('pino-pretty'))({
    destination: stream,
    sync: true,
    colorize: (stream as { isTTY?: boolean }).isTTY === true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: ['pid', 'hostname', ...PRETTY_FIELDS].join(','),
    messageFormat:
      '{provider} {method} {path}{if operation} [{operation}]{end}{if merchantId} merchant={merchantId}{end}{if orderNo} order={orderNo}{end} sig={signature} → {result}{if state} ({state}){end} {status} {ms}ms',
  });
  return pino.pino(base, prettyStream);
}

/**
 * Logs each request below a provider's mount once it is answered, from what
 * the handler annotated for the journal (merchant, order, operation, the
 * verify verdict, the refusal's code). Installed outermost, next to the
 * journal, so it times the whole answer.
 */
export function requestLogMiddleware(log: RequestLogger, provider: string): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const annotation = readAnnotation(c);
    const { record, order } = annotation;
    const line: RequestLogLine = {
      provider,
      method: c.req.method,
      path: c.req.path,
      operation: annotation.operation ?? null,
      ...subjectOf(annotation),
      signature: annotation.signature ?? 'unchecked',
      result: annotation.result ?? (c.res.status < 400 ? 'ok' : `HTTP ${c.res.status}`),
      state: record?.state ?? order?.state ?? null,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    log(line);
  };
}
