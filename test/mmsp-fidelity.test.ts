import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { micropayBody, MMSP_MERCHANT, mmspClient, orderNo, prepayBody, replySignatureValid, type MmspReply } from './support/mmsp.js';

/**
 * What a merchant coding from 扫码接口规范 (seed 001) relies on, point by point:
 * every 必须 field on a failure, refused refunds that can be queried, the
 * tables' URL lengths, 2003 on a pre-order, and 2004 as a lost answer.
 */
const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof mmspClient>;
let notifyUrl: string;

beforeAll(() => {
  client = mmspClient(sim.url);
  notifyUrl = `${merchant.url}/notify`;
});

/** The sandbox clock in China time, as the replies write it (the clock carries on across tests). */
async function cstNow() {
  const { now } = await sim.get('/_sim/health');
  return new Date(Date.parse(now) + 8 * 3600 * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

const query = (merchantOrderNo: string) => client.send(2310, { MERORDERID: merchantOrderNo, RANDSTR: 'q' });
const stateOf = async (merchantOrderNo: string) => (await sim.get(`/_sim/orders?provider=mmsp&orderNo=${merchantOrderNo}`))[0];
/** A URL of exactly `length` characters. */
const urlOf = (length: number) => {
  const base = 'https://m.example/';
  return base + 'a'.repeat(length - base.length);
};
const h5Body = (overrides: Record<string, unknown> = {}) => ({ ...micropayBody(notifyUrl), JUMP_URL: 'https://shop.example/r', ...overrides });

function signedFailure(reply: MmspReply, replyId: number): Record<string, string> {
  expect(reply).toMatchObject({ CommandID: replyId, RetCode: 1 });
  expect(replySignatureValid(reply)).toBe(true);
  expect(reply.Body.STATUS).toBe('2');
  return reply.Body;
}

describe('STATUS 2 replies carry every 必须 field', () => {
  it('5.1.3: a duplicate MERORDERID on a pre-order answers ORDERNO, TRADETIME, TRADETYPE of the existing order, and URL empty', async () => {
    const first = prepayBody(notifyUrl);
    const created = (await client.send(2306, first)).Body;
    const body = signedFailure(await client.send(2306, { ...first, AMT: '200' }), 35074);
    expect(body).toEqual({
      ORDERNO: created.ORDERNO,
      URL: '',
      TRADETYPE: '1',
      TRADETIME: created.TRADETIME,
      MERORDERID: first.MERORDERID,
      STATUS: '2',
      ERR_CODE: '94',
      ERR_CODE_MSG: '重复交易：商户订单号已存在',
    });
    expect((await stateOf(first.MERORDERID)).amount).toBe(100);
  });

  it('5.2.3: a duplicate on a micropay answers ORDERNO, TRADETIME and MERORDERID of the existing order', async () => {
    const first = micropayBody(notifyUrl);
    const created = (await client.send(2307, first)).Body;
    const body = signedFailure(await client.send(2307, first), 35075);
    expect(body).toEqual({
      ORDERNO: created.ORDERNO,
      TRADETIME: created.TRADETIME,
      MERORDERID: first.MERORDERID,
      STATUS: '2',
      ERR_CODE: '94',
      ERR_CODE_MSG: '重复交易：商户订单号已存在',
    });
  });

  it('5.3.1: a duplicate on WeChat H5 (of a pre-order’s number) answers ORDERNO, TRADETIME, MERORDERID and URL empty', async () => {
    const first = prepayBody(notifyUrl);
    const created = (await client.send(2306, first)).Body;
    const body = signedFailure(await client.send(2321, h5Body({ MERORDERID: first.MERORDERID })), 35089);
    expect(body).toEqual({
      ORDERNO: created.ORDERNO,
      TRADETIME: created.TRADETIME,
      MERORDERID: first.MERORDERID,
      URL: '',
      STATUS: '2',
      ERR_CODE: '94',
      ERR_CODE_MSG: '重复交易：商户订单号已存在',
    });
  });

  it('10.4.2 / 10.5.2: a refused cancel or close carries the order fields', async () => {
    const request = micropayBody(notifyUrl);
    await client.send(2307, request);
    const body = signedFailure(await client.send(2314, { MERORDERID: request.MERORDERID, RANDSTR: 'q' }), 35082);
    expect(Object.keys(body)).toEqual(['ORDERNO', 'AMT', 'TRADETIME', 'PAYTIME', 'MERORDERID', 'TRADETYPE', 'STATUS', 'ERR_CODE', 'ERR_CODE_MSG']);
    expect(body.PAYTIME).toBe(await cstNow());
  });
});

describe('refused refunds are kept (10.6.2, 10.7.2)', () => {
  it('a refund above what is left answers REFUND_ORDERNO and REFUND_TIME, and 2313 answers it as STATUS 2', async () => {
    const paid = micropayBody(notifyUrl, { AMT: '500' });
    await client.send(2307, paid);
    const refused = signedFailure(
      await client.send(2312, { MERORDERID: paid.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RFOVER', AMT: '501' }),
      35080,
    );
    expect(refused).toMatchObject({ AMT: '501', REFUND_TIME: await cstNow(), REFUND_MERORDERID: 'RFOVER', ERR_CODE: '13' });
    expect(refused.REFUND_ORDERNO).toMatch(/^\d{20}$/);
    expect(refused.ERR_CODE_MSG).toContain('500');

    const queried = await client.send(2313, { REFUND_MERORDERID: 'RFOVER', RANDSTR: 'q' });
    expect(queried.Body).toEqual({ ...refused });
    expect(replySignatureValid(queried)).toBe(true);
    const byPlatformNo = await client.send(2313, { REFUND_ORDERNO: refused.REFUND_ORDERNO, RANDSTR: 'q' });
    expect(byPlatformNo.Body.STATUS).toBe('2');

    // Nothing was reserved: the whole amount can still be refunded, under another number.
    expect((await stateOf(paid.MERORDERID)).refundedAmount).toBe(0);
    const full = await client.send(2312, { MERORDERID: paid.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RFFULL', AMT: '500' });
    expect(full.Body).toMatchObject({ STATUS: '1', AMT: '500' });
  });

  it('a refund of an unpaid order is refused with ERR_CODE 12 and kept; its number, reused, answers 94 with its fields', async () => {
    const unpaid = prepayBody(notifyUrl);
    await client.send(2306, unpaid);
    const refused = signedFailure(
      await client.send(2312, { MERORDERID: unpaid.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RFUNPAID', AMT: '1' }),
      35080,
    );
    expect(refused).toMatchObject({ ERR_CODE: '12', REFUND_MERORDERID: 'RFUNPAID' });
    expect((await client.send(2313, { REFUND_MERORDERID: 'RFUNPAID', RANDSTR: 'q' })).Body).toMatchObject({ STATUS: '2', ERR_CODE: '12' });

    const again = signedFailure(
      await client.send(2312, { MERORDERID: unpaid.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RFUNPAID', AMT: '1' }),
      35080,
    );
    expect(again).toEqual({
      REFUND_ORDERNO: refused.REFUND_ORDERNO,
      AMT: '1',
      REFUND_TIME: refused.REFUND_TIME,
      REFUND_MERORDERID: 'RFUNPAID',
      STATUS: '2',
      ERR_CODE: '94',
      ERR_CODE_MSG: '重复交易：商户退款订单号已存在',
    });
  });

  it('magic amount 2003 on a refund: STATUS 2 with its ERR_CODE, in the answer and in 2313', async () => {
    const paid = micropayBody(notifyUrl, { AMT: '5000' });
    await client.send(2307, paid);
    const failed = signedFailure(
      await client.send(2312, { MERORDERID: paid.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RF2003', AMT: '2003' }),
      35080,
    );
    expect(failed).toMatchObject({ ERR_CODE: '51', AMT: '2003' });
    expect((await client.send(2313, { REFUND_MERORDERID: 'RF2003', RANDSTR: 'q' })).Body).toEqual(failed);
    expect((await stateOf(paid.MERORDERID)).refundedAmount).toBe(0);
  });
});

describe('the tables’ URL lengths', () => {
  const refused = async (commandId: number, body: Record<string, unknown>, field: string, length: number) => {
    const before = await sim.state();
    const reply = await client.send(commandId, body);
    expect(reply).toMatchObject({ CommandID: 32768, RetCode: 0, Body: '', Sign: '' });
    expect(reply.ErrorMsg).toBe(`[-1004] 业务字段缺失或格式错误：字段${field}长度不能超过${length}`);
    expect(await sim.state()).toBe(before);
  };

  it('5.1.2: NOTIFY_URL is string(50) on a pre-order (6.1.1, 6.3.1, 6.4.1, 7.1.1, 8.1.1, 9.1.1 alike)', async () => {
    expect((await client.send(2306, prepayBody(urlOf(50)))).Body.STATUS).toBe('1');
    for (const id of [2306, 2308, 2325, 1025, 1026, 1027, 1031]) await refused(id, prepayBody(urlOf(51)), 'NOTIFY_URL', 50);
  });

  it('5.1.2: JUMP_URL is string(32) on a pre-order, though 暂不传', async () => {
    expect((await client.send(2306, prepayBody(notifyUrl, { JUMP_URL: urlOf(32) }))).Body.STATUS).toBe('1');
    await refused(2306, prepayBody(notifyUrl, { JUMP_URL: urlOf(33) }), 'JUMP_URL', 32);
  });

  it('5.2.2 / 5.3.1: NOTIFY_URL is string(100) on micropay and H5, JUMP_URL string(100) on H5', async () => {
    expect((await client.send(2307, micropayBody(urlOf(100)))).Body.STATUS).toBe('1');
    await refused(2307, micropayBody(urlOf(101)), 'NOTIFY_URL', 100);
    expect((await client.send(2321, h5Body({ JUMP_URL: urlOf(100) }))).Body.STATUS).toBe('1');
    await refused(2321, h5Body({ JUMP_URL: urlOf(101) }), 'JUMP_URL', 100);
    await refused(1030, h5Body({ NOTIFY_URL: urlOf(101) }), 'NOTIFY_URL', 100);
  });

  it('settings.lenientLengths lets a merchant send both up to 255', async () => {
    const key = 'lenient-key-00000000000000000000';
    await sim.post('/_sim/merchants', {
      provider: 'mmsp',
      merchantId: '001440300000009',
      terminalId: '84970009',
      md5Key: key,
      settings: { lenientLengths: true },
    });
    const header = { MERNO: '001440300000009', TERMNO: '84970009' };
    const long = await client.send(2306, prepayBody(urlOf(255), { JUMP_URL: urlOf(255) }), header, key);
    expect(long.Body.STATUS).toBe('1');
    const tooLong = await client.send(2306, prepayBody(urlOf(256)), header, key);
    expect(tooLong.ErrorMsg).toContain('NOTIFY_URL长度不能超过255');
  });
});

describe('magic amount 2003 on a pre-order: the payer’s payment fails, not the order', () => {
  it('is placed with STATUS 1 and a URL; queries AA; fails with 2 / 51 when the payer pays; nothing pushed', async () => {
    const request = prepayBody(notifyUrl, { AMT: '2003' });
    const placed = await client.send(2306, request);
    expect(placed.Body).toMatchObject({ STATUS: '1', MERORDERID: request.MERORDERID });
    expect(placed.Body.URL).toBe(`${sim.url}/pay/mmsp/${placed.Body.ORDERNO}`);
    expect((await query(request.MERORDERID)).Body).toMatchObject({ STATUS: '3', ERR_CODE: 'AA' });

    // The payer presses Pay on the hosted page: the payment fails.
    const page = await fetch(`${placed.Body.URL}/pay`, { method: 'POST', redirect: 'manual' });
    expect(page.status).toBeLessThan(400);
    expect((await query(request.MERORDERID)).Body).toMatchObject({ STATUS: '2', ERR_CODE: '51', PAYTIME: '' });
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(0);
  });

  it('H5 likewise; an operator’s forced pay still pays; a micropay fails at once with every field', async () => {
    const h5 = h5Body({ AMT: '2003' });
    expect((await client.send(2321, h5)).Body.STATUS).toBe('1');
    expect((await sim.post(`/_sim/orders/mmsp/${h5.MERORDERID}/pay`, { force: true })).state).toBe('paid');

    const micropay = micropayBody(notifyUrl, { AMT: '2003' });
    const body = signedFailure(await client.send(2307, micropay), 35075);
    expect(Object.keys(body)).toEqual(['ORDERNO', 'TRADETIME', 'MERORDERID', 'STATUS', 'ERR_CODE', 'ERR_CODE_MSG']);
    expect(body.ERR_CODE).toBe('51');
  });
});

describe('magic amount 2004: a lost answer, not §11’s 消息结构体错误', () => {
  const journal = async (merchantOrderNo: string) =>
    ((await sim.get(`/_sim/requests?provider=mmsp&orderNo=${merchantOrderNo}`)) as { responseStatus: number; note: string | null }[]).reverse();

  it('a pre-order: the connection drops, so does the first query; the second shows it paid; it is pushed', async () => {
    const request = prepayBody(notifyUrl, { AMT: '2004' });
    await expect(client.send(2306, request)).rejects.toThrow();
    expect((await stateOf(request.MERORDERID)).state).toBe('paid');
    await expect(query(request.MERORDERID)).rejects.toThrow();
    expect((await query(request.MERORDERID)).Body).toMatchObject({ STATUS: '1', MERORDERID: request.MERORDERID });
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
    const entries = await journal(request.MERORDERID);
    expect(entries.map((e) => e.responseStatus)).toEqual([444, 444, 200]);
    expect(entries[0]!.note).toContain('no system error');
    // No answer ever said RetCode 0: a merchant following §11 never takes it as "not placed".
    expect(JSON.stringify(entries)).not.toContain('-9999');
  });

  it('a refund of 20.04: the answer and the first 2313 are lost, the second 2313 shows it accepted', async () => {
    const paid = micropayBody(notifyUrl, { AMT: '5000' });
    await client.send(2307, paid);
    await expect(client.send(2312, { MERORDERID: paid.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RF2004', AMT: '2004' })).rejects.toThrow();
    await expect(client.send(2313, { REFUND_MERORDERID: 'RF2004', RANDSTR: 'q' })).rejects.toThrow();
    const reply = await client.send(2313, { REFUND_MERORDERID: 'RF2004', RANDSTR: 'q' });
    expect(reply.Body).toMatchObject({ STATUS: '1', AMT: '2004', REFUND_MERORDERID: 'RF2004' });
    expect((await stateOf(paid.MERORDERID)).refundedAmount).toBe(2004);
  });
});

describe('the documents’ messages are exact', () => {
  it('§11 D4 and the example’s [-2002] keep their text; the detail is in the journal', async () => {
    const request = prepayBody(notifyUrl);
    await client.send(2306, request);
    await client.send(2314, { MERORDERID: request.MERORDERID, RANDSTR: 'q' });
    expect((await client.send(2314, { MERORDERID: request.MERORDERID, RANDSTR: 'q' })).Body).toMatchObject({ ERR_CODE: 'D4', ERR_CODE_MSG: '订单已关闭' });
    const missing = orderNo('NOPE');
    expect((await query(missing)).ErrorMsg).toBe('[-2002] 没有该订单');
    const [entry] = await sim.get(`/_sim/requests?provider=mmsp&merchantId=${MMSP_MERCHANT}&limit=1`);
    expect(entry.note).toContain(missing);
  });
});
