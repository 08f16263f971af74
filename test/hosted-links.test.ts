import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { envelope, prepayBody } from './support/mmsp.js';
import { startSandbox, type RunningSandbox } from './support/sandbox.js';

/**
 * Without PUBLIC_URL, hosted-page links use the origin the merchant addressed
 * (README, PUBLIC_URL): an order placed at http://localhost:PORT opens at
 * http://localhost:PORT, never at the bound address.
 */
const { sim, merchant } = useSandbox({ resetEach: true });

async function payLink(base: string): Promise<string> {
  const response = await fetch(`${base}/mmsp/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope(2306, prepayBody(`${merchant.url}/n`))),
  });
  const reply = (await response.json()) as { RetCode: number; Body: { URL: string } };
  expect(reply.RetCode).toBe(1);
  return reply.Body.URL;
}

describe('hosted-page links without PUBLIC_URL', () => {
  it('use the host the order was sent to', async () => {
    const port = new URL(sim.url).port;
    expect(await payLink(`http://localhost:${port}`)).toMatch(new RegExp(`^http://localhost:${port}/pay/mmsp/\\d+$`));
    expect(await payLink(`http://127.0.0.1:${port}`)).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/pay/mmsp/\\d+$`));
  });

  it('and the pay page QR code encodes that same link', async () => {
    const port = new URL(sim.url).port;
    const link = await payLink(`http://localhost:${port}`);
    const page = await (await fetch(link)).text();
    expect(page).toContain(await QRCode.toString(link, { type: 'svg', margin: 1 }));
  });
});

describe('bound to every interface (HOST=0.0.0.0)', () => {
  let wide: RunningSandbox;
  beforeAll(async () => {
    wide = await startSandbox({ env: { HOST: '0.0.0.0', SIM_ADMIN_TOKEN: 'wide-open-token' } });
  });
  afterAll(() => wide.close());

  it('links to the address the merchant used, not 0.0.0.0', async () => {
    const port = new URL(wide.url).port;
    expect(wide.url).toBe(`http://0.0.0.0:${port}`);
    expect(await payLink(`http://127.0.0.1:${port}`)).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/pay/mmsp/\\d+$`));
  });
});
