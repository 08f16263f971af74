import { describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { envelope, prepayBody as prepay } from './support/mmsp.js';

/**
 * Input that used to break through (issue "Nothing stalls, nobody gets in" §4): each now gets the provider's own
 * error form, changes nothing, and leaves the server healthy.
 */
const { sim } = useSandbox({ resetEach: true });

const decodeResp = (json: { resp: string }) => JSON.parse(Buffer.from(json.resp, 'base64').toString('utf8'));

async function send(path: string, init: RequestInit) {
  const response = await fetch(`${sim.url}${path}`, init);
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

describe('bodies over the limit (MAX_BODY_BYTES, 1 MiB by default)', () => {
  const big = 'x'.repeat(2 * 1024 * 1024);

  it('MMSP: the negative reply, unread', async () => {
    const before = await sim.state();
    const reply = await send('/mmsp/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ CommandID: 32768, RetCode: 0, Body: '', Sign: '' });
    expect(reply.json.ErrorMsg).toMatch(/^\[-1001\]/);
    expect(await sim.state()).toBe(before);
    const [entry] = await sim.get('/_sim/requests?provider=mmsp');
    expect(entry).toMatchObject({ requestBody: '', note: expect.stringMatching(/over 1048576 bytes/) });
  });

  it('aggpay: status 0 with its message', async () => {
    const reply = await send('/aggpay/api/order/unified', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=${big}` });
    expect(reply.json).toMatchObject({ status: '0', data: {} });
  });

  it('cashier: a respcode in the resp envelope', async () => {
    const reply = await send('/icashier/api/icashier', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `req=${big}` });
    expect(reply.json.sign).toBe('');
    expect(decodeResp(reply.json)).toMatchObject({ respcode: '13' });
  });
});

describe('bodies sent without a length (chunked)', () => {
  const chunked = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = Buffer.from(text);
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
  const sendChunked = (path: string, text: string, type: string) =>
    send(path, { method: 'POST', headers: { 'content-type': type }, body: chunked(text), duplex: 'half' } as RequestInit);

  it('are read up to the limit and answered normally', async () => {
    const reply = await sendChunked('/mmsp/api', JSON.stringify(envelope(2306, prepay('http://127.0.0.1:9/n'))), 'application/json');
    expect(reply.json).toMatchObject({ RetCode: 1, Body: { STATUS: '1' } });
    const agg = await sendChunked('/aggpay/api/order/unified', 'appid=gpu10000000&sign=x', 'application/x-www-form-urlencoded');
    expect(agg.json.status).toBe('0');
  });

  it('over the limit get the provider error, unread', async () => {
    const before = await sim.state();
    const reply = await sendChunked('/mmsp/api', 'x'.repeat(2 * 1024 * 1024), 'application/json');
    expect(reply.json?.ErrorMsg ?? '').toMatch(/^\[-1001\]/);
    expect(await sim.state()).toBe(before);
  });
});

describe('paths and methods a provider does not have', () => {
  it('are answered in the provider form, not a bare Not Found', async () => {
    const mmsp = await send('/mmsp/api', { method: 'GET' });
    expect(mmsp.json).toMatchObject({ CommandID: 32768, RetCode: 0 });
    expect((await send('/mmsp/nope', { method: 'POST', body: '{}' })).json).toMatchObject({ CommandID: 32768 });
    expect((await send('/aggpay/api/order/check_order', { method: 'DELETE' })).json).toMatchObject({ status: '0' });
    expect(decodeResp((await send('/icashier/api/other', { method: 'POST' })).json)).toMatchObject({ respcode: '13' });
  });

  it('name the reason in the provider message', async () => {
    expect((await send('/mmsp/nope', { method: 'POST', body: '{}' })).json.ErrorMsg).toMatch(/^\[-1001\] .*no interface POST \/mmsp\/nope/);
    expect((await send('/aggpay/api/nope', { method: 'POST' })).json.message).toMatch(/no interface POST \/aggpay\/api\/nope/);
    expect(decodeResp((await send('/icashier/api/other', { method: 'POST' })).json).respmsg).toMatch(/no interface POST/);
    expect((await send('/umpay/nope', { method: 'POST' })).text).toMatch(/no interface POST \/umpay\/nope/);
    expect((await send('/allinpay/nope', { method: 'POST' })).text).toMatch(/no interface POST \/allinpay\/nope/);
  });
});

describe('MMSP refusals in the form of the document the path belongs to', () => {
  const big = 'x'.repeat(2 * 1024 * 1024);

  it('payouts: plaintext RETCODE 0002 with the reason, nothing stored', async () => {
    const before = await sim.state();
    const reply = await send('/mmsp/payout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(reply.json).toEqual({ RETCODE: '0002', RETMSG: expect.stringMatching(/^上送参数有问题：request body over 1048576 bytes$/) });
    expect((await send('/mmsp/payout/extra', { method: 'POST', body: '{}' })).json).toMatchObject({ RETCODE: '0002' });
    expect(await sim.state()).toBe(before);
  });

  it('the gateway form: its HTML error page, 400', async () => {
    const before = await sim.state();
    const reply = await send('/mmsp/gateway', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `web_api=${big}` });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('data-error="-1001"');
    expect(reply.text).toContain('request body over 1048576 bytes');
    expect(await sim.state()).toBe(before);
  });
});

describe('malformed bodies', () => {
  it('aggpay multipart without a boundary is a bad request, not an internal error', async () => {
    const reply = await send('/aggpay/api/order/unified', { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'appid=x' });
    expect(reply.json.status).toBe('0');
    expect(reply.json.message).not.toBe('沙箱内部错误');
  });

  it('a cashier req of almost a megabyte that is not Base64 is refused without overflowing the stack', async () => {
    const reply = await send('/icashier/api/icashier', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `req=${'QUJD'.repeat(250_000)}!&sign=x`,
    });
    expect(decodeResp(reply.json).respcode).not.toBe('98');
  });

  it('a long GET query string reaches the cashier and is answered in its form', async () => {
    const reply = await send(`/icashier/apis/icashier?req=${'A'.repeat(40_000)}&sign=x`, { method: 'GET' });
    expect(reply.status).toBe(200);
    expect(decodeResp(reply.json).respcode).not.toBe('98');
  });

  it('an MMSP Body nested thousands of levels deep is a field error, not a sandbox fault', async () => {
    const nested = `${'{"a":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    const payload = JSON.stringify(envelope(2310, {})).replace('"Body":{}', `"Body":${nested}`);
    const reply = await send('/mmsp/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    expect(reply.json.ErrorMsg).toMatch(/^\[-1004\]/);
  });

  it('MMSP header integers that are not unsigned 32-bit integers are [-1002]', async () => {
    for (const SeqID of [1e308, -1, 2 ** 53 + 2, 1.5]) {
      const reply = await send('/mmsp/api', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope(2310, { ORDERNO: '1' }, { SeqID })),
      });
      expect(reply.json.ErrorMsg, String(SeqID)).toMatch(/^\[-1002\]/);
    }
  });

  it('a malformed multipart choice on a hosted page is a 400 page', async () => {
    const reply = await send('/pay/icashier/00000000000000000000/choose', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: '--zz\r\nbroken' });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
  });

  it('leaves the server healthy', async () => {
    expect((await sim.get('/_sim/health')).ok).toBe(true);
  });
});

describe('notify and return URLs that point at the sandbox itself', () => {
  it('are refused at order creation in each provider form, and nothing is stored', async () => {
    const self = `${sim.url}/_sim/reset`;
    const before = await sim.state();
    const mmsp = await send('/mmsp/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope(2306, prepay(self))),
    });
    expect(mmsp.json.ErrorMsg).toMatch(/^\[-1004\].*NOTIFY_URL/);
    const linkLocal = await send('/mmsp/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope(2306, prepay('http://169.254.169.254/latest'))),
    });
    expect(linkLocal.json.ErrorMsg).toMatch(/^\[-1004\]/);
    expect(await sim.state()).toBe(before);
    const [entry] = await sim.get('/_sim/requests?provider=mmsp');
    expect(entry.note).toMatch(/link-local/);
  });

  it('are refused written as IPv4-mapped IPv6 addresses too ([::ffff:127.0.0.1] reaches 127.0.0.1)', async () => {
    const port = new URL(sim.url).port;
    const before = await sim.state();
    for (const [url, reason] of [
      [`http://[::ffff:127.0.0.1]:${port}/_sim/reset`, /sandbox/],
      [`http://[::ffff:7f00:1]:${port}/_sim/reset`, /sandbox/],
      ['http://[::ffff:169.254.169.254]/latest/meta-data', /link-local/],
    ] as const) {
      const reply = await send('/mmsp/api', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope(2306, prepay(url))),
      });
      expect(reply.json.ErrorMsg, url).toMatch(/^\[-1004\].*NOTIFY_URL/);
      const [entry] = await sim.get('/_sim/requests?provider=mmsp&limit=1');
      expect(entry.note, url).toMatch(reason);
    }
    expect(await sim.state()).toBe(before);
  });
});
