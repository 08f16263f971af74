import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { aggClient, signed, unifiedParams } from './support/aggpay.js';

/** A scenario decides the outcome of the payer's action; only an explicit override changes that (README, Scenarios). */
const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof aggClient>;

beforeAll(() => {
  client = aggClient(sim.url);
});

async function order(amount: string) {
  const params = unifiedParams(`${merchant.url}/notify`, { amount });
  const { json } = await client.unified(signed(params));
  return { orderNo: params.order_no, payPage: new URL(json.data.redirect_url).pathname };
}

const stateOf = async (orderNo: string) => (await sim.get(`/_sim/orders?provider=aggpay&orderNo=${orderNo}`))[0].state;

describe('magic amount 2002 (pending until expiry)', () => {
  it('stays pending when the payer presses Pay on the admin API, and says why', async () => {
    const { orderNo } = await order('2002');
    const response = await fetch(`${sim.url}/_sim/orders/aggpay/${orderNo}/pay`, { method: 'POST' });
    expect(((await response.json()) as { state: string }).state).toBe('pending');
    expect(response.headers.get('x-sandbox-held')).toMatch(/magic-2002-pending-then-closed holds this order/);
    expect(merchant.received).toHaveLength(0);
    await sim.advance(24 * 3600);
    expect(await stateOf(orderNo)).toBe('closed');
  });

  it('stays pending when the payer presses Pay on the hosted page', async () => {
    const { orderNo, payPage } = await order('2002');
    await fetch(`${sim.url}${payPage}/pay`, { method: 'POST', redirect: 'manual' });
    expect(await stateOf(orderNo)).toBe('pending');
  });

  it('is paid when the operator forces it, and notified', async () => {
    const { orderNo } = await order('2002');
    expect((await sim.post(`/_sim/orders/aggpay/${orderNo}/pay`, { force: true })).state).toBe('paid');
    await sim.advance(1);
    expect(merchant.received).toHaveLength(1);
  });

  it('still closes at the operator close, which no scenario holds', async () => {
    const { orderNo } = await order('2002');
    expect((await sim.post(`/_sim/orders/aggpay/${orderNo}/close`)).state).toBe('closed');
  });
});

describe('magic amount 2001 (pending 60 s, then paid)', () => {
  it('the payer pressing Pay does not shorten the 60 s', async () => {
    const { orderNo, payPage } = await order('2001');
    await fetch(`${sim.url}${payPage}/pay`, { method: 'POST', redirect: 'manual' });
    await sim.advance(59);
    expect(await stateOf(orderNo)).toBe('pending');
    await sim.advance(1);
    expect(await stateOf(orderNo)).toBe('paid');
  });
});

describe('an order no scenario holds', () => {
  it('is paid by the payer at once', async () => {
    const { orderNo } = await order('10000');
    expect((await sim.post(`/_sim/orders/aggpay/${orderNo}/pay`)).state).toBe('paid');
  });
});
