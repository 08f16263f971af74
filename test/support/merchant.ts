import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body exactly as received. */
  bytes: Buffer;
}

export type Replier = (
  request: Received,
  index: number,
) => { status?: number; body?: string | Buffer; delayMs?: number; headers?: Record<string, string> };

/**
 * A merchant's notification endpoint: records every request and answers with
 * `reply` (by default `SUCCESS`).
 */
export async function startMerchant(reply: Replier = () => ({ body: 'SUCCESS' })) {
  const received: Received[] = [];
  let replier = reply;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const entry = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: bytes.toString('utf8'), bytes };
      received.push(entry);
      const answer = replier(entry, received.length - 1);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain; charset=utf-8', ...answer.headers });
        res.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    setReply(next: Replier) {
      replier = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
