import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cstCompact } from '../src/core/time-format.js';
import { useSandbox } from './support/harness.js';
import {
  forgeKeyPair,
  payoutClient,
  payoutKeys,
  payoutNo,
  payoutPlaintext,
  REQTIME,
  type PayoutKeys,
} from './support/mmsp-payout.js';

/**
 * MMSP payouts end to end (代付 §3–§6), with a merchant implemented in the
 * test on node-forge: keys from GET /_sim/keys, every command, the PAYSTATE
 * timetable on the clock, 0001, and the account arithmetic.
 */
const { sim, merchant } = useSandbox({ resetEach: true });
const MERCHANT = '001440353999853';
const FEE = 200;
let keys: PayoutKeys & { merchantPublicKey: string; platformPrivateKey: string };
let client: ReturnType<typeof payoutClient>;

beforeAll(async () => {
  keys = await payoutKeys(sim.url);
  client = payoutClient(sim.url, keys);
});

/** The sandbox clock in China time, `YYYYMMDDhhmmss` (a reset keeps the clock, so each test reads it). */
const now = async () => cstCompact(Date.parse((await sim.get('/_sim/health')).now));
/** Moves the clock forward to the next `hhmmss`, China time. */
async function advanceTo(hhmmss: string) {
  const time = (await now()).slice(8);
  const seconds = (t: string) => Number(t.slice(0, 2)) * 3600 + Number(t.slice(2, 4)) * 60 + Number(t.slice(4, 6));
  await sim.advance((seconds(hhmmss) - seconds(time) + 86_400) % 86_400);
}

// Every test starts at 10:00:00 China time (inside the default channel window), on whatever day it is.
beforeEach(() => advanceTo('100000'));

const query = (numbers: { ORDERNO?: string; BSORDERNO?: string }, c = client, merno = MERCHANT) =>
  c.send({ CMDID: 4098, VERSION: '1.0', MERNO: merno, REQTIME, ...numbers });
const balanceQuery = (c = client, merno = MERCHANT) =>
  c.send({ CMDID: '4099', VERSION: '1.0', QRYTYPE: '1', MERNO: merno, ORDERNO: payoutNo(), REQTIME });
const account = (merchantId = MERCHANT) => sim.get(`/_sim/accounts/mmsp/${merchantId}`);
const payStateOf = async (orderNo: string) => (await query({ ORDERNO: orderNo })).body.PAYSTATE;

let merchantSequence = 0;
/** Registers a payout merchant of its own (keys made by the "merchant" with node-forge) and returns its client. */
async function newMerchant(payout?: Record<string, unknown>) {
  const merchantId = `00144030${String(Date.now() % 1e6).padStart(6, '0')}${merchantSequence++}`;
  const pair = forgeKeyPair();
  const created = await sim.request('POST', '/_sim/merchants', {
    provider: 'mmsp',
    merchantId,
    publicKey: pair.publicKey,
    name: 'payout test merchant',
    ...(payout ? { settings: { payout } } : {}),
  });
  expect(created.status).toBe(201);
  return { merchantId, client: payoutClient(sim.url, { platformPublicKey: keys.platformPublicKey, merchantPrivateKey: pair.privateKey }) };
}

describe('the envelope', () => {
  it('uses 1024-bit keys from GET /_sim/keys; answers are encrypted for the merchant and signed by the platform', async () => {
    const platform = (await import('node:crypto')).createPublicKey(keys.platformPublicKey);
    expect(platform.asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect((await import('node:crypto')).createPublicKey(keys.merchantPublicKey).asymmetricKeyDetails?.modulusLength).toBe(1024);

    const answer = await client.send(payoutPlaintext());
    expect(answer.encrypted).toBe(true);
    expect(answer.signatureValid).toBe(true);
    expect(Object.keys(JSON.parse(answer.raw))).toEqual(['ENCRYPT', 'SIGN']);
    // More than one RSA block: the answer is segmented like the request.
    expect(Buffer.from(JSON.parse(answer.raw).ENCRYPT, 'base64').length % 128).toBe(0);
  });

  it('the journal shows both plaintexts next to the ciphertext', async () => {
    const request = payoutPlaintext();
    await client.send(request);
    const [entry] = await sim.get(`/_sim/requests?provider=mmsp&orderNo=${request.ORDERNO}`);
    expect(entry).toMatchObject({ operation: '4097 单笔代付', merchantId: MERCHANT });
    expect(entry.note).toContain(`request plaintext: ${JSON.stringify(request)}`);
    expect(entry.note).toContain('reply plaintext: {"RETCODE":"0000"');
  });
});

describe('4097 payout and 4098 query on the clock', () => {
  it('accepts (0000, PAYSTATE 2), then queries 5 for 10 s, 2 for 20 s, then 1; the reservation is debited', async () => {
    const start = await now();
    const before = await account();
    const request = payoutPlaintext({ AMT: '12345' });
    const answer = await client.send(request);
    expect(answer.body).toEqual({
      RETCODE: '0000',
      RETMSG: '交易成功',
      MERNO: MERCHANT,
      ORDERNO: request.ORDERNO,
      BSORDERNO: expect.stringMatching(new RegExp(`^${start.slice(0, 8)}\\d{8}$`)),
      PAYSTATE: '2',
      DESC: '代付请求已受理，付款中',
      AMT: '12345',
      ACCNAME: '张三',
      ACCNO: '6222021307418529630',
      RSPTIME: start,
    });
    const reserved = await account();
    expect(reserved.balance).toBe(before.balance - 12345 - FEE);
    expect(reserved.frozen).toBe(before.frozen + 12345 + FEE);

    const first = await query({ ORDERNO: request.ORDERNO as string });
    expect(first.signatureValid).toBe(true);
    expect(first.body).toEqual({
      RETCODE: '0000',
      REMSG: '交易成功',
      RETMSG: '交易成功',
      MERNO: MERCHANT,
      ORDERNO: request.ORDERNO,
      BSORDERNO: answer.body.BSORDERNO,
      PAYSTATE: '5',
      DESC: '代付请求已受理，等待审核',
      AMT: '12345',
      CURTYPE: '1',
      ACCNAME: '张三',
      ACCNO: '6222021307418529630',
      BUSIYPE: '001',
      MEMO: '代付',
      MOBILE: '13800138000',
      BANKNAME: '中国工商银行',
      RSPTIME: start,
    });
    await sim.advance(9);
    expect(await payStateOf(request.ORDERNO as string)).toBe('5');
    await sim.advance(1);
    expect(await payStateOf(request.ORDERNO as string)).toBe('2');
    await sim.advance(19);
    expect((await query({ BSORDERNO: answer.body.BSORDERNO })).body).toMatchObject({ PAYSTATE: '2', DESC: '付款中' });
    await sim.advance(1);
    expect((await query({ ORDERNO: request.ORDERNO as string, BSORDERNO: answer.body.BSORDERNO })).body).toMatchObject({
      RETCODE: '0000',
      PAYSTATE: '1',
      DESC: '付款成功',
      RSPTIME: `${start.slice(0, 8)}100030`,
    });

    const after = await account();
    expect(after.balance).toBe(before.balance - 12345 - FEE);
    expect(after.frozen).toBe(before.frozen);
    const [record] = await sim.get('/_sim/records?provider=mmsp&kind=payout');
    expect(record).toMatchObject({ number: request.ORDERNO, platformNumber: answer.body.BSORDERNO, state: 'paid', amount: 12345, product: 'payout.card' });
    const detail = await sim.get(`/_sim/records/${record.id}`);
    const at = (seconds: number) => new Date(Date.parse(detail.createdAt) + seconds * 1000).toISOString();
    expect(detail.events.map((e: { to: string; cause: string; at: string }) => [e.to, e.cause, e.at])).toEqual([
      ['accepted', 'create', at(0)],
      ['processing', 'timer', at(10)],
      ['paid', 'timer', at(30)],
    ]);
  });

  it('echoes optional payee fields on query, under the table spelling BANKBRACHNONAME and the request one', async () => {
    const request = payoutPlaintext({ BANKSETTLENO: '102100099996', BANKBRANCHNAME: '北京分行营业部' });
    await client.send(request);
    expect((await query({ ORDERNO: request.ORDERNO as string })).body).toMatchObject({
      BANKSETTLENO: '102100099996',
      BANKBRACHNONAME: '北京分行营业部',
      BANKBRANCHNAME: '北京分行营业部',
    });
  });

  it('a payout to a card marked payout-fails goes 5 → 2 → 3, and its reservation is released', async () => {
    const before = await account();
    const request = payoutPlaintext({ ACCNO: '6212260307418529631', ACCNAME: '钱十一', IDCARD: '370202199107079010', MOBILE: '13100131000' });
    expect((await client.send(request)).body).toMatchObject({ RETCODE: '0000', PAYSTATE: '2' });
    expect((await account()).balance).toBe(before.balance - 100 - FEE);
    expect(await payStateOf(request.ORDERNO as string)).toBe('5');
    await sim.advance(10);
    expect(await payStateOf(request.ORDERNO as string)).toBe('2');
    await sim.advance(20);
    expect((await query({ ORDERNO: request.ORDERNO as string })).body).toMatchObject({
      RETCODE: '0000',
      PAYSTATE: '3',
      DESC: '付款失败：收款账户状态异常，银行退回',
    });
    expect(await account()).toMatchObject({ balance: before.balance, frozen: before.frozen });
    await sim.advance(3600);
    expect((await sim.get('/_sim/records?provider=mmsp&kind=payout'))[0].state).toBe('failed');
  });

  it('a corporate account (ACCTYPE 2) is paid with its 联行号, as product payout.corporate', async () => {
    const request = payoutPlaintext({ ACCTYPE: '2', ACCNO: '755912345610901', ACCNAME: '深圳市某某科技有限公司', BANKNAME: '招商银行', BANKSETTLENO: '308584000013', IDCARD: undefined });
    expect((await client.send(request)).body).toMatchObject({ RETCODE: '0000', PAYSTATE: '2' });
    expect((await sim.get('/_sim/records?provider=mmsp&kind=payout'))[0].product).toBe('payout.corporate');
  });

  it('sends no notification: the document defines none', async () => {
    const request = payoutPlaintext();
    await client.send(request);
    await sim.advance(3600);
    expect(await payStateOf(request.ORDERNO as string)).toBe('1');
    expect(await sim.get('/_sim/notifications?provider=mmsp')).toEqual([]);
    expect(merchant.received).toEqual([]);
  });

  it('accepts the document’s int and string spellings: CMDID 4097 or "4097", AMT 100 or "100", BUSITYPE for BUSIYPE', async () => {
    const asNumbers = payoutPlaintext({ CMDID: 4097, AMT: 150, PAYTYPE: 1, ACCTYPE: 0 });
    expect((await client.send(asNumbers)).body).toMatchObject({ RETCODE: '0000', AMT: '150' });
    const corrected = payoutPlaintext({ BUSIYPE: undefined, BUSITYPE: '002' });
    expect((await client.send(corrected)).body.RETCODE).toBe('0000');
    expect((await query({ ORDERNO: corrected.ORDERNO as string })).body.BUSIYPE).toBe('002');
  });
});

describe('magic amounts', () => {
  it('2001: paying (PAYSTATE 2) for 60 s, then paid', async () => {
    const request = payoutPlaintext({ AMT: '2001' });
    expect((await client.send(request)).body).toMatchObject({ RETCODE: '0000', PAYSTATE: '2', DESC: '付款中' });
    expect(await payStateOf(request.ORDERNO as string)).toBe('2');
    await sim.advance(59);
    expect(await payStateOf(request.ORDERNO as string)).toBe('2');
    await sim.advance(1);
    expect(await payStateOf(request.ORDERNO as string)).toBe('1');
  });

  it('2003: failed at once (PAYSTATE 3), the funds released', async () => {
    const before = await account();
    const request = payoutPlaintext({ AMT: '2003' });
    expect((await client.send(request)).body).toMatchObject({ RETCODE: '0000', PAYSTATE: '3', DESC: '付款失败：银行处理失败' });
    expect(await account()).toMatchObject({ balance: before.balance, frozen: before.frozen });
    expect(await payStateOf(request.ORDERNO as string)).toBe('3');
  });

  it('2004: RETCODE 0001 on submission and on the first query, whatever PAYSTATE says; the second query shows it paid', async () => {
    const before = await account();
    const request = payoutPlaintext({ AMT: '2004' });
    const answer = await client.send(request);
    expect(answer.signatureValid).toBe(true);
    expect(answer.body).toMatchObject({
      RETCODE: '0001',
      RETMSG: '系统异常，需要发起订单查询',
      MERNO: MERCHANT,
      ORDERNO: request.ORDERNO,
      PAYSTATE: '3',
    });
    // A merchant that believed PAYSTATE 3 and paid again with the same number is told it exists.
    expect((await client.send(request)).body).toMatchObject({ RETCODE: '1008' });

    const first = await query({ ORDERNO: request.ORDERNO as string });
    expect(first.body).toMatchObject({ RETCODE: '0001', REMSG: '系统异常，需要发起订单查询', PAYSTATE: '3' });
    const second = await query({ ORDERNO: request.ORDERNO as string });
    expect(second.body).toMatchObject({ RETCODE: '0000', PAYSTATE: '1', DESC: '付款成功', AMT: '2004' });
    expect(await account()).toMatchObject({ balance: before.balance - 2004 - FEE, frozen: before.frozen });
  });

  it('0001 is scriptable: a scenario on kind payout / product payout.card with more failing queries and a later failure', async () => {
    const scenario = {
      id: 'payout-0001-then-failed',
      match: { provider: 'mmsp', kind: 'payout', product: 'payout.card', orderNo: '^9999' },
      steps: [
        { do: 'respond', outcome: 'error' },
        { do: 'fail-queries', times: 2 },
        { do: 'become', state: 'failed', after: 30 },
      ],
    };
    expect((await sim.request('POST', '/_sim/scenarios', scenario)).status).toBe(201);
    try {
      const before = await account();
      const request = payoutPlaintext({ ORDERNO: `9999${payoutNo()}` });
      expect((await client.send(request)).body.RETCODE).toBe('0001');
      expect((await query({ ORDERNO: request.ORDERNO as string })).body.RETCODE).toBe('0001');
      expect((await query({ ORDERNO: request.ORDERNO as string })).body.RETCODE).toBe('0001');
      expect((await query({ ORDERNO: request.ORDERNO as string })).body).toMatchObject({ RETCODE: '0000', PAYSTATE: '5' });
      await sim.advance(30);
      expect((await query({ ORDERNO: request.ORDERNO as string })).body).toMatchObject({ RETCODE: '0000', PAYSTATE: '3' });
      expect(await account()).toMatchObject({ balance: before.balance, frozen: before.frozen });
    } finally {
      await sim.request('DELETE', '/_sim/scenarios/payout-0001-then-failed');
    }
  });
});

describe('4099 balance query and the account arithmetic', () => {
  it('answers the account fields of §5.3.3 for the test merchant (100,000.00 yuan, D0 with an advance balance)', async () => {
    const start = await now();
    const answer = await balanceQuery();
    expect(answer.signatureValid).toBe(true);
    expect(answer.body).toEqual({
      RETCODE: '0000',
      RETMMSG: '交易成功',
      RETMSG: '交易成功',
      MERNO: MERCHANT,
      ORDERNO: expect.stringMatching(/^\d+$/),
      RSPTIME: start,
      ACCINFO: [
        {
          ACCSTATUS: '1',
          BALANCE: '0',
          BALANCEPAY: '10000000',
          ADVANCEPAY: '2000000',
          FREEZEBAL: '0',
          ISCHARGE: '2',
          MERTYPE: '2',
          CHLNO: 'MMSPSIM01',
          CHLMERNO: MERCHANT,
          LIMIT_DOWN: '1',
          LIMIT_TOP: '5000000',
          BEGIN_AT: '000000',
          END_AT: '235959',
          HOLIDAYTYPE: '3',
          SETTLE_AT: '16',
          SETTLE_TYPE: '1',
        },
      ],
    });
  });

  it('takes the document example’s MERNNO spelling', async () => {
    const answer = await client.send({ CMDID: '4099', VERSION: '1.0', MERNNO: MERCHANT, ORDERNO: '20171120111410001', REQTIME, QRYTYPE: '1' });
    expect(answer.body).toMatchObject({ RETCODE: '0000', MERNO: MERCHANT, ORDERNO: '20171120111410001' });
  });

  it('reserves amount + fee (BALANCEPAY down, FREEZEBAL up), debits on success, and pays PAYTYPE 3 from the advance balance', async () => {
    const a = await client.send(payoutPlaintext({ AMT: '100000' }));
    const b = await client.send(payoutPlaintext({ AMT: '50000', PAYTYPE: '3' }));
    expect([a.body.RETCODE, b.body.RETCODE]).toEqual(['0000', '0000']);
    let info = (await balanceQuery()).body.ACCINFO[0];
    expect(info).toMatchObject({ BALANCEPAY: String(10_000_000 - 100_200), ADVANCEPAY: String(2_000_000 - 50_200), FREEZEBAL: String(100_200 + 50_200) });
    await sim.advance(30);
    info = (await balanceQuery()).body.ACCINFO[0];
    expect(info).toMatchObject({ BALANCEPAY: String(10_000_000 - 100_200), ADVANCEPAY: String(2_000_000 - 50_200), FREEZEBAL: '0' });
  });

  it('pays the whole balance minus the fee and not a fen more (notes 14), refusing with 1031 and changing nothing', async () => {
    const { merchantId, client: own } = await newMerchant({ balance: 10_000, fee: 500 });
    expect((await own.send(payoutPlaintext({ MERNO: merchantId, AMT: '9501' }))).body).toMatchObject({ RETCODE: '1031', MERNO: merchantId });
    expect(await account(merchantId)).toMatchObject({ balance: 10_000, frozen: 0, fee: 500 });
    expect(await sim.get(`/_sim/records?provider=mmsp&kind=payout&merchantId=${merchantId}`)).toEqual([]);
    expect((await own.send(payoutPlaintext({ MERNO: merchantId, AMT: '9500' }))).body.RETCODE).toBe('0000');
    expect(await account(merchantId)).toMatchObject({ balance: 0, frozen: 10_000 });
    await sim.advance(30);
    expect(await account(merchantId)).toMatchObject({ balance: 0, frozen: 0 });
  });

  it('never goes negative under 50 concurrent payouts: exactly as many as the balance covers are accepted', async () => {
    const { merchantId, client: own } = await newMerchant({ balance: 30_000, fee: 100 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => own.send(payoutPlaintext({ MERNO: merchantId, AMT: '1900' }))),
    );
    const codes = answers.map((answer) => answer.body.RETCODE);
    // 30,000 / (1,900 + 100) = 15 payouts.
    expect(codes.filter((code) => code === '0000')).toHaveLength(15);
    expect(codes.filter((code) => code === '1031')).toHaveLength(35);
    expect(await account(merchantId)).toMatchObject({ balance: 0, frozen: 30_000 });
    expect(await sim.get(`/_sim/records?provider=mmsp&kind=payout&merchantId=${merchantId}`)).toHaveLength(15);
    await sim.advance(30);
    expect(await account(merchantId)).toMatchObject({ balance: 0, frozen: 0 });
  });

  it('a merchant without payout settings has no account (1045) until funded through the admin API', async () => {
    const { merchantId, client: own } = await newMerchant();
    expect((await own.send(payoutPlaintext({ MERNO: merchantId }))).body).toMatchObject({ RETCODE: '1045' });
    expect((await balanceQuery(own, merchantId)).body).toMatchObject({ RETCODE: '1045', RETMMSG: expect.stringContaining('商户未开通资金户') });
    expect((await sim.request('GET', `/_sim/accounts/mmsp/${merchantId}`)).status).toBe(404);

    const funded = await sim.request('POST', `/_sim/accounts/mmsp/${merchantId}/fund`, { amount: 5_000 });
    expect(funded).toEqual({
      status: 200,
      body: expect.objectContaining({ provider: 'mmsp', merchantId, balance: 5_000, advance: 0, frozen: 0, pending: 0, fee: 200, state: 'active' }),
    });
    expect((await sim.post(`/_sim/accounts/mmsp/${merchantId}/fund`, { amount: 1_000 })).balance).toBe(6_000);
    expect((await own.send(payoutPlaintext({ MERNO: merchantId, AMT: '5800' }))).body.RETCODE).toBe('0000');
    expect((await balanceQuery(own, merchantId)).body.ACCINFO[0]).toMatchObject({ BALANCEPAY: '0', FREEZEBAL: '6000', CHLMERNO: merchantId });
  });

  it('funds the test merchant, and a reset reopens its account from its settings', async () => {
    expect((await sim.post(`/_sim/accounts/mmsp/${MERCHANT}/fund`, { amount: 1 })).balance).toBe(10_000_001);
    await sim.post('/_sim/reset');
    expect((await account()).balance).toBe(10_000_000);
  });

  it('refuses bad fund requests in the admin error format', async () => {
    for (const amount of [0, -1, 1.5, '100', null]) {
      const answer = await sim.request('POST', `/_sim/accounts/mmsp/${MERCHANT}/fund`, { amount });
      expect(answer.status, String(amount)).toBe(400);
      expect(answer.body.error.code).toBe('INVALID_AMOUNT');
    }
    expect((await sim.request('POST', '/_sim/accounts/mmsp/nobody/fund', { amount: 1 })).body.error.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await sim.request('POST', '/_sim/accounts/aggpay/gpu10000000/fund', { amount: 1 })).body.error.code).toBe('UNKNOWN_PROVIDER');
    expect((await sim.request('GET', '/_sim/accounts/nope/x')).body.error.code).toBe('UNKNOWN_PROVIDER');
    expect((await account()).balance).toBe(10_000_000);
  });

  it('the account is a record of kind account, listed with the others', async () => {
    await account();
    const [listed] = await sim.get('/_sim/records?provider=mmsp&kind=account');
    expect(listed).toMatchObject({ kind: 'account', merchantId: MERCHANT, number: MERCHANT, state: 'active', attributes: { balance: 10_000_000, frozen: 0 } });
  });
});

describe("the merchant's channel settings", () => {
  it('pays only inside BEGIN_AT–END_AT (1036 outside), China time', async () => {
    const { merchantId, client: own } = await newMerchant({ balance: 100_000, channel: { beginAt: '14:00', endAt: '18:00' } });
    expect((await own.send(payoutPlaintext({ MERNO: merchantId }))).body).toMatchObject({ RETCODE: '1036', RETMSG: expect.stringContaining('140000至180000') });
    await advanceTo('140000');
    expect((await own.send(payoutPlaintext({ MERNO: merchantId }))).body.RETCODE).toBe('0000');
    expect((await balanceQuery(own, merchantId)).body.ACCINFO[0]).toMatchObject({ BEGIN_AT: '140000', END_AT: '180000' });
  });

  it('a window over midnight', async () => {
    const { merchantId, client: own } = await newMerchant({ balance: 100_000, channel: { beginAt: '22:00', endAt: '02:00' } });
    expect((await own.send(payoutPlaintext({ MERNO: merchantId }))).body.RETCODE).toBe('1036');
    await advanceTo('230000');
    expect((await own.send(payoutPlaintext({ MERNO: merchantId }))).body.RETCODE).toBe('0000');
    await advanceTo('015959');
    expect((await own.send(payoutPlaintext({ MERNO: merchantId }))).body.RETCODE).toBe('0000');
    await advanceTo('020001');
    expect((await own.send(payoutPlaintext({ MERNO: merchantId }))).body.RETCODE).toBe('1036');
  });

  it('keeps each payout within LIMIT_DOWN–LIMIT_TOP (1030)', async () => {
    const { merchantId, client: own } = await newMerchant({ balance: 100_000, channel: { limitDown: 100, limitTop: 5_000 } });
    expect((await own.send(payoutPlaintext({ MERNO: merchantId, AMT: '99' }))).body.RETCODE).toBe('1030');
    expect((await own.send(payoutPlaintext({ MERNO: merchantId, AMT: '5001' }))).body.RETCODE).toBe('1030');
    expect((await own.send(payoutPlaintext({ MERNO: merchantId, AMT: '100' }))).body.RETCODE).toBe('0000');
    expect((await own.send(payoutPlaintext({ MERNO: merchantId, AMT: '5000' }))).body.RETCODE).toBe('0000');
  });

  it('advance payouts: 1048 for a T1 merchant, 1049 when the advance balance is short', async () => {
    const t1 = await newMerchant({ balance: 100_000, advance: 100_000, merchantType: 'T1' });
    expect((await t1.client.send(payoutPlaintext({ MERNO: t1.merchantId, PAYTYPE: '3' }))).body.RETCODE).toBe('1048');
    expect((await balanceQuery(t1.client, t1.merchantId)).body.ACCINFO[0]).toMatchObject({ MERTYPE: '1', ADVANCEPAY: '0' });
    const d0 = await newMerchant({ balance: 100_000, advance: 1_000 });
    expect((await d0.client.send(payoutPlaintext({ MERNO: d0.merchantId, PAYTYPE: '3', AMT: '801' }))).body.RETCODE).toBe('1049');
    expect((await d0.client.send(payoutPlaintext({ MERNO: d0.merchantId, PAYTYPE: '3', AMT: '800' }))).body.RETCODE).toBe('0000');
    expect(await account(d0.merchantId)).toMatchObject({ balance: 100_000, advance: 0, frozen: 1_000 });
  });

  it('answers the merchant-level codes from its settings: 1032, 1033, 1039, 1047, 1023, 1003', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ balance: 100_000, channel: false }, '1032'],
      [{ balance: 100_000, fee: null }, '1033'],
      [{ balance: 100_000, suspended: true }, '1039'],
      [{ balance: 100_000, accountStatus: 'frozen' }, '1047'],
      [{ balance: 100_000, requiredElements: ['BANKBRANCHNAME'] }, '1023'],
      [{ balance: 'lots' }, '1003'],
    ];
    for (const [settings, code] of cases) {
      const { merchantId, client: own } = await newMerchant(settings);
      const answer = await own.send(payoutPlaintext({ MERNO: merchantId }));
      expect(answer.body.RETCODE, JSON.stringify(settings)).toBe(code);
      expect(answer.signatureValid).toBe(true);
    }
    const frozen = await newMerchant({ balance: 100_000, accountStatus: 'frozen' });
    expect((await balanceQuery(frozen.client, frozen.merchantId)).body.ACCINFO[0].ACCSTATUS).toBe('0');
  });

  it('reads settings edited through the admin API at the next request (they are parsed once per edit)', async () => {
    const merchantId = `00144031${String(Date.now() % 1e6).padStart(6, '0')}${merchantSequence++}`;
    const pair = forgeKeyPair();
    const register = async (payout: Record<string, unknown>) =>
      (await sim.request('POST', '/_sim/merchants', { provider: 'mmsp', merchantId, publicKey: pair.publicKey, name: 'edited merchant', settings: { payout } })).status;
    const own = payoutClient(sim.url, { platformPublicKey: keys.platformPublicKey, merchantPrivateKey: pair.privateKey });
    expect(await register({ balance: 100_000 })).toBe(201);
    expect((await balanceQuery(own, merchantId)).body.ACCINFO[0].ACCSTATUS).toBe('1');
    expect(await register({ balance: 100_000, accountStatus: 'frozen' })).toBe(200);
    expect((await balanceQuery(own, merchantId)).body.ACCINFO[0].ACCSTATUS).toBe('0');
    expect((await own.send(payoutPlaintext({ MERNO: merchantId }))).body.RETCODE).toBe('1047');
    expect(await register({ balance: 100_000, fee: null })).toBe(200);
    expect((await own.send(payoutPlaintext({ MERNO: merchantId }))).body.RETCODE).toBe('1033');
  });

  it('CHLNO and CHLMERNO, when sent, must be the merchant’s channel (1032)', async () => {
    expect((await client.send(payoutPlaintext({ CHLNO: 'MMSPSIM01', CHLMERNO: MERCHANT }))).body.RETCODE).toBe('0000');
    expect((await client.send(payoutPlaintext({ CHLNO: 'OTHER' }))).body.RETCODE).toBe('1032');
    expect((await client.send(payoutPlaintext({ CHLMERNO: '001100052346700' }))).body.RETCODE).toBe('1032');
  });

  it('delays come from the settings: reviewSeconds and processingSeconds', async () => {
    const { merchantId, client: own } = await newMerchant({ balance: 100_000, reviewSeconds: 0, processingSeconds: 300 });
    const request = payoutPlaintext({ MERNO: merchantId });
    await own.send(request);
    await sim.advance(0);
    expect((await query({ ORDERNO: request.ORDERNO as string }, own, merchantId)).body.PAYSTATE).toBe('2');
    await sim.advance(299);
    expect((await query({ ORDERNO: request.ORDERNO as string }, own, merchantId)).body.PAYSTATE).toBe('2');
    await sim.advance(1);
    expect((await query({ ORDERNO: request.ORDERNO as string }, own, merchantId)).body.PAYSTATE).toBe('1');
  });
});

describe('the worked example of docs/providers/mmsp.md', () => {
  it('runs unchanged: node:crypto merchant, payout, query until 0000 (0001 with 2004), balance', async () => {
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const run = (amt: string) =>
      new Promise<any[]>((resolve, reject) => {
        execFile(process.execPath, [fileURLToPath(new URL('../docs/providers/mmsp-payout-example.mjs', import.meta.url)), sim.url], { env: { ...process.env, AMT: amt } }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim().split('\n').map((line) => JSON.parse(line))),
        );
      });
    const [payout, status, balance] = await run('100');
    expect(payout).toMatchObject({ RETCODE: '0000', PAYSTATE: '2', AMT: '100' });
    expect(status).toMatchObject({ RETCODE: '0000', PAYSTATE: '5', ORDERNO: payout.ORDERNO });
    expect(balance).toMatchObject({ RETCODE: '0000', ACCINFO: [{ BALANCEPAY: String(10_000_000 - 100 - FEE) }] });

    const [system, firstQuery, secondQuery] = await run('2004');
    expect(system.RETCODE).toBe('0001');
    expect(firstQuery.RETCODE).toBe('0001');
    expect(secondQuery).toMatchObject({ RETCODE: '0000', PAYSTATE: '1' });
  });
});
