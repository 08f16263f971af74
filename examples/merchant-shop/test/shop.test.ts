import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aggpay, mmsp, startSandbox, type RunningSandbox } from 'cn-pay-sandbox';
import { startShop, type Shop } from '../src/shop.js';

/**
 * The shop against the sandbox, in process, through the testkit: the happy
 * paths, and every failure the magic amounts script (2001 AA then paid, 2002
 * closed at expiry, 2003 failed, 2004 system error resolved by querying), and
 * a forged notification.
 */
let sandbox: RunningSandbox;
let shop: Shop;
let mmspKey: string;
let aggSecret: string;
let sequence = 0;
const orderNo = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${(sequence++).toString(36)}`.slice(0, 20);

beforeAll(async () => {
  sandbox = await startSandbox({ clockStart: '2026-03-01T10:00:00+08:00' });
  const m = await sandbox.merchant('mmsp');
  const a = await sandbox.merchant('aggpay');
  mmspKey = m.md5Key!;
  aggSecret = a.md5Key!;
  shop = await startShop({
    mmsp: { gateway: sandbox.url, merchantId: m.merchantId, terminalId: m.terminalId!, key: mmspKey },
    aggpay: { gateway: sandbox.url, appid: a.merchantId, secret: aggSecret },
  });
});
afterAll(async () => {
  await shop.close();
  await sandbox.stop();
});
beforeEach(() => sandbox.reset());

/** Runs `test` with magic amount 2004 for order numbers NOPUSH… minus its notification. */
async function withoutPush(test: () => Promise<void>) {
  await sandbox.scenarios.add({
    id: 'shop-2004-no-push',
    description: 'magic-2004-system-error, not notified',
    match: { amount: 2004, orderNo: '^NOPUSH' },
    steps: [
      { do: 'respond', outcome: 'error' },
      { do: 'fail-queries', times: 1 },
      { do: 'become', state: 'paid', after: 0 },
      { do: 'notify', mode: 'skip' },
    ],
  });
  try {
    await test();
  } finally {
    await sandbox.scenarios.remove('shop-2004-no-push');
  }
}

/** Every request the shop sent was accepted as correctly signed. */
async function signaturesAccepted() {
  const requests = await sandbox.requests();
  expect(requests.length).toBeGreaterThan(0);
  // A refused signature leaves its note in the journal: "expected Sign … over: …".
  expect(requests.filter((r) => /^expected sign/i.test(r.note ?? ''))).toEqual([]);
}

describe('MMSP scan pay', () => {
  it('QR code: the payer pays, the push is verified and acknowledged with SUCCESS', async () => {
    const no = orderNo('QR');
    const order = await shop.checkoutQr(no, 1500);
    expect(order).toMatchObject({ state: 'awaiting_payment', payUrl: expect.stringContaining(`${sandbox.url}/pay/mmsp/`) });

    await sandbox.pay('mmsp', no);
    await sandbox.advance(0);
    expect(shop.order(no)).toMatchObject({ state: 'paid', paidBy: 'notification' });
    const [notification] = await sandbox.notifications({ orderNo: no });
    expect(notification).toMatchObject({ status: 'delivered', attempts: [{ verdict: 'acked', replyBody: 'SUCCESS' }] });
    // The push the shop accepted is the one the testkit's helper verifies too.
    expect(mmsp.verifyNotification(notification!.attempts[0]!.requestBody, mmspKey).valid).toBe(true);
    await signaturesAccepted();
  });

  it('micropay paid at once needs no push', async () => {
    const no = orderNo('MP');
    expect(await shop.payWithCode(no, 800, '134567890123456789')).toMatchObject({ state: 'paid', paidBy: 'answer' });
    await sandbox.advance(60);
    expect(await sandbox.notifications({ orderNo: no })).toEqual([]);
  });

  it('2001: AA (用户支付中) is queried, not failed; paid 60 s later and pushed', async () => {
    const no = orderNo('AA');
    expect(await shop.payWithCode(no, 2001, '134567890123456789')).toMatchObject({ state: 'paying', reason: expect.stringMatching(/^AA/) });
    expect((await shop.reconcile(no)).state).toBe('paying');
    await sandbox.advance(60);
    expect(shop.order(no)?.state).toBe('paid');
    expect((await shop.reconcile(no)).state).toBe('paid');
    expect((await sandbox.notifications({ orderNo: no }))[0]?.status).toBe('delivered');
  });

  it('2002: pending until the order expires, then D4 is a closed order', async () => {
    const no = orderNo('D4');
    expect((await shop.checkoutQr(no, 2002)).state).toBe('awaiting_payment');
    expect((await shop.reconcile(no)).state).toBe('paying');
    await sandbox.advance(5 * 60);
    expect(await shop.reconcile(no)).toMatchObject({ state: 'closed', reason: 'D4 订单已关闭' });
    expect((await sandbox.order('mmsp', no))?.state).toBe('closed');
  });

  it('2003: the payment fails', async () => {
    const no = orderNo('FL');
    expect(await shop.payWithCode(no, 2003, '134567890123456789')).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^51/) });
  });

  it('2004: a system error is resolved by querying — the first query fails too, the second shows it paid', async () => {
    // 2004 as it is, less its push, so that only the queries can tell the shop (the push would race them).
    await withoutPush(async () => {
      const no = orderNo('NOPUSH');
      expect(await shop.payWithCode(no, 2004, '134567890123456789')).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/-9999/) });
      expect((await shop.reconcile(no)).state).toBe('unknown');
      expect(await shop.reconcile(no)).toMatchObject({ state: 'paid', paidBy: 'query' });
    });
  });

  it('2004 with its push: paid, whether the push or the query tells the shop first', async () => {
    const no = orderNo('SE');
    expect((await shop.payWithCode(no, 2004, '134567890123456789')).state).not.toBe('failed');
    await sandbox.advance(0);
    await shop.reconcile(no);
    expect((await shop.reconcile(no)).state).toBe('paid');
    expect((await sandbox.notifications({ orderNo: no }))[0]?.status).toBe('delivered');
  });

  it('a push with a wrong signature is refused; the shop learns the truth by querying', async () => {
    await sandbox.scenarios.add({ id: 'shop-forged', match: { provider: 'mmsp', orderNo: '^FORGE' }, steps: [{ do: 'notify', mode: 'wrong-signature' }] });
    try {
      const no = orderNo('FORGE');
      await shop.checkoutQr(no, 990);
      await sandbox.pay('mmsp', no);
      await sandbox.advance(60);
      const [notification] = await sandbox.notifications({ orderNo: no });
      expect(notification!.wrongSignature).toBe(true);
      expect(notification!.attempts.map((a) => a.verdict)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
      expect(shop.order(no)?.state).toBe('awaiting_payment');
      expect(await shop.reconcile(no)).toMatchObject({ state: 'paid', paidBy: 'query' });
    } finally {
      await sandbox.scenarios.remove('shop-forged');
    }
  });
});

describe('the aggregated pay platform', () => {
  it('the payer pays on the cashier page; the notification is verified and acknowledged', async () => {
    const no = orderNo('AG');
    expect(await shop.checkoutAggpay(no, 10000)).toMatchObject({ state: 'awaiting_payment', payUrl: expect.stringContaining('/pay/aggpay/') });
    await sandbox.pay('aggpay', no);
    await sandbox.advance(0);
    expect(shop.order(no)).toMatchObject({ state: 'paid', paidBy: 'notification' });
    const [notification] = await sandbox.notifications({ orderNo: no });
    expect(notification).toMatchObject({ status: 'delivered', attempts: [{ verdict: 'acked' }] });
    expect(aggpay.verifyNotification(notification!.attempts[0]!.requestBody, aggSecret)).toMatchObject({ valid: true, fields: { pay_status: '1' } });
    await signaturesAccepted();
  });

  it('2001: pay_status -1, then paid and notified 60 s later', async () => {
    const no = orderNo('AGP');
    expect((await shop.checkoutAggpay(no, 2001)).state).toBe('awaiting_payment');
    expect((await shop.reconcile(no)).state).toBe('awaiting_payment');
    await sandbox.advance(60);
    expect(shop.order(no)?.state).toBe('paid');
  });

  it('2003: the failure is answered and notified, and acknowledged', async () => {
    const no = orderNo('AGF');
    expect((await shop.checkoutAggpay(no, 2003)).state).toBe('failed');
    await sandbox.advance(0);
    expect((await sandbox.notifications({ orderNo: no }))[0]).toMatchObject({ status: 'delivered' });
    expect(shop.order(no)?.state).toBe('failed');
  });

  it('2004: 系统繁忙 is resolved by querying — the first query fails too, the second shows it paid', async () => {
    await withoutPush(async () => {
      const no = orderNo('NOPUSHAG');
      expect(await shop.checkoutAggpay(no, 2004)).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/系统繁忙/) });
      expect((await shop.reconcile(no)).state).toBe('unknown');
      expect(await shop.reconcile(no)).toMatchObject({ state: 'paid', paidBy: 'query' });
    });
  });
});
