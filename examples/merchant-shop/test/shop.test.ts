import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aggpay, mmsp, startSandbox, umpay, type RunningSandbox } from 'cn-pay-sandbox';
import { startShop, type Payee, type Shop, type UmpayCard } from '../src/shop.js';

/**
 * The shop against the sandbox, in process, through the testkit: the happy
 * paths, and every failure the magic amounts script (2001 AA then paid, 2002
 * closed at expiry, 2003 failed, 2004 system error resolved by querying), and
 * a forged notification — for MMSP scan pay, the aggregated platform, UMPay
 * quick pay and MMSP payouts.
 */
let sandbox: RunningSandbox;
let shop: Shop;
let mmspKey: string;
let aggSecret: string;
let payoutKeys: { merchantId: string; merchantPrivateKey: string; platformPublicKey: string };
let umpayKeys: { merId: string; merchantPrivateKey: string; platformCertificate: string };
let sequence = 0;
const orderNo = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${(sequence++).toString(36)}`.slice(0, 20);

beforeAll(async () => {
  sandbox = await startSandbox({ clockStart: '2026-03-01T10:00:00+08:00' });
  const m = await sandbox.merchant('mmsp');
  const a = await sandbox.merchant('aggpay');
  const u = await sandbox.merchant('umpay');
  const keys = await sandbox.keys();
  mmspKey = m.md5Key!;
  aggSecret = a.md5Key!;
  // The payout merchant is MMSP's test merchant, with the RSA pair the sandbox generated for it.
  payoutKeys = { merchantId: m.merchantId, merchantPrivateKey: m.privateKey!, platformPublicKey: keys.platform.mmsp!.publicKey };
  umpayKeys = { merId: u.merchantId, merchantPrivateKey: u.privateKey!, platformCertificate: keys.platform.umpay!.certificate! };
  shop = await startShop({
    mmsp: { gateway: sandbox.url, merchantId: m.merchantId, terminalId: m.terminalId!, key: mmspKey },
    aggpay: { gateway: sandbox.url, appid: a.merchantId, secret: aggSecret },
    payout: { gateway: sandbox.url, ...payoutKeys },
    umpay: { gateway: sandbox.url, ...umpayKeys },
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

  it('2004: the answer is lost (the connection drops) though the order went through: queried — the first query fails too, the second shows it paid', async () => {
    // 2004 as it is, less its push, so that only the queries can tell the shop (the push would race them).
    // MMSP scan pay has no system-error answer (§11): the sandbox drops the connection (docs/providers/mmsp.md).
    await withoutPush(async () => {
      const no = orderNo('NOPUSH');
      expect(await shop.payWithCode(no, 2004, '134567890123456789')).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/query it$/) });
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

  it('2004: the answer is lost (the connection drops) though the order went through: queried — the first query fails too, the second shows it paid', async () => {
    // A lost answer, never a status "0" that would say "not ordered" (docs/providers/aggpay.md, magic amounts).
    await withoutPush(async () => {
      const no = orderNo('NOPUSHAG');
      expect(await shop.checkoutAggpay(no, 2004)).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/query it$/) });
      expect((await shop.reconcile(no)).state).toBe('unknown');
      expect(await shop.reconcile(no)).toMatchObject({ state: 'paid', paidBy: 'query' });
    });
  });
});

/** The shared test cards (GET /_sim/cards), as a payer types them. */
const ICBC: UmpayCard = { number: '6222021307418529630', holder: '张三', idNumber: '110105199003071239', mobile: '13800138000', bank: 'ICBC' };
const DECLINED: UmpayCard = { number: '6222600307418529639', holder: '周八', idNumber: '320102198701016785', mobile: '13400134000', bank: 'COMM' };

describe('UMPay quick pay', () => {
  /** The order's SMS code, as the payer reads it on the phone (the sandbox shows the open code). */
  async function smsCode(no: string) {
    const order = shop.order(no)!;
    return (await sandbox.order('umpay', `${no}:${order.merDate}`))!.smsCode!;
  }
  const umpayNotifications = async (no: string) => sandbox.notifications({ provider: 'umpay', orderNo: `${no}:${shop.order(no)!.merDate}` });

  it('order, SMS, confirm: paid; the notification is verified and acknowledged with the shop’s signed META', async () => {
    const no = orderNo('UM');
    expect(await shop.checkoutUmpay(no, 1200, ICBC)).toMatchObject({ state: 'awaiting_payment', reason: 'SMS code sent', platformOrderNo: expect.stringMatching(/^\d{16}$/) });
    expect(await shop.confirmUmpay(no, await smsCode(no))).toMatchObject({ state: 'paid', paidBy: 'answer' });
    await sandbox.advance(0);
    const [notification] = await umpayNotifications(no);
    expect(notification).toMatchObject({ status: 'delivered', attemptCount: 1, attempts: [{ verdict: 'acked', httpStatus: 200 }] });
    const attempt = notification!.attempts[0]!;
    // What the shop verified is what the testkit's helper verifies; what it answered is a META the platform's rule accepts.
    expect(umpay.verifyNotification(attempt.url, umpayKeys.platformCertificate)).toMatchObject({ valid: true, fields: { order_id: no, trade_state: 'TRADE_SUCCESS', amount: '1200' } });
    expect(attempt.replyBody).toMatch(/^<html><head><META NAME="MobilePayPlatform" CONTENT="mer_date=\d{8}&mer_id=60000100&order_id=[^&]+&ret_code=0000&ret_msg=success&sign_type=RSA&version=4\.0&sign=/);
    expect(await shop.reconcile(no)).toMatchObject({ state: 'paid' });
    await signaturesAccepted();
  });

  it('a wrong SMS code is refused and leaves the order open; the right one pays', async () => {
    const no = orderNo('UMW');
    await shop.checkoutUmpay(no, 300, ICBC);
    const code = await smsCode(no);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await shop.confirmUmpay(no, wrong)).toMatchObject({ state: 'awaiting_payment', reason: expect.stringMatching(/^00060700/) });
    expect((await shop.confirmUmpay(no, code)).state).toBe('paid');
  });

  it('a card element that does not match is refused before any code is sent', async () => {
    const no = orderNo('UME');
    expect(await shop.checkoutUmpay(no, 300, { ...ICBC, holder: '李四' })).toMatchObject({ state: 'awaiting_payment', reason: expect.stringMatching(/^00990021/) });
    expect((await sandbox.order('umpay', `${no}:${shop.order(no)!.merDate}`))!.smsCode).toBeUndefined();
  });

  it('a declined card fails at the confirm; the failure is notified and acknowledged', async () => {
    const no = orderNo('UMD');
    await shop.checkoutUmpay(no, 300, DECLINED);
    expect(await shop.confirmUmpay(no, await smsCode(no))).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^00990030/) });
    await sandbox.advance(0);
    expect((await umpayNotifications(no))[0]).toMatchObject({ status: 'delivered', attempts: [{ verdict: 'acked' }] });
  });

  it('2001: WAIT_BUYER_PAY (processing) is queried, not failed; paid and notified 60 s later', async () => {
    const no = orderNo('UMA');
    await shop.checkoutUmpay(no, 2001, ICBC);
    expect(await shop.confirmUmpay(no, await smsCode(no))).toMatchObject({ state: 'paying' });
    expect((await shop.reconcile(no)).state).toBe('paying');
    await sandbox.advance(60);
    expect(shop.order(no)).toMatchObject({ state: 'paid', paidBy: 'notification' });
  });

  it('2002: processing until the order expires (the shop’s 30 minutes), then closed; nothing notified', async () => {
    const no = orderNo('UMC');
    await shop.checkoutUmpay(no, 2002, ICBC);
    expect((await shop.confirmUmpay(no, await smsCode(no))).state).toBe('paying');
    await sandbox.advance(30 * 60);
    expect(await shop.reconcile(no)).toMatchObject({ state: 'closed', reason: 'TRADE_CLOSED' });
    expect(await umpayNotifications(no)).toEqual([]);
  });

  it('2003: the bank refuses (00990030, TRADE_FAIL): failed, notified and acknowledged', async () => {
    const no = orderNo('UMF');
    await shop.checkoutUmpay(no, 2003, ICBC);
    expect(await shop.confirmUmpay(no, await smsCode(no))).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^00990030/) });
    await sandbox.advance(0);
    expect((await umpayNotifications(no))[0]).toMatchObject({ status: 'delivered', attempts: [{ verdict: 'acked' }] });
  });

  it('2004: the confirm times out (504) though it paid; the first query too; the second shows it paid', async () => {
    await sandbox.scenarios.add({
      id: 'shop-umpay-2004-no-push',
      description: 'magic 2004 on the payment, not notified: only the queries can tell the shop',
      match: { provider: 'umpay', kind: 'payment', amount: 2004, orderNo: '^NOPUSH' },
      steps: [{ do: 'respond', outcome: 'error' }, { do: 'fail-queries', times: 1 }, { do: 'become', state: 'paid', after: 0 }, { do: 'notify', mode: 'skip' }],
    });
    try {
      const no = orderNo('NOPUSHUM');
      await shop.checkoutUmpay(no, 2004, ICBC);
      expect(await shop.confirmUmpay(no, await smsCode(no))).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/HTTP 504/) });
      expect((await shop.reconcile(no)).state).toBe('unknown');
      expect(await shop.reconcile(no)).toMatchObject({ state: 'paid', paidBy: 'query' });
    } finally {
      await sandbox.scenarios.remove('shop-umpay-2004-no-push');
    }
  });

  it('2004 with its notification: paid, whether the notification or the query tells the shop first', async () => {
    const no = orderNo('UMS');
    await shop.checkoutUmpay(no, 2004, ICBC);
    expect((await shop.confirmUmpay(no, await smsCode(no))).state).not.toBe('failed');
    await sandbox.advance(0);
    await shop.reconcile(no);
    expect((await shop.reconcile(no)).state).toBe('paid');
    expect((await umpayNotifications(no))[0]?.status).toBe('delivered');
  });

  it('a forged notification is refused (no signed META: UMPay retries); the shop learns the truth by querying', async () => {
    // The confirm's answer is lost (the connection drops), and every notification is signed with a key that is not UMPay's.
    await sandbox.scenarios.add({
      id: 'shop-umpay-forged',
      match: { provider: 'umpay', kind: 'payment', orderNo: '^FORGE' },
      steps: [{ do: 'http', on: 'create', drop: true }, { do: 'notify', mode: 'wrong-signature' }],
    });
    try {
      const no = orderNo('FORGEUM');
      await shop.checkoutUmpay(no, 800, ICBC);
      expect((await shop.confirmUmpay(no, await smsCode(no))).state).toBe('unknown');
      await sandbox.advance(60);
      const [notification] = await umpayNotifications(no);
      expect(notification!.wrongSignature).toBe(true);
      expect(notification!.attempts.map((a) => [a.verdict, a.httpStatus])).toEqual([['rejected', 400], ['rejected', 400]]);
      expect(umpay.verifyNotification(notification!.attempts[0]!.url, umpayKeys.platformCertificate).valid).toBe(false);
      expect(shop.order(no)?.state).toBe('unknown');
      expect(await shop.reconcile(no)).toMatchObject({ state: 'paid', paidBy: 'query' });
    } finally {
      await sandbox.scenarios.remove('shop-umpay-forged');
    }
  });
});

describe('MMSP payouts (代付)', () => {
  const PAYEE: Payee = { name: '张三', account: '6222021307418529630', bank: '中国工商银行', mobile: '13800138000' };
  /** A test card whose bank returns payouts (behaviour payout-fails). */
  const FROZEN_PAYEE: Payee = { name: '钱十一', account: '6212260307418529631', bank: '中国工商银行', mobile: '13100131000' };
  const FEE = 200;
  let serial = 0;
  const payoutNo = () => `${Date.now()}${(serial++).toString().padStart(4, '0')}`;

  it('submitted, paying, then paid: the balance reserves amount and fee, then debits them', async () => {
    const before = await shop.balance();
    const no = payoutNo();
    expect(await shop.payout(no, 10_000, PAYEE)).toMatchObject({ state: 'paying', bsOrderNo: expect.stringMatching(/^\d{16}$/) });
    expect(await shop.balance()).toEqual({ ...before, available: before.available - 10_000 - FEE, frozen: before.frozen + 10_000 + FEE });
    expect((await shop.reconcilePayout(no)).state).toBe('paying');
    await sandbox.advance(30);
    expect(await shop.reconcilePayout(no)).toMatchObject({ state: 'paid' });
    expect(await shop.balance()).toEqual({ ...before, available: before.available - 10_000 - FEE });
    const [record] = await sandbox.records('payout', { provider: 'mmsp' });
    expect(record).toMatchObject({ number: no, state: 'paid', amount: 10_000 });
    // Every request decrypted and verified: nothing refused in the journal.
    expect((await sandbox.requests({ provider: 'mmsp' })).filter((r) => /SIGN|ENCRYPT/.test(r.note ?? '') && r.responseStatus !== 200)).toEqual([]);
  });

  it('PAYSTATE 3 from the bank (a frozen account): failed, and the funds are back', async () => {
    const before = await shop.balance();
    const no = payoutNo();
    expect((await shop.payout(no, 5000, FROZEN_PAYEE)).state).toBe('paying');
    await sandbox.advance(30);
    expect(await shop.reconcilePayout(no)).toMatchObject({ state: 'failed', fundsBack: true, reason: expect.stringMatching(/^付款失败/) });
    expect(await shop.balance()).toEqual(before);
  });

  it('2001: paying for 60 s, then paid', async () => {
    const no = payoutNo();
    expect((await shop.payout(no, 2001, PAYEE)).state).toBe('paying');
    await sandbox.advance(30);
    expect((await shop.reconcilePayout(no)).state).toBe('paying');
    await sandbox.advance(30);
    expect((await shop.reconcilePayout(no)).state).toBe('paid');
  });

  it('2002: paying for ever; the funds stay frozen', async () => {
    const before = await shop.balance();
    const no = payoutNo();
    expect((await shop.payout(no, 2002, PAYEE)).state).toBe('paying');
    await sandbox.advance(24 * 3600);
    expect((await shop.reconcilePayout(no)).state).toBe('paying');
    expect((await shop.balance()).frozen).toBe(before.frozen + 2002 + FEE);
  });

  it('2003: PAYSTATE 3 at once: failed, the funds back on the balance', async () => {
    const before = await shop.balance();
    expect(await shop.payout(payoutNo(), 2003, PAYEE)).toMatchObject({ state: 'failed', fundsBack: true });
    expect(await shop.balance()).toEqual(before);
  });

  it('2004: RETCODE 0001 says PAYSTATE 3, which the shop does not believe: it queries (0001 again), then sees it paid', async () => {
    const before = await shop.balance();
    const no = payoutNo();
    const submitted = await shop.payout(no, 2004, PAYEE);
    expect(submitted).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/^0001/) });
    expect(submitted.fundsBack).toBeUndefined();
    expect((await shop.reconcilePayout(no)).state).toBe('unknown');
    expect((await shop.reconcilePayout(no)).state).toBe('paid');
    // Paid once: querying (not paying again) spared the shop a second payout.
    expect((await shop.balance()).available).toBe(before.available - 2004 - FEE);
    expect(await sandbox.records('payout', { provider: 'mmsp' })).toHaveLength(1);
  });

  it('a payout the balance does not cover is refused (1031) and reserves nothing', async () => {
    // The channel pays at most 5,000,000 fen a payout; the test merchant holds 10,000,000: two drain it.
    expect((await shop.payout(payoutNo(), 5_000_000, PAYEE)).state).toBe('paying');
    const before = await shop.balance();
    expect(before.available).toBeLessThan(5_000_000 + FEE);
    expect(await shop.payout(payoutNo(), 5_000_000, PAYEE)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^1031/) });
    expect(await shop.balance()).toEqual(before);
  });

  it('a request signed with a key the platform does not know is refused in plaintext (1006); nothing is paid', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const m = await sandbox.merchant('mmsp');
    const other = await startShop({
      mmsp: { gateway: sandbox.url, merchantId: m.merchantId, terminalId: m.terminalId!, key: mmspKey },
      aggpay: { gateway: sandbox.url, appid: 'x', secret: 'x' },
      payout: { gateway: sandbox.url, ...payoutKeys, merchantPrivateKey: stranger.privateKey },
    });
    try {
      expect(await other.payout(payoutNo(), 100, PAYEE)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^1006/) });
      expect(await sandbox.records('payout', { provider: 'mmsp' })).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
