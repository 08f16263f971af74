import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import type { Received } from './support/merchant.js';
import { ackPage, CARDS, loadKeys, plain, quickPay, rsaVerify, umpayClient, type UmpayClient, type UmpayKeys } from './support/umpay.js';

const { sim, merchant } = useSandbox({ env: { NOTIFY_TIMEOUT_MS: '5000' }, resetEach: true });
let keys: UmpayKeys;
let client: UmpayClient;
let quick: ReturnType<typeof quickPay>;

beforeAll(async () => {
  keys = await loadKeys(sim.get);
  client = umpayClient(sim.url, keys);
  quick = quickPay(client, sim);
});

/** A notification as the merchant reads it: the query string decoded in its charset, its sign checked over GBK. */
function read(received: Received) {
  const query = received.path.slice(received.path.indexOf('?') + 1);
  const pairs = query.split('&').map((pair) => pair.split('=') as [string, string]);
  const charset = decodeURIComponent(pairs.find(([k]) => k === 'charset')?.[1] ?? 'UTF-8');
  const decode = (v: string) => iconv.decode(Buffer.from(v.replace(/\+/g, ' ').replace(/%([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1'), charset);
  const fields: Record<string, string> = Object.fromEntries(pairs.map(([k, v]) => [k, decode(v ?? '')]));
  return { method: received.method, path: received.path, fields, signValid: rsaVerify(iconv.encode(plain(fields), 'gbk'), fields.sign!, keys.platformCertificate) };
}

/** The merchant's correct answer to a notification (the SDKs' responseUMFMap). */
const ackFor = (fields: Record<string, string>, options: Parameters<typeof ackPage>[2] = {}) =>
  ackPage({ mer_date: fields.mer_date!, mer_id: fields.mer_id!, order_id: fields.order_id!, ret_code: '0000', ret_msg: 'success', version: '4.0' }, keys.merchantPrivateKey, options);

const notificationsOf = async (orderNo: string) => sim.get(`/_sim/notifications?provider=umpay&orderNo=${encodeURIComponent(orderNo)}`);

describe('支付结果通知', () => {
  it('GETs notify_url (its own query kept) with the trade, signed over GBK', async () => {
    merchant.setReply((request) => ({ body: ackFor(read(request).fields) }));
    const paid = await quick.pay(CARDS.icbcDebit, { notify_url: `${merchant.url}/umpay/notify?shop=7`, amount: '2500', mer_priv: '私有', goods_id: 'G100' });
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
    const notification = read(merchant.received[0]!);
    expect(notification.method).toBe('GET');
    expect(notification.path).toMatch(/^\/umpay\/notify\?shop=7&/);
    expect(notification.signValid).toBe(true);
    expect(notification.fields).toMatchObject({
      service: 'pay_result_notify',
      charset: 'UTF-8',
      version: '4.0',
      sign_type: 'RSA',
      mer_id: '60000100',
      trade_no: paid.trade_no,
      order_id: paid.order_id,
      mer_date: paid.mer_date,
      pay_date: paid.mer_date,
      settle_date: paid.mer_date,
      amount: '2500',
      amt_type: 'RMB',
      pay_type: 'DEBITCARD',
      gate_id: 'ICBC',
      trade_state: 'TRADE_SUCCESS',
      error_code: '0000',
      mer_priv: '私有',
      goods_id: 'G100',
      media_id: '13800138000',
      media_type: 'MOBILE',
      last_four_cardid: '9630',
      identity_type: 'IDENTITY_CARD',
      identity_code: '110105********1239',
      card_holder: '*三',
    });
    expect(notification.fields.pay_seq).toMatch(/^\d{20}$/);
    const [record] = await notificationsOf(paid.orderNo);
    expect(record).toMatchObject({ status: 'delivered', channel: 'pay_result_notify', attempts: [{ verdict: 'acked', method: 'GET' }] });
  });

  it('an order placed in GBK is notified in GBK, still signed over GBK', async () => {
    merchant.setReply((request) => ({ body: ackFor(read(request).fields) }));
    const placed = await quick.place(CARDS.icbcDebit, { notify_url: `${merchant.url}/n`, mer_priv: '中文私有域' }, { charset: 'GBK' });
    await quick.sms(CARDS.icbcDebit, placed);
    await quick.confirm(CARDS.icbcDebit, placed);
    await sim.advance(0);
    expect(merchant.received[0]!.path).toContain('mer_priv=%D6%D0%CE%C4');
    const notification = read(merchant.received[0]!);
    expect(notification.fields).toMatchObject({ charset: 'GBK', mer_priv: '中文私有域', card_holder: '*三' });
    expect(notification.signValid).toBe(true);
  });

  it('without notify_url nothing is sent', async () => {
    await quick.pay(CARDS.icbcDebit);
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(0);
    expect(await sim.get('/_sim/notifications?provider=umpay')).toEqual([]);
  });

  it('retries at 0, 1, 5, 15, 30 and 60 minutes until a valid answer, then stops', async () => {
    merchant.setReply(() => ({ body: 'SUCCESS' }));
    const paid = await quick.pay(CARDS.icbcDebit, { notify_url: `${merchant.url}/n` });
    await sim.advance(24 * 3600);
    const [notification] = await notificationsOf(paid.orderNo);
    expect(notification.status).toBe('exhausted');
    const times = notification.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect(times.map((t: number) => (t - times[0]) / 60_000)).toEqual([0, 1, 5, 15, 30, 60]);
    expect(merchant.received).toHaveLength(6);
  });

  it('stops at the first valid answer', async () => {
    merchant.setReply((request, index) => ({ body: index < 2 ? 'fail' : ackFor(read(request).fields) }));
    const paid = await quick.pay(CARDS.icbcDebit, { notify_url: `${merchant.url}/n` });
    await sim.advance(3600);
    const [notification] = await notificationsOf(paid.orderNo);
    expect(notification.attempts.map((a: { verdict: string }) => a.verdict)).toEqual(['rejected', 'rejected', 'acked']);
  });

  it('judges the answer as UMPay would: a META the merchant signed, ret_code 0000, this order', async () => {
    const other = await loadKeys(sim.get, '60000200');
    const cases: [string, (fields: Record<string, string>) => { status?: number; body: string }, 'acked' | 'rejected'][] = [
      ['"/> ending', (f) => ({ body: ackFor(f, { terminator: '"/>' }) }), 'acked'],
      ['"> ending', (f) => ({ body: ackFor(f, { terminator: '">' }) }), 'acked'],
      ['bare META, no html', (f) => ({ body: /<META[^>]+>/.exec(ackFor(f))![0] }), 'acked'],
      ['signed over GBK bytes (Java SDK)', (f) => ({ body: ackFor(f, { encoding: 'gbk' }) }), 'acked'],
      [
        'Chinese ret_msg signed and sent in UTF-8',
        (f) => ({ body: ackPage({ mer_id: f.mer_id!, order_id: f.order_id!, mer_date: f.mer_date!, ret_code: '0000', ret_msg: '成功', version: '4.0' }, keys.merchantPrivateKey) }),
        'acked',
      ],
      ['without order_id and mer_date (the PHP demo)', (f) => ({ body: ackPage({ mer_id: f.mer_id!, ret_code: '0000', ret_msg: 'success', version: '4.0' }, keys.merchantPrivateKey) }), 'acked'],
      ['plain SUCCESS', () => ({ body: 'SUCCESS' }), 'rejected'],
      ['the content without its META', (f) => ({ body: /CONTENT="([^"]+)"/.exec(ackFor(f))![1]! }), 'rejected'],
      ['lower-case content=', (f) => ({ body: ackFor(f).replace('CONTENT=', 'content=') }), 'rejected'],
      ['unsigned', (f) => ({ body: `<META NAME="MobilePayPlatform" CONTENT="mer_id=${f.mer_id}&ret_code=0000&ret_msg=success&version=4.0">` }), 'rejected'],
      ['signed with another key', (f) => ({ body: ackPage({ mer_id: f.mer_id!, ret_code: '0000', ret_msg: 'success', version: '4.0' }, other.merchantPrivateKey) }), 'rejected'],
      ['ret_code 1111 (verification failed)', (f) => ({ body: ackPage({ mer_id: f.mer_id!, ret_code: '1111', ret_msg: 'fail', version: '4.0' }, keys.merchantPrivateKey) }), 'rejected'],
      ['another order', (f) => ({ body: ackPage({ mer_id: f.mer_id!, order_id: 'OTHER', mer_date: f.mer_date!, ret_code: '0000', ret_msg: 'success', version: '4.0' }, keys.merchantPrivateKey) }), 'rejected'],
      ['a field changed after signing', (f) => ({ body: ackFor(f).replace('ret_msg=success', 'ret_msg=SUCCESS') }), 'rejected'],
      ['HTTP 500', (f) => ({ status: 500, body: ackFor(f) }), 'rejected'],
    ];
    for (const [label, reply, verdict] of cases) {
      merchant.setReply((request) => reply(read(request).fields));
      const paid = await quick.pay(CARDS.icbcDebit, { notify_url: `${merchant.url}/n` });
      await sim.advance(0);
      const [notification] = await notificationsOf(paid.orderNo);
      expect(notification.attempts[0].verdict, label).toBe(verdict);
    }
  });

  it('a scenario that forges the notification signs it with a key the merchant does not have', async () => {
    await sim.post('/_sim/scenarios', { id: 'umpay-forged', match: { provider: 'umpay', amount: 4321 }, steps: [{ do: 'notify', mode: 'wrong-signature' }] });
    try {
      await quick.pay(CARDS.icbcDebit, { notify_url: `${merchant.url}/n`, amount: '4321' });
      await sim.advance(0);
      expect(read(merchant.received[0]!).signValid).toBe(false);
    } finally {
      await sim.request('DELETE', '/_sim/scenarios/umpay-forged');
    }
  });
});

describe('退费结果通知', () => {
  it('notifies the refund to its notify_url once it succeeds; the answer needs no order fields', async () => {
    await sim.post('/_sim/merchants', {
      provider: 'umpay',
      merchantId: '60000100',
      publicKey: keys.merchantPublicKey,
      privateKey: keys.merchantPrivateKey,
      name: '联动优势测试商户',
      settings: { products: ['quick', 'h5'], sameDayRefund: true },
    });
    try {
      await quick.pay(CARDS.ccbDebit, { amount: '100000' });
      const paid = await quick.pay(CARDS.icbcDebit, { amount: '1000' });
      merchant.setReply((request) => {
        const fields = read(request).fields;
        return { body: ackPage({ mer_id: fields.mer_id!, ret_code: '0000', ret_msg: 'success', version: '4.0' }, keys.merchantPrivateKey) };
      });
      const answer = await client.call('mer_refund', {
        refund_no: 'RN1',
        order_id: paid.order_id,
        mer_date: paid.mer_date,
        org_amount: '1000',
        refund_amount: '400',
        notify_url: `${merchant.url}/refund`,
      });
      expect(answer.fields.refund_state).toBe('REFUND_PROCESS');
      await sim.advance(299);
      expect(merchant.received).toHaveLength(0);
      await sim.advance(1);
      expect(merchant.received).toHaveLength(1);
      const notification = read(merchant.received[0]!);
      expect(notification.path).toMatch(/^\/refund\?/);
      expect(notification.signValid).toBe(true);
      expect(notification.fields).toEqual({
        mer_id: '60000100',
        mer_date: paid.mer_date,
        order_id: paid.order_id,
        refund_no: 'RN1',
        refund_amt: '400',
        refund_state: 'REFUND_SUCCESS',
        error_code: '0000',
        version: '4.0',
        sign_type: 'RSA',
        sign: expect.any(String),
      });
      const all = await sim.get('/_sim/notifications?provider=umpay');
      expect(all.find((n: { channel: string }) => n.channel === 'refund_notify')).toMatchObject({ status: 'delivered' });
    } finally {
      await sim.post('/_sim/merchants', {
        provider: 'umpay',
        merchantId: '60000100',
        publicKey: keys.merchantPublicKey,
        privateKey: keys.merchantPrivateKey,
        name: '联动优势测试商户',
        settings: { products: ['quick', 'h5'] },
      });
    }
  });
});
