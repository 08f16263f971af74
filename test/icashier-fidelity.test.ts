import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { ICASHIER_KEY, ICASHIER_MERCHANT, icashierClient, sealValid, submitBody, unseal } from './support/icashier.js';

/**
 * What a merchant coding from the cashier document (seed 004) relies on:
 * 1002 means paid (§3.2.3), a failed query still names the order (§3.4.4),
 * and 2004 is a lost answer, not a respcode the document never defines.
 */
const { sim, merchant } = useSandbox({ ack: '0000', resetEach: true });
let client: ReturnType<typeof icashierClient>;

beforeAll(() => {
  client = icashierClient(sim.url);
});

async function submit(overrides: Record<string, unknown> = {}) {
  const message = submitBody(`${merchant.url}/back`, overrides);
  const response = await client.submit(message);
  return { orderid: String(message.orderid), queryid: response.headers.get('location')?.split('/').pop() ?? '' };
}

/** The sandbox clock in China time, as paytime is written (the clock carries on across tests). */
async function cstNow() {
  const { now } = await sim.get('/_sim/health');
  return new Date(Date.parse(now) + 8 * 3600 * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

const query = async (queryid: string) => (await client.query({ merid: ICASHIER_MERCHANT, queryid })).message;
const backNotifications = () =>
  merchant.received.map((r) => {
    const url = new URL(r.path, 'http://merchant');
    return unseal(url.searchParams.get('resp')!, url.searchParams.get('sign')!).message;
  });

describe('§3.2.3 / §3.4.4: 1002 is 交易处理中【已支付,结算到不可用帐户】 — paid', () => {
  it('an order nobody has paid is 1001 with paytime "", whether the payer is still paying (2001, 2002) or not', async () => {
    const plain = await submit();
    const paying = await submit({ txnamt: 2001 });
    const stuck = await submit({ txnamt: 2002 });
    for (const { queryid } of [plain, paying, stuck]) {
      expect(await query(queryid)).toMatchObject({ respcode: '00', resultcode: '1001', paytime: '' });
    }
    await sim.advance(30);
    expect(await query(paying.queryid)).toMatchObject({ resultcode: '1001', paytime: '' });
    expect(await query(stuck.queryid)).toMatchObject({ resultcode: '1001', paytime: '' });
    // Nothing is pushed for an unpaid order: there is nothing a merchant could ship on.
    expect(merchant.received).toHaveLength(0);
  });

  it('1002 appears only once paid and unsettled (2005), always with paytime, pushed; then 0000', async () => {
    const paytime = await cstNow();
    const { queryid } = await submit({ txnamt: 2005 });
    await sim.advance(0);
    expect(await query(queryid)).toMatchObject({ resultcode: '1002', paytime });
    expect(backNotifications()).toEqual([expect.objectContaining({ resultcode: '1002', paytime })]);
    await sim.advance(60);
    expect(await query(queryid)).toMatchObject({ resultcode: '0000', paytime });
  });
});

describe('§3.4.4: a failed query still carries queryid, txnamt, merid and orderid', () => {
  it('an unknown orderid echoes what was asked, txnamt null; signed with the merchant’s key', async () => {
    const reply = await client.query({ merid: ICASHIER_MERCHANT, orderid: 'UNKNOWN00001' });
    expect(reply.message).toEqual({
      respcode: '41',
      respmsg: '订单不存在：UNKNOWN00001',
      queryid: '',
      txnamt: null,
      merid: ICASHIER_MERCHANT,
      orderid: 'UNKNOWN00001',
    });
    expect(sealValid(reply, ICASHIER_KEY)).toBe(true);
  });

  it('a pre-error (unknown merchant) carries them too, with an empty sign', async () => {
    const reply = await client.query({ merid: '889999999999999', queryid: '20260301000000000001' }, 'some-other-key');
    expect(reply.message).toMatchObject({ respcode: '20', queryid: '20260301000000000001', txnamt: null, merid: '889999999999999', orderid: '' });
    expect(reply.sign).toBe('');
  });
});

describe('2004: the cashier has no system error, so the answer is lost', () => {
  it('the submit and the first query drop the connection; the second query shows 0000; the back notification is sent', async () => {
    const message = submitBody(`${merchant.url}/back`, { txnamt: 2004 });
    await expect(client.submit(message)).rejects.toThrow();
    await expect(client.query({ merid: ICASHIER_MERCHANT, orderid: message.orderid })).rejects.toThrow();
    const second = await client.query({ merid: ICASHIER_MERCHANT, orderid: message.orderid });
    expect(second.message).toMatchObject({ respcode: '00', resultcode: '0000', orderid: message.orderid });
    await sim.advance(0);
    expect(backNotifications()).toEqual([expect.objectContaining({ resultcode: '0000', orderid: message.orderid })]);
    const entries = (await sim.get(`/_sim/requests?provider=icashier&orderNo=${String(message.orderid)}`)) as { responseStatus: number }[];
    expect(entries.map((e) => e.responseStatus).reverse()).toEqual([444, 444, 200]);
  });
});
