import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { envelope, MMSP_KEY, mmspClient, prepayBody } from './support/mmsp.js';

/** The dashboard's pages as HTML (the browser tests drive them in Chromium: npm run test:browser). */
const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof mmspClient>;
beforeAll(() => {
  client = mmspClient(sim.url);
});

const page = async (path: string) => {
  const response = await fetch(`${sim.url}${path}`);
  return { status: response.status, html: await response.text() };
};

describe('dashboard pages', () => {
  it('an order\'s page is its timeline: requests with their diagnosis, state changes, attempts, in China time', async () => {
    const body = prepayBody(`${merchant.url}/notify`, { GOODSNAME: '<i>咖啡</i>' });
    const reply = await client.send(2306, body);
    const query = { RANDSTR: 'r', MERORDERID: body.MERORDERID };
    await client.raw({ ...envelope(2310, query), Sign: createHash('md5').update(`${JSON.stringify(query)}&key=${MMSP_KEY}`).digest('hex') });
    await sim.post(`/_sim/orders/mmsp/${body.MERORDERID}/pay`);
    await sim.advance(0);
    const [record] = await sim.get(`/_sim/records?q=${reply.Body.ORDERNO}`);
    const { status, html } = await page(`/dashboard/records/${record.id}`);
    expect(status).toBe(200);
    expect(html).toContain('data-state="paid"');
    expect(html).toContain('2306 微信公众号/正扫下预订单');
    expect(html).toContain('data-verdict="invalid"');
    expect(html).toContain('keys in the order sent, not sorted A–Z');
    expect(html).toMatch(/<del>[^<]*<\/del>/);
    expect(html).toContain('data-attempt="acked"');
    // The test clock: 2026-03-01T02:00:00Z is 10:00:00 in China.
    expect(html).toContain('title="2026-03-01T02:00:00.000Z (UTC)">2026-03-01 10:00:00</time>');
    // What the merchant sent is escaped.
    expect(html).not.toContain('<i>咖啡</i>');
    expect(html).toContain('&lt;i&gt;咖啡&lt;/i&gt;');
  });

  it('every page answers, and unknown ones 404 in the dashboard', async () => {
    await client.send(2306, prepayBody(`${merchant.url}/notify`));
    const [entry] = await sim.get('/_sim/requests?limit=1');
    for (const path of ['/dashboard', '/dashboard?kind=order&state=created&q=2026&from=2026-03-01%2009:00&to=2026-03-01', '/dashboard/requests', `/dashboard/requests/${entry.id}`, '/dashboard/workbench', `/dashboard/workbench?request=${entry.id}`, '/dashboard/reference']) {
      expect((await page(path)).status, path).toBe(200);
    }
    expect((await page('/dashboard/records/999999')).status).toBe(404);
    expect((await page('/dashboard/requests/999999')).status).toBe(404);
    expect((await page(`/dashboard/workbench?request=${entry.id}`)).html).toContain('signature valid');
  });

  it('the workbench takes a pasted request by form', async () => {
    const pasted = JSON.stringify({ ...envelope(2310, { MERORDERID: 'X1', RANDSTR: 'r' }), Sign: 'WRONG' });
    const response = await fetch(`${sim.url}/dashboard/workbench`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ provider: 'auto', request: pasted }).toString(),
    });
    const html = await response.text();
    expect(html).toContain('data-verdict="invalid"');
    expect(html).toContain(`{&quot;MERORDERID&quot;:&quot;X1&quot;,&quot;RANDSTR&quot;:&quot;r&quot;}&amp;key=${MMSP_KEY}`);
  });
});
