import { describe, expect, it } from 'vitest';
import { platformOrderNo } from '../src/simulators/mmsp/scan/create.js';
import { useSandbox } from './support/harness.js';
import { mmspClient, prepayBody } from './support/mmsp.js';

/**
 * Platform numbers come from a persistent sequence inside the provider's documented format: a frozen clock (the CI
 * mode) never runs out of them, and there is no retry loop to fail (issue "Nothing stalls" §2b).
 */
const { sim, merchant } = useSandbox({ resetEach: true });

describe('platform order numbers under a frozen clock', () => {
  it('50,000 orders in one frozen second get 50,000 distinct 18-digit ORDERNOs', () => {
    const { payments, clock } = sim.sandbox;
    const numbers = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const { order } = payments.create({
        provider: 'mmsp',
        merchantId: '001440353999853',
        orderNo: `BULK${i}`,
        product: 'wechat.qr',
        amount: 100,
        notifyUrl: null,
        expiresAt: null,
        natural: 'awaiting',
        platformOrderNo,
      });
      numbers.add(order.platformOrderNo);
    }
    expect(numbers.size).toBe(50_000);
    expect([...numbers].every((no) => /^\d{18}$/.test(no))).toBe(true);
    expect(clock.now()).toBe(Date.parse('2026-03-01T02:00:00.000Z'));
  });

  it('through the real interface, in a frozen second, every order is placed (no [-9998])', async () => {
    const client = mmspClient(sim.url);
    const replies = await Promise.all(Array.from({ length: 300 }, () => client.send(2306, prepayBody(`${merchant.url}/n`))));
    expect(replies.every((reply) => reply.RetCode === 1 && reply.Body.STATUS === '1')).toBe(true);
    expect(new Set(replies.map((reply) => reply.Body.ORDERNO)).size).toBe(300);
  });

  it('a reset does not hand a number out twice', async () => {
    const client = mmspClient(sim.url);
    const first = (await client.send(2306, prepayBody(`${merchant.url}/n`))).Body.ORDERNO;
    await sim.post('/_sim/reset');
    const second = (await client.send(2306, prepayBody(`${merchant.url}/n`))).Body.ORDERNO;
    expect(second).not.toBe(first);
  });
});
