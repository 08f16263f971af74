import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { envelope, micropayBody, MMSP_KEY, mmspClient, prepayBody, replySignatureValid, type MmspReply } from './support/mmsp.js';

const { sim, merchant } = useSandbox();
let client: ReturnType<typeof mmspClient>;
let notifyUrl: string;
/** A paid order of 1000 fen, refunded 400 already, shared by the cases that need one. */
let paidOrderNo: string;

beforeAll(async () => {
  client = mmspClient(sim.url);
  notifyUrl = `${merchant.url}/notify`;
  const paid = micropayBody(notifyUrl, { AMT: '1000' });
  await client.send(2307, paid);
  await client.send(2312, { MERORDERID: paid.MERORDERID, RANDSTR: 'r', REFUND_MERORDERID: 'RF-BASE', AMT: '400' });
  paidOrderNo = paid.MERORDERID;
  // Another merchant, with its own order, for the wrong-merchant cases.
  await sim.post('/_sim/merchants', { provider: 'mmsp', merchantId: '001440300000002', terminalId: '84970002', md5Key: 'other-key-0000000000000000000000' });
  await mmspClient(sim.url).send(
    2306,
    prepayBody(notifyUrl, { MERORDERID: 'OTHER-0001' }),
    { MERNO: '001440300000002', TERMNO: '84970002' },
    'other-key-0000000000000000000000',
  );
});

/** Sends a bad request; asserts HTTP 200 with the document's error form and no state change. */
async function rejects(send: () => Promise<Response>): Promise<MmspReply> {
  const before = await sim.state();
  const response = await send();
  expect(response.status).toBe(200);
  const reply = (await response.json()) as MmspReply;
  expect(await sim.state()).toBe(before);
  return reply;
}

const post = (payload: unknown) => () =>
  fetch(`${sim.url}/mmsp/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

function expectNegative(reply: MmspReply, code: number) {
  expect(reply).toMatchObject({ CommandID: 32768, RetCode: 0, Body: '', Sign: '' });
  expect(reply.ErrorMsg.startsWith(`[${code}]`)).toBe(true);
}

/** The note the journal kept for the latest MMSP request: where a documented message's detail goes. */
const lastNote = async () => (await sim.get('/_sim/requests?provider=mmsp&limit=1'))[0].note as string;

/** The FAQ's [-3005] and the example's [-2002] keep the documents' exact text; the detail is in the journal. */
const AMOUNT_MSG = '[-3005] 交易金额不符，请参考返回的消息设置交易金额';
const NOT_FOUND_MSG = '[-2002] 没有该订单';

describe('the envelope (RetCode 0, CommandID 32768, unsigned)', () => {
  it('malformed JSON', async () => {
    expectNegative(await rejects(post('{"CommandID":2306,')), -1001);
    expectNegative(await rejects(post('[1,2]')), -1001);
    expectNegative(await rejects(post('')), -1001);
  });

  it('missing or malformed header fields', async () => {
    const good = envelope(2306, prepayBody(notifyUrl));
    for (const field of ['CommandID', 'SeqID', 'NodeType', 'NodeID', 'Version', 'MERNO', 'TERMNO', 'Body', 'Sign']) {
      const broken: Record<string, unknown> = { ...good };
      delete broken[field];
      const reply = await rejects(post(broken));
      expectNegative(reply, -1002);
      expect(reply.ErrorMsg, field).toContain(field);
    }
    expectNegative(await rejects(post({ ...good, CommandID: 'abc' })), -1002);
    expectNegative(await rejects(post({ ...good, Body: 'AMT=1' })), -1002);
    expectNegative(await rejects(post({ ...good, NodeID: 'x'.repeat(21) })), -1002);
  });

  it('echoes the request header in the negative reply', async () => {
    const reply = await rejects(post({ ...envelope(2306, prepayBody(notifyUrl)), Sign: 'BAD', SeqID: 42 }));
    expect(reply).toMatchObject({ SeqID: 42, MERNO: '001440353999853', TERMNO: '84970001' });
  });

  it('unknown CommandID', async () => {
    const reply = await rejects(post(envelope(9999, { RANDSTR: 'x' })));
    expectNegative(reply, -1003);
    expect(reply.ErrorMsg).toContain('9999');
  });

  it('wrong Sign, a Sign over unescaped slashes, and a Sign with another key', async () => {
    expectNegative(await rejects(post({ ...envelope(2306, prepayBody(notifyUrl)), Sign: '0'.repeat(32) })), -1005);
    const body = prepayBody(notifyUrl);
    const { createHash } = await import('node:crypto');
    const unescaped = createHash('md5').update(`${JSON.stringify(Object.fromEntries(Object.entries(body).sort()))}&key=${MMSP_KEY}`).digest('hex').toUpperCase();
    expectNegative(await rejects(post({ ...envelope(2306, body), Sign: unescaped })), -1005);
    expectNegative(await rejects(post(envelope(2306, prepayBody(notifyUrl), {}, 'not-the-key'))), -1005);
  });

  it('a wrong Sign is explained in the journal, with the string the sandbox signed', async () => {
    const body = prepayBody(notifyUrl, { MERORDERID: 'SIGNHINT01' });
    await rejects(post({ ...envelope(2306, body), Sign: 'BAD' }));
    const [entry] = await sim.get('/_sim/requests?provider=mmsp&limit=1');
    expect(entry.note).toContain('"MERORDERID":"SIGNHINT01"');
    expect(entry.note).toContain('http:\\/\\/');
  });

  it('unknown merchant, terminal or agent', async () => {
    expectNegative(await rejects(post(envelope(2306, prepayBody(notifyUrl), { MERNO: '001440399999999' }))), -1006);
    expectNegative(await rejects(post(envelope(2306, prepayBody(notifyUrl), { TERMNO: '99999999' }))), -1007);
    expectNegative(await rejects(post(envelope(2306, prepayBody(notifyUrl), { AGENTNO: '001100099999999' }))), -1008);
  });
});

describe('Body fields (RetCode 0 naming the field)', () => {
  const required = ['TRADETYPE', 'AMT', 'MERORDERID', 'RANDSTR', 'GOODSNAME', 'NOTIFY_URL'];
  for (const field of required) {
    it(`2306 without ${field}`, async () => {
      const body: Record<string, unknown> = prepayBody(notifyUrl);
      delete body[field];
      const reply = await rejects(post(envelope(2306, body)));
      expectNegative(reply, field === 'AMT' ? -3005 : -1004);
      if (field === 'AMT') {
        expect(reply.ErrorMsg).toBe(AMOUNT_MSG);
        expect(await lastNote()).toContain(field);
      } else {
        expect(reply.ErrorMsg).toContain(field);
      }
    });
  }

  const malformed: [string, unknown, number][] = [
    ['TRADETYPE', '3', -1004],
    ['AMT', '0', -3005],
    ['AMT', '-1', -3005],
    ['AMT', '1.50', -3005],
    ['AMT', 'abc', -3005],
    ['AMT', 12.5, -3005],
    ['GOODSNAME', '一二三四五六七八九十一二三四五六', -1004],
    ['MERORDERID', 'M'.repeat(21), -1004],
    ['RANDSTR', 'r'.repeat(21), -1004],
    ['NOTIFY_URL', 'ftp://example.com/notify', -1004],
    ['TIME_END', '2026/03/01 10:00:00', -1004],
    ['TIME_END', '2026-02-30 10:00:00', -1004],
    ['TIME_END', '2020-01-01 00:00:00', -1004],
    ['CUR', 'USD', -1004],
    ['IS_RAW', '3', -1004],
    ['GOODSNAME', { name: 'x' }, -1004],
  ];
  for (const [field, value, code] of malformed) {
    it(`2306 with ${field} = ${JSON.stringify(value)}`, async () => {
      const reply = await rejects(post(envelope(2306, prepayBody(notifyUrl, { [field]: value }))));
      expectNegative(reply, code);
      if (code === -3005) {
        expect(reply.ErrorMsg).toBe(AMOUNT_MSG);
        expect(await lastNote()).toContain(field);
      } else {
        expect(reply.ErrorMsg).toContain(field);
      }
    });
  }

  it('a number JavaScript cannot hold exactly is refused naming the field, not signed wrongly', async () => {
    const huge = JSON.stringify(envelope(2306, prepayBody(notifyUrl))).replace('"AMT":"100"', '"AMT":1e400');
    expectNegative(await rejects(post(huge)), -1004);
    const unsafe = JSON.stringify(envelope(2310, { RANDSTR: 'q', MERORDERID: 'X' })).replace('"MERORDERID":"X"', '"MERORDERID":"X","ORDERNO":202611221145579111');
    const reply = await rejects(post(unsafe));
    expectNegative(reply, -1004);
    expect(reply.ErrorMsg).toContain('ORDERNO');
  });

  it('GOODSNAME of exactly 15 characters is fine, 16 is not', async () => {
    const ok = await client.send(2306, prepayBody(notifyUrl, { GOODSNAME: '一二三四五六七八九十一二三四五' }));
    expect(ok.Body.STATUS).toBe('1');
  });

  it('a query with neither ORDERNO nor MERORDERID, or without RANDSTR', async () => {
    expectNegative(await rejects(post(envelope(2310, { RANDSTR: 'q' }))), -1004);
    expectNegative(await rejects(post(envelope(2310, { MERORDERID: paidOrderNo }))), -1004);
  });

  it('a refund without REFUND_MERORDERID or with a bad AMT', async () => {
    expectNegative(await rejects(post(envelope(2312, { MERORDERID: paidOrderNo, RANDSTR: 'r', AMT: '1' }))), -1004);
    expectNegative(await rejects(post(envelope(2312, { MERORDERID: paidOrderNo, RANDSTR: 'r', REFUND_MERORDERID: 'RX', AMT: '0' }))), -3005);
  });
});

describe('business errors (a signed reply with STATUS 2)', () => {
  it('duplicate MERORDERID answers ERR_CODE 94 and keeps the first order', async () => {
    const reply = (await (await rejects(post(envelope(2306, prepayBody(notifyUrl, { MERORDERID: paidOrderNo }))))) as MmspReply);
    expect(reply.CommandID).toBe(35074);
    expect(reply.Body).toMatchObject({ STATUS: '2', ERR_CODE: '94', MERORDERID: paidOrderNo });
    expect(replySignatureValid(reply)).toBe(true);
    const [order] = await sim.get(`/_sim/orders?provider=mmsp&orderNo=${paidOrderNo}`);
    expect(order.product).toBe('wechat.micropay');
  });

  it('a refund above the remaining amount answers ERR_CODE 13, kept as a failed refund that reserves nothing (10.6.2)', async () => {
    const before = (await sim.get(`/_sim/orders?provider=mmsp&orderNo=${paidOrderNo}`))[0];
    const reply = await client.send(2312, { MERORDERID: paidOrderNo, RANDSTR: 'r', REFUND_MERORDERID: 'RF-OVER', AMT: '601' });
    expect(reply.Body).toMatchObject({ STATUS: '2', ERR_CODE: '13', REFUND_MERORDERID: 'RF-OVER', AMT: '601' });
    expect(reply.Body.REFUND_ORDERNO).toMatch(/^\d{20}$/);
    expect(replySignatureValid(reply)).toBe(true);
    const after = (await sim.get(`/_sim/orders?provider=mmsp&orderNo=${paidOrderNo}`))[0];
    expect({ state: after.state, refundedAmount: after.refundedAmount }).toEqual({ state: before.state, refundedAmount: before.refundedAmount });
  });

  it('a duplicate REFUND_MERORDERID answers ERR_CODE 94', async () => {
    const reply = await rejects(post(envelope(2312, { MERORDERID: paidOrderNo, RANDSTR: 'r', REFUND_MERORDERID: 'RF-BASE', AMT: '1' })));
    expect(reply.Body).toMatchObject({ STATUS: '2', ERR_CODE: '94' });
  });
});

describe('unknown orders ([-2002] 没有该订单)', () => {
  const cases: [string, number, Record<string, unknown>][] = [
    ['query by MERORDERID', 2310, { MERORDERID: 'NOPE', RANDSTR: 'q' }],
    ['query by ORDERNO', 2310, { ORDERNO: '999999999999999999', RANDSTR: 'q' }],
    ['cancel', 2311, { MERORDERID: 'NOPE', RANDSTR: 'q' }],
    ['close', 2314, { MERORDERID: 'NOPE', RANDSTR: 'q' }],
    ['refund', 2312, { MERORDERID: 'NOPE', RANDSTR: 'q', REFUND_MERORDERID: 'R1', AMT: '1' }],
    ['refund query', 2313, { REFUND_MERORDERID: 'NOPE', RANDSTR: 'q' }],
    ['another merchant’s order', 2310, { MERORDERID: 'OTHER-0001', RANDSTR: 'q' }],
    ['another merchant’s order closed', 2314, { MERORDERID: 'OTHER-0001', RANDSTR: 'q' }],
  ];
  for (const [name, id, body] of cases) {
    it(name, async () => {
      const reply = await rejects(post(envelope(id, body)));
      expectNegative(reply, -2002);
      expect(reply.ErrorMsg).toBe(NOT_FOUND_MSG);
    });
  }

  it('the document’s exact text, with the number asked about in the journal', async () => {
    expect((await rejects(post(envelope(2310, { MERORDERID: 'NOPE', RANDSTR: 'q' })))).ErrorMsg).toBe(NOT_FOUND_MSG);
    expect(await lastNote()).toContain('NOPE');
  });

  it('ORDERNO and MERORDERID of two different orders', async () => {
    const [other] = await sim.get('/_sim/orders?provider=mmsp&orderNo=OTHER-0001');
    expectNegative(await rejects(post(envelope(2310, { ORDERNO: other.platformOrderNo, MERORDERID: paidOrderNo, RANDSTR: 'q' }))), -2002);
  });
});
