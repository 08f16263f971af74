import { createHash } from 'node:crypto';

/**
 * The shop's MMSP scan-pay client, written the way a merchant writes one from
 * the document (扫码接口规范), without the sandbox's code: a JSON envelope
 * with a `Body` and its `Sign`, POSTed to the gateway; replies checked.
 */
export interface MmspConfig {
  /** The gateway URL: the provider's, or `${sandbox.url}/mmsp/api`. */
  endpoint: string;
  merchantId: string;
  terminalId: string;
  key: string;
  /** Per-request timeout, milliseconds. */
  timeoutMs?: number;
}

/** PHP's json_encode(…, JSON_UNESCAPED_UNICODE): what MMSP's server signs over (§3.3.2; FAQ: 斜杠要转义). */
function phpJson(value: Record<string, unknown>): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function sign(body: Record<string, unknown>, key: string): string {
  const sorted = Object.fromEntries(Object.keys(body).sort().map((k) => [k, body[k]]));
  return createHash('md5').update(`${phpJson(sorted)}&key=${key}`, 'utf8').digest('hex').toUpperCase();
}

export function signatureHolds(body: unknown, signValue: unknown, key: string): boolean {
  return typeof body === 'object' && body !== null && typeof signValue === 'string' && sign(body as Record<string, unknown>, key) === signValue.toUpperCase();
}

/** A negative reply (CommandID 32768, RetCode 0), e.g. `[-2002] 没有该订单`; `[-9998] …` is the platform's own fault, resolved by a query. */
export class MmspRefused extends Error {
  constructor(
    readonly code: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** The transport failed or the answer could not be trusted: the outcome is unknown, query it. */
export class MmspUnreachable extends Error {}

export type MmspBody = Record<string, string | number | undefined>;

export function mmspClient(config: MmspConfig) {
  let seq = 0;
  return async function call(commandId: number, body: Record<string, string>): Promise<MmspBody> {
    const envelope = {
      CommandID: commandId,
      SeqID: ++seq,
      NodeType: 3,
      NodeID: 'openplat',
      Version: '1.0.0',
      AGENTNO: '',
      MERNO: config.merchantId,
      TERMNO: config.terminalId,
      Body: body,
      Sign: sign(body, config.key),
    };
    let reply: { CommandID?: number; RetCode?: number; ErrorMsg?: string; Body?: unknown; Sign?: unknown };
    try {
      const response = await fetch(config.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
      });
      if (!response.ok) throw new MmspUnreachable(`HTTP ${response.status}`);
      reply = await response.json();
    } catch (error) {
      throw error instanceof MmspUnreachable ? error : new MmspUnreachable((error as Error).message);
    }
    if (reply.RetCode !== 1) {
      const code = /^\[(-?\d+)\]/.exec(reply.ErrorMsg ?? '');
      throw new MmspRefused(code ? Number(code[1]) : null, reply.ErrorMsg ?? 'refused');
    }
    // Decide on RetCode, then the Body (§2.3) — and only on a Body whose Sign holds.
    if (!signatureHolds(reply.Body, reply.Sign, config.key)) throw new MmspUnreachable('reply signature does not verify');
    return reply.Body as MmspBody;
  };
}
