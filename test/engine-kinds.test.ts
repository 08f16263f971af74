import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { SIMULATORS } from '../src/simulators/index.js';
import { useSandbox } from './support/harness.js';
import { signAck, toySimulator } from './support/toy-simulator.js';

/**
 * The engine's record kinds, bytes and signed acknowledgements, driven through
 * a simulator that only the tests define (test/support/toy-simulator.ts).
 */
const { sim, merchant } = useSandbox({ resetEach: true, simulators: [toySimulator, ...SIMULATORS] });
let privateKey: string;

beforeAll(async () => {
  const keys = await sim.get('/_sim/keys');
  privateKey = keys.merchants.find((m: { provider: string }) => m.provider === 'toy').privateKey;
});

const post = async (path: string, body: unknown) => {
  const response = await fetch(sim.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
};

describe('a kind a simulator declares', () => {
  it('is stored, listed and moved by its own timer, and its change is announced', async () => {
    merchant.setReply((request) => ({ body: signAck(JSON.parse(request.body).number, privateKey) }));
    const created = await post('/toy/vouchers', { merchantId: 'T1', number: 'V-1', amount: 500, notifyUrl: `${merchant.url}/voucher` });
    expect(created.body).toMatchObject({ number: 'V-1', platformNumber: 'V00000000001', state: 'issued' });

    const [listed] = await sim.get('/_sim/records?provider=toy&kind=voucher');
    expect(listed).toMatchObject({ provider: 'toy', kind: 'voucher', merchantId: 'T1', number: 'V-1', state: 'issued', amount: 500, orderNo: null });

    await sim.advance(59);
    expect((await sim.get('/_sim/records?kind=voucher'))[0].state).toBe('issued');
    expect(merchant.received).toHaveLength(0);
    await sim.advance(1);
    const detail = await sim.get(`/_sim/records/${listed.id}`);
    expect(detail.state).toBe('expired');
    expect(detail.events.map((e: { from: string | null; to: string; cause: string }) => [e.from, e.to, e.cause])).toEqual([
      [null, 'issued', 'create'],
      ['issued', 'expired', 'timer'],
    ]);
    expect(merchant.received.map((r) => JSON.parse(r.body))).toEqual([{ number: 'V-1', state: 'expired' }]);
    expect(detail.notifications[0]).toMatchObject({ recordKind: 'voucher', status: 'delivered' });
  });

  it('answers a reused number with the provider duplicate error and changes nothing', async () => {
    await post('/toy/vouchers', { merchantId: 'T1', number: 'V-2', amount: 1 });
    const before = await sim.get('/_sim/records?kind=voucher');
    const again = await post('/toy/vouchers', { merchantId: 'T1', number: 'V-2', amount: 2 });
    expect(again).toEqual({ status: 400, body: { error: 'duplicate voucher V-2' } });
    expect(await sim.get('/_sim/records?kind=voucher')).toEqual(before);
  });

  it('pages a listing over a time window, newest first, with the total in X-Total-Count', async () => {
    for (let i = 0; i < 5; i++) {
      await post('/toy/vouchers', { merchantId: 'T1', number: `W-${i}`, amount: 100 + i });
      await sim.advance(10);
    }
    const { now } = await sim.get('/_sim/health');
    const end = Date.parse(now);
    // Created at end-50, -40, -30, -20, -10: the window [end-40, end-20] holds W-1, W-2, W-3.
    const window = `from=${new Date(end - 40_000).toISOString()}&to=${new Date(end - 20_000).toISOString()}`;
    const first = await fetch(`${sim.url}/_sim/records?kind=voucher&${window}&limit=2`);
    expect(first.headers.get('x-total-count')).toBe('3');
    expect(((await first.json()) as { number: string }[]).map((r) => r.number)).toEqual(['W-3', 'W-2']);
    const second = await sim.get(`/_sim/records?kind=voucher&${window}&limit=2&offset=2`);
    expect(second.map((r: { number: string }) => r.number)).toEqual(['W-1']);
    const bad = await sim.request('GET', '/_sim/records?from=yesterday');
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'INVALID_QUERY' } } });
  });
});

describe('acknowledgement rules that see the merchant and the payload', () => {
  it('accept a reply signed with the merchant key and reject a forged one', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const forger = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    merchant.setReply((request, index) => ({ body: signAck(JSON.parse(request.body).number, index === 0 ? forger : privateKey) }));
    await post('/toy/vouchers', { merchantId: 'T1', number: 'V-9', amount: 1, notifyUrl: `${merchant.url}/voucher` });
    await sim.advance(60 + 10);
    const [notification] = await sim.get('/_sim/notifications?provider=toy');
    expect(notification.attempts.map((a: { verdict: string }) => a.verdict)).toEqual(['rejected', 'acked']);
    expect(notification.status).toBe('delivered');
  });
});

describe('bytes and charsets', () => {
  it('a GBK form carrying Chinese reaches the handler and the journal intact, and is answered in GBK', async () => {
    const body = Buffer.concat([Buffer.from('charset=GBK&name='), Buffer.from(iconv.encode('张三', 'gbk').toString('hex').replace(/(..)/g, '%$1'))]);
    const response = await fetch(`${sim.url}/toy/gbk`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(response.headers.get('content-type')).toBe('text/plain; charset=GBK');
    const reply = Buffer.from(await response.arrayBuffer());
    expect(reply).toEqual(iconv.encode('你好，张三', 'gbk'));

    const [entry] = await sim.get('/_sim/requests?provider=toy');
    expect(entry).toMatchObject({ requestCharset: 'GBK', responseCharset: 'GBK', responseBody: '你好，张三' });
    expect(entry.requestBody).toBe(body.toString('latin1'));
  });

  it('raw GBK bytes (not percent-encoded) are kept as bytes and shown decoded', async () => {
    const body = Buffer.concat([Buffer.from('charset=GBK&name='), iconv.encode('李四', 'gbk')]);
    const response = await fetch(`${sim.url}/toy/gbk`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=GBK' }, body });
    expect(iconv.decode(Buffer.from(await response.arrayBuffer()), 'gbk')).toBe('你好，李四');
    const [entry] = await sim.get('/_sim/requests?provider=toy');
    expect(entry.requestBody).toBe('charset=GBK&name=李四');
  });
});

describe('deferred refunds', () => {
  it('a refund accepted now succeeds on simulated time, moves the order and is notified', async () => {
    await post('/toy/orders', { orderNo: 'O-1', amount: 1000, notifyUrl: `${merchant.url}/order` });
    await sim.post('/_sim/orders/toy/O-1/pay');
    const refund = await post('/toy/refunds', { orderNo: 'O-1', refundNo: 'R-1', amount: 400 });
    expect(refund.body).toEqual({ refundNo: 'R-1', state: 'accepted', orderState: 'paid' });
    // A second refund cannot take more than what is left once the first is reserved.
    const over = await post('/toy/refunds', { orderNo: 'O-1', refundNo: 'R-2', amount: 601 });
    expect(over).toEqual({ status: 400, body: { error: 'REFUND_EXCEEDS' } });

    await sim.advance(29);
    expect((await sim.get('/_sim/records?kind=refund'))[0]).toMatchObject({ number: 'R-1', state: 'accepted', orderNo: 'O-1' });
    await sim.advance(1);
    expect((await sim.get('/_sim/records?kind=refund'))[0].state).toBe('succeeded');
    const [order] = await sim.get('/_sim/orders?provider=toy');
    expect(order).toMatchObject({ state: 'partially_refunded', refundedAmount: 400 });
    expect(merchant.received.map((r) => JSON.parse(r.body))).toEqual([{ refundNo: 'R-1', orderNo: 'O-1', state: 'succeeded' }]);
  });

  it('magic amount 2003 fails a refund and gives the amount back to the order', async () => {
    await post('/toy/orders', { orderNo: 'O-2', amount: 5000 });
    await sim.post('/_sim/orders/toy/O-2/pay');
    const refund = await post('/toy/refunds', { orderNo: 'O-2', refundNo: 'R-3', amount: 2003 });
    expect(refund.body.state).toBe('failed');
    const [order] = await sim.get('/_sim/orders?provider=toy&orderNo=O-2');
    expect(order).toMatchObject({ state: 'paid', refundedAmount: 0 });
    await sim.advance(60);
    expect((await sim.get('/_sim/records?kind=refund'))[0].state).toBe('failed');
  });
});
