import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { MMSP_MERCHANT, MMSP_TERMINAL } from './support/mmsp.js';
import { cardPayBody, merchantSign, quickClient, quickEnvelope, type Card } from './support/mmsp-quick.js';

/**
 * 快捷 §5.5.3 / 网关 §5.2.3: "失败或异常后的约1秒，约5秒，约10秒，约30秒、约90秒、约180秒和300秒共发起7次":
 * the first attempt at once, then 7 retries after those gaps.
 */
const OFFSETS = [0, 1, 6, 16, 46, 136, 316, 616];

const { sim, merchant } = useSandbox({ env: { NOTIFY_TIMEOUT_MS: '5000' }, resetEach: true });
let client: ReturnType<typeof quickClient>;
let cards: Card[];

beforeAll(async () => {
  client = quickClient(sim.url);
  cards = await sim.get('/_sim/cards');
});

const notificationsOf = async (orderNo: string) => sim.get(`/_sim/notifications?provider=mmsp&orderNo=${orderNo}`);

/** A quick payment confirmed with its code. */
async function paidQuickOrder(c: Card = cards.find((card) => card.behaviour === 'ok' && card.type === 'debit')!) {
  const request = cardPayBody(c, `${merchant.url}/notify`);
  const placed = await client.send(771, request);
  const [order] = await sim.get(`/_sim/orders?provider=mmsp&orderNo=${request.MERORDERID}`);
  await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: order.smsCode });
  return request.MERORDERID;
}

/** A gateway payment: the web_api form, then Pay on the bank page. */
async function paidGatewayOrder() {
  const body = { MERORDERID: `G${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, AMT: '666', NOTIFY_URL: `${merchant.url}/gw`, JUMP_URL: 'https://shop.example/return', PAY_CHANNEL: 'YLBILL-NET-B2C', GOODSNAME: 'product' };
  const form = new URLSearchParams({ web_api: JSON.stringify(quickEnvelope(2322, body)) });
  const submitted = await fetch(`${sim.url}/mmsp/gateway`, { method: 'POST', body: form, redirect: 'manual' });
  await fetch(`${submitted.headers.get('location')}/pay`, { method: 'POST', redirect: 'manual' });
  return body.MERORDERID;
}

describe('the quick-pay notification (5.5)', () => {
  it('is the example’s envelope: CommandID 35104, signed Body with PUSH_COUNT, the masked card, CARDTYPE and BANK_NAME', async () => {
    const credit = cards.find((card) => card.behaviour === 'ok' && card.type === 'credit')!;
    const orderNo = await paidQuickOrder(credit);
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
    const [push] = merchant.received;
    expect(push!.method).toBe('POST');
    expect(push!.headers['content-type']).toContain('application/json');
    const envelope = JSON.parse(push!.body);
    expect(envelope).toMatchObject({ CommandID: 35104, NodeID: 'openplat', RetCode: 1, MERNO: MMSP_MERCHANT, TERMNO: MMSP_TERMINAL, SeqID: 1 });
    expect(envelope.Sign).toBe(merchantSign(envelope.Body));
    const [order] = await sim.get(`/_sim/orders?provider=mmsp&orderNo=${orderNo}`);
    expect(envelope.Body).toEqual({
      STATUS: '1',
      LIST_ID: order.platformOrderNo,
      MERORDERID: orderNo,
      PAY_DATE: expect.stringMatching(/^\d{14}$/),
      NOTIFY_DATE: expect.stringMatching(/^\d{14}$/),
      AMT: '1234',
      CARDNO: `${credit.number.slice(0, 6)}******${credit.number.slice(-4)}`,
      CARDTYPE: '2',
      BANK_NAME: credit.bank,
      PUSH_COUNT: 1,
    });
  });

  it('retries at 0, 1, 6, 16, 46, 136, 316 and 616 s when never acknowledged, then never again; PUSH_COUNT counts', async () => {
    merchant.setReply(() => ({ body: 'FAIL' }));
    const orderNo = await paidQuickOrder();
    await sim.advance(3600);
    const [notification] = await notificationsOf(orderNo);
    expect(notification.status).toBe('exhausted');
    expect(notification.channel).toBe('quick.pay');
    const times = notification.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect(times.map((t: number) => (t - times[0]) / 1000)).toEqual(OFFSETS);
    expect(merchant.received).toHaveLength(8);
    const bodies = merchant.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.Body.PUSH_COUNT)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(bodies.every((b) => b.Sign === merchantSign(b.Body))).toBe(true);
    // NOTIFY_DATE is the attempt's time; PAY_DATE stays.
    expect(new Set(bodies.map((b) => b.Body.NOTIFY_DATE)).size).toBeGreaterThan(1);
    expect(new Set(bodies.map((b) => b.Body.PAY_DATE)).size).toBe(1);

    await sim.advance(7 * 24 * 3600);
    expect(merchant.received).toHaveLength(8);
  });

  it('stops at a reply that starts with SUCCESS, in any case', async () => {
    merchant.setReply((_request, index) => ({ body: index < 2 ? 'FAIL' : 'success: thanks' }));
    const orderNo = await paidQuickOrder();
    await sim.advance(3600);
    const [notification] = await notificationsOf(orderNo);
    expect(notification.status).toBe('delivered');
    expect(notification.attempts.map((a: { verdict: string }) => a.verdict)).toEqual(['rejected', 'rejected', 'acked']);
    expect(merchant.received).toHaveLength(3);
  });

  it('judges a reply as the document does: it must start with SUCCESS (any case), with a 2xx status', async () => {
    const cases: [number, string, string][] = [
      [200, 'SUCCESS', 'acked'],
      [200, 'success', 'acked'],
      [200, 'Success, received', 'acked'],
      [200, '\nSUCCESS', 'acked'],
      [200, 'OK SUCCESS', 'rejected'],
      [200, 'FAIL', 'rejected'],
      [200, '', 'rejected'],
      [500, 'SUCCESS', 'rejected'],
    ];
    for (const [status, body, verdict] of cases) {
      merchant.setReply(() => ({ status, body }));
      const orderNo = await paidQuickOrder();
      await sim.advance(0);
      const [notification] = await notificationsOf(orderNo);
      expect(notification.attempts[0].verdict, `${status} ${JSON.stringify(body)}`).toBe(verdict);
    }
  });

  it('is not sent for a failed or closed order', async () => {
    const declined = cards.find((card) => card.behaviour === 'declined')!;
    const orderNo = await paidQuickOrder(declined);
    const open = cardPayBody(cards[0]!, `${merchant.url}/notify`);
    await client.send(771, open);
    await sim.advance(3600);
    expect(await notificationsOf(orderNo)).toEqual([]);
    expect(await notificationsOf(open.MERORDERID)).toEqual([]);
    expect(merchant.received).toHaveLength(0);
  });
});

describe('agent mode (快捷 §3.1 "密钥使用优先级是使用代理商的密钥")', () => {
  it('signs the answers and the notification with the agent’s key', async () => {
    const agent = { provider: 'mmsp', merchantId: '001440300000077', terminalId: '84970077', md5Key: 'a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4', name: '代理商' };
    await sim.post('/_sim/merchants', agent);
    // An agent acts only for the merchants configured under it (settings.agentNo, README).
    const [own] = (await sim.get('/_sim/merchants?provider=mmsp')).filter((m: { merchantId: string }) => m.merchantId === MMSP_MERCHANT);
    await sim.post('/_sim/merchants', { ...own, source: undefined, createdAt: undefined, settings: { ...own.settings, agentNo: agent.merchantId } });
    const debit = cards.find((card) => card.behaviour === 'ok' && card.type === 'debit')!;
    const request = cardPayBody(debit, `${merchant.url}/agent`);
    const header = { AGENTNO: agent.merchantId };
    const placed = await client.send(771, request, header, agent.md5Key);
    expect(placed.Body.STATUS).toBe('0');
    expect(placed.Sign).toBe(merchantSign(placed.Body, agent.md5Key));
    const [order] = await sim.get(`/_sim/orders?provider=mmsp&orderNo=${request.MERORDERID}`);
    expect(order.merchantId).toBe(MMSP_MERCHANT);
    await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: order.smsCode }, header, agent.md5Key);
    await sim.advance(0);
    const envelope = JSON.parse(merchant.received[0]!.body);
    expect(envelope).toMatchObject({ AGENTNO: agent.merchantId, MERNO: MMSP_MERCHANT });
    expect(envelope.Sign).toBe(merchantSign(envelope.Body, agent.md5Key));
  });
});

describe('the gateway notification (网关 5.2)', () => {
  it('has the quick-pay cadence and acknowledgement', async () => {
    merchant.setReply(() => ({ body: 'no' }));
    const orderNo = await paidGatewayOrder();
    await sim.advance(3600);
    const [notification] = await notificationsOf(orderNo);
    expect(notification).toMatchObject({ status: 'exhausted', channel: 'gateway.pay' });
    const times = notification.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect(times.map((t: number) => (t - times[0]) / 1000)).toEqual(OFFSETS);
    await sim.advance(24 * 3600);
    expect(merchant.received).toHaveLength(8);

    merchant.setReply(() => ({ body: 'SUCCESS' }));
    merchant.received.length = 0;
    const acked = await paidGatewayOrder();
    await sim.advance(3600);
    const [delivered] = await notificationsOf(acked);
    expect(delivered.status).toBe('delivered');
    expect(merchant.received).toHaveLength(1);
    const envelope = JSON.parse(merchant.received[0]!.body);
    expect(envelope.CommandID).toBe(35104);
    expect(envelope.Sign).toBe(merchantSign(envelope.Body));
    expect(envelope.Body).toMatchObject({ STATUS: '1', MERORDERID: acked, AMT: '666', GOODSNAME: 'product', PAY_CHANNEL: 'YLBILL-NET-B2C' });
  });
});
