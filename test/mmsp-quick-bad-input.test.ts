import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { MMSP_KEY, orderNo, prepayBody, type MmspReply } from './support/mmsp.js';
import { cardPayBody, OPEN_HEADER, OPEN_MERCHANT, quickClient, quickEnvelope, signedByPlatform, type Card } from './support/mmsp-quick.js';

const { sim, merchant } = useSandbox();
let client: ReturnType<typeof quickClient>;
let notifyUrl: string;
let cards: Card[];
const card = (behaviour: string, type: 'debit' | 'credit' = 'debit') => cards.find((c) => c.behaviour === behaviour && c.type === type)!;

/** An order awaiting its code, a paid one, a bound card of the open merchant, a scan order: shared by the cases. */
let open: { orderNo: string; listId: string; code: string };
let paid: { orderNo: string; listId: string };
let bindId: string;
let scanOrderNo: string;
let unionpayListId: string;

const smsCodeOf = async (no: string) => (await sim.get(`/_sim/orders?provider=mmsp&orderNo=${no}`))[0].smsCode as string;

beforeAll(async () => {
  client = quickClient(sim.url);
  notifyUrl = `${merchant.url}/notify`;
  cards = await sim.get('/_sim/cards');
  await sim.post('/_sim/merchants', OPEN_MERCHANT);

  const request = cardPayBody(card('ok'), notifyUrl);
  const placed = await client.send(771, request);
  open = { orderNo: request.MERORDERID, listId: placed.Body.LIST_ID, code: await smsCodeOf(request.MERORDERID) };

  const paidRequest = cardPayBody(card('ok'), notifyUrl, { USER_ID: 'u-1' });
  const paidPlaced = await client.send(771, paidRequest, OPEN_HEADER, OPEN_MERCHANT.md5Key);
  await client.send(772, { LIST_ID: paidPlaced.Body.LIST_ID, MSG_CODE: await smsCodeOf(paidRequest.MERORDERID) }, OPEN_HEADER, OPEN_MERCHANT.md5Key);
  paid = { orderNo: paidRequest.MERORDERID, listId: paidPlaced.Body.LIST_ID };
  bindId = paidPlaced.Body.BIND_ID;

  const scan = prepayBody(notifyUrl);
  await client.send(2306, scan);
  scanOrderNo = scan.MERORDERID;
  unionpayListId = (await client.send(783, { MERORDERID: orderNo('UP'), AMT: '100', JUMP_URL: 'https://shop.example/', NOTIFY_URL: notifyUrl })).Body.LIST_ID;
  await sim.advance(0);
});

/** Orders, notifications and every record (bindings, SMS challenges): equal before and after means nothing changed. */
const everything = async () => `${await sim.state()}${JSON.stringify(await sim.get('/_sim/records?provider=mmsp&limit=5000'))}`;

async function rejects(send: () => Promise<MmspReply>, snapshot = everything): Promise<MmspReply> {
  const before = await snapshot();
  const reply = await send();
  expect(await snapshot()).toBe(before);
  return reply;
}

function expectNegative(reply: MmspReply, code: number, mentions?: string) {
  expect(reply).toMatchObject({ CommandID: 32768, RetCode: 0, Body: '', Sign: '' });
  expect(reply.ErrorMsg.startsWith(`[${code}]`), reply.ErrorMsg).toBe(true);
  // [-3005] carries the FAQ's exact text, which names no field (the journal note does).
  if (mentions && code !== -3005) expect(reply.ErrorMsg).toContain(mentions);
}

function expectRefusal(reply: MmspReply, errcode: string, key = MMSP_KEY) {
  expect(reply.RetCode).toBe(1);
  expect(reply.Body).toMatchObject({ STATUS: '2', ERRCODE: errcode });
  expect(typeof reply.Body.ERRMSG).toBe('string');
  expect(signedByPlatform(reply, key)).toBe(true);
}

describe('the envelope', () => {
  it('a wrong Sign', async () => {
    const body = cardPayBody(card('ok'), notifyUrl);
    expectNegative(await rejects(() => client.raw({ ...quickEnvelope(771, body), Sign: 'DEDC746F20AF27521E3A743A422324D0' })), -1005);
    expectNegative(await rejects(() => client.send(771, body, {}, 'not-the-key')), -1005);
    // Signed over unescaped slashes, as the FAQ warns against.
    const unescaped = `${JSON.stringify(Object.fromEntries(Object.keys(body).sort().map((k) => [k, body[k as keyof typeof body]])))}&key=${MMSP_KEY}`;
    const { createHash } = await import('node:crypto');
    const sign = createHash('md5').update(unescaped).digest('hex').toUpperCase();
    expectNegative(await rejects(() => client.raw({ ...quickEnvelope(771, body), Sign: sign })), -1005);
  });

  it('an unknown command, and 2322 sent here instead of as the gateway form', async () => {
    expectNegative(await rejects(() => client.send(799, { RANDSTR: 'x' })), -1003, '799');
    expectNegative(await rejects(() => client.send(2322, { MERORDERID: 'G1' })), -1003, '/mmsp/gateway');
  });

  it('commands the merchant does not have: 暂未开通', async () => {
    for (const id of [781, 774, 775, 776]) {
      expectNegative(await rejects(() => client.send(id, { BIND_ID: bindId })), -1009, '暂未开通');
    }
  });
});

describe('771 fields', () => {
  it('a missing required field is named', async () => {
    for (const field of ['MERORDERID', 'CARDNO', 'CARDTYPE', 'NAME', 'ID_NO', 'PHONENO', 'NOTIFY_URL']) {
      const body: Record<string, unknown> = cardPayBody(card('ok'), notifyUrl);
      delete body[field];
      expectNegative(await rejects(() => client.send(771, body)), -1004, field);
    }
    const body: Record<string, unknown> = cardPayBody(card('ok'), notifyUrl);
    delete body.AMT;
    expectNegative(await rejects(() => client.send(771, body)), -3005, 'AMT');
  });

  it('malformed fields', async () => {
    const credit = card('ok', 'credit');
    const cases: [Record<string, unknown>, number, string][] = [
      [cardPayBody(card('ok'), notifyUrl, { CARDTYPE: '3' }), -1004, 'CARDTYPE'],
      [cardPayBody(card('ok'), notifyUrl, { AMT: '12.50' }), -3005, 'AMT'],
      [cardPayBody(card('ok'), notifyUrl, { AMT: '0' }), -3005, 'AMT'],
      [cardPayBody(card('ok'), notifyUrl, { NOTIFY_URL: 'ftp://shop.example/n' }), -1004, 'NOTIFY_URL'],
      [cardPayBody(card('ok'), notifyUrl, { MERORDERID: 'M'.repeat(33) }), -1004, 'MERORDERID'],
      [cardPayBody(card('ok'), notifyUrl, { PHONENO: '138001380001' }), -1004, 'PHONENO'],
      [cardPayBody(credit, notifyUrl, { EXPDATE: '1330' }), -1004, 'EXPDATE'],
      [cardPayBody(credit, notifyUrl, { EXPDATE: '01117' }), -1004, 'EXPDATE'],
      [cardPayBody(credit, notifyUrl, { EXPDATE: undefined }), -1004, 'EXPDATE'],
      [cardPayBody(credit, notifyUrl, { CVN2: undefined }), -1004, 'CVN2'],
      [cardPayBody(credit, notifyUrl, { CVN2: '12a' }), -1004, 'CVN2'],
    ];
    for (const [body, code, field] of cases) {
      const clean = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
      expectNegative(await rejects(() => client.send(771, clean)), code, field);
    }
  });

  it('card elements that do not match a test card: D4 要素不匹配', async () => {
    const debit = card('ok');
    const credit = card('ok', 'credit');
    const cases: Record<string, unknown>[] = [
      cardPayBody(debit, notifyUrl, { NAME: '李鬼' }),
      cardPayBody(debit, notifyUrl, { ID_NO: '110105199003071230' }),
      cardPayBody(debit, notifyUrl, { PHONENO: '13800138001' }),
      cardPayBody(debit, notifyUrl, { CARDNO: '6222021307418529631' }),
      cardPayBody(debit, notifyUrl, { CARDTYPE: '2', EXPDATE: '1230', CVN2: '123' }),
      cardPayBody(credit, notifyUrl, { CVN2: '999' }),
      cardPayBody(credit, notifyUrl, { EXPDATE: '1231' }),
    ];
    for (const body of cases) {
      const reply = await rejects(() => client.send(771, body));
      expectRefusal(reply, 'D4');
      expect(reply.Body).toMatchObject({ ERRMSG: '要素不匹配', MERORDERID: body.MERORDERID });
    }
    const journal = await sim.get('/_sim/requests?provider=mmsp&limit=1');
    expect(journal[0].note).toBe('elements that do not match: EXPDATE');
  });

  it('a MERORDERID already used: 94, the existing order untouched', async () => {
    const reply = await rejects(() => client.send(771, cardPayBody(card('ok'), notifyUrl, { MERORDERID: open.orderNo })));
    expectRefusal(reply, '94');
    expect(reply.Body.MERORDERID).toBe(open.orderNo);
  });
});

describe('SMS codes', () => {
  it('a wrong code: 55, the order still payable', async () => {
    const wrong = open.code === '000000' ? '111111' : '000000';
    const reply = await rejects(() => client.send(772, { LIST_ID: open.listId, MSG_CODE: wrong }), () => sim.state());
    expectRefusal(reply, '55');
  });

  it('a resend within 60 s: S2', async () => {
    expectRefusal(await rejects(() => client.send(778, { LIST_ID: open.listId })), 'S2');
  });

  it('an unknown or another merchant’s LIST_ID, or a scan order: [-2002] 没有该订单', async () => {
    expectNegative(await rejects(() => client.send(772, { LIST_ID: '199999999999', MSG_CODE: '123456' })), -2002, '没有该订单');
    expectNegative(await rejects(() => client.send(778, { LIST_ID: paid.listId })), -2002);
    expectNegative(await rejects(() => client.send(773, { MERORDERID: paid.orderNo })), -2002);
    expectNegative(await rejects(() => client.send(773, { MERORDERID: scanOrderNo })), -2002);
    expectNegative(await rejects(() => client.send(773, { MERORDERID: 'NOPE' })), -2002);
  });

  it('a code for an order that needs none (783): 12', async () => {
    expectRefusal(await rejects(() => client.send(772, { LIST_ID: unionpayListId, MSG_CODE: '123456' })), '12');
    expectRefusal(await rejects(() => client.send(778, { LIST_ID: unionpayListId })), '12');
  });

  it('missing LIST_ID or MSG_CODE, a MSG_CODE too long', async () => {
    expectNegative(await rejects(() => client.send(772, { MSG_CODE: '123456' })), -1004, 'LIST_ID');
    expectNegative(await rejects(() => client.send(772, { LIST_ID: open.listId })), -1004, 'MSG_CODE');
    expectNegative(await rejects(() => client.send(772, { LIST_ID: open.listId, MSG_CODE: '1234567' })), -1004, 'MSG_CODE');
  });
});

describe('bindings', () => {
  const send = (id: number, body: Record<string, unknown>) => client.send(id, body, OPEN_HEADER, OPEN_MERCHANT.md5Key);

  it('an unknown BIND_ID (B1), another user’s (B2), a wrong phone (D4)', async () => {
    const base = { MERORDERID: orderNo('BP'), USER_ID: 'u-1', PHONENO: card('ok').phone, AMT: '100' };
    expectRefusal(await rejects(() => send(780, { ...base, BIND_ID: '1999999999' })), 'B1', OPEN_MERCHANT.md5Key);
    expectRefusal(await rejects(() => send(780, { ...base, BIND_ID: bindId, USER_ID: 'u-2' })), 'B2', OPEN_MERCHANT.md5Key);
    expectRefusal(await rejects(() => send(780, { ...base, BIND_ID: bindId, PHONENO: '13000000000' })), 'D4', OPEN_MERCHANT.md5Key);
    expectRefusal(await rejects(() => client.send(780, { ...base, BIND_ID: bindId })), 'B1');
    expectRefusal(await rejects(() => send(775, { BIND_ID: '1999999999' })), 'B1', OPEN_MERCHANT.md5Key);
    expectRefusal(await rejects(() => send(776, { BIND_ID: '1999999999' })), 'B1', OPEN_MERCHANT.md5Key);
  });

  it('779 without its 780: [-2002]', async () => {
    const body = { BIND_ID: bindId, MERORDERID: paid.orderNo, USER_ID: 'u-1', AMT: '1234', MSG_CODE: '123456', NOTIFY_URL: notifyUrl };
    expectNegative(await rejects(() => send(779, { ...body, MERORDERID: 'NEVER-SENT' })), -2002);
    // A card-pay order is not a bind-pay one.
    expectNegative(await rejects(() => send(779, body)), -2002);
  });

  it('774 without its 781: [-2002]; 781 for a card already bound: B4', async () => {
    const debit = card('ok');
    const body = { MERORDERID: 'NO-781', USER_ID: 'u-1', CARDNO: debit.number, CARDTYPE: '1', NAME: debit.holder, ID_NO: debit.idNumber, PHONENO: debit.phone, MSG_CODE: '123456' };
    expectNegative(await rejects(() => send(774, body)), -2002);
    const again = await rejects(() => send(781, { MERORDERID: orderNo('BD'), USER_ID: 'u-1', CARDNO: debit.number, PHONENO: debit.phone }));
    expectRefusal(again, 'B4', OPEN_MERCHANT.md5Key);
    expectRefusal(await rejects(() => send(781, { MERORDERID: orderNo('BD'), USER_ID: 'u-9', CARDNO: debit.number, PHONENO: '13000000000' })), 'D4', OPEN_MERCHANT.md5Key);
  });
});

describe('777 paging', () => {
  const today = async () => {
    const { now } = await sim.get('/_sim/clock');
    return new Date(Date.parse(now) + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 8);
  };

  it('out of range: PERPAGE above 1000 or 0, PAGE 0, START after END, beyond three months (30)', async () => {
    const day = await today();
    const cases = [
      { START_DATE: day, END_DATE: day, PERPAGE: '1001', PAGE: '1' },
      { START_DATE: day, END_DATE: day, PERPAGE: '0', PAGE: '1' },
      { START_DATE: day, END_DATE: day, PERPAGE: '10', PAGE: '0' },
      { START_DATE: day, END_DATE: '20250101', PERPAGE: '10', PAGE: '1' },
      { START_DATE: '20251101', END_DATE: day, PERPAGE: '10', PAGE: '1' },
    ];
    for (const body of cases) {
      const reply = await rejects(() => client.send(777, body));
      expectRefusal(reply, '30');
      expect(reply.Body.BIZ_CONTENT).toEqual([]);
    }
    // 1000 is allowed.
    expect((await client.send(777, { START_DATE: day, END_DATE: day, PERPAGE: '1000', PAGE: '1' })).Body.PERPAGE).toBe('1000');
  });

  it('malformed: dates and numbers', async () => {
    expectNegative(await rejects(() => client.send(777, { START_DATE: '2026-03-01', END_DATE: '20260301', PAGE: '1' })), -1004, 'START_DATE');
    expectNegative(await rejects(() => client.send(777, { START_DATE: '20260230', END_DATE: '20260301', PAGE: '1' })), -1004, 'START_DATE');
    expectNegative(await rejects(() => client.send(777, { START_DATE: '20260301', END_DATE: '202603011', PAGE: '1' })), -1004, 'END_DATE');
    expectNegative(await rejects(() => client.send(777, { START_DATE: '20260301', END_DATE: '20260301', PERPAGE: 'ten', PAGE: '1' })), -1004, 'PERPAGE');
    expectNegative(await rejects(() => client.send(777, { START_DATE: '20260301', END_DATE: '20260301' })), -1004, 'PAGE');
  });
});

describe('783 fields', () => {
  it('JUMP_URL and NOTIFY_URL are required, TRADE_MODE is 1 or 2, CARDNO must be a test card', async () => {
    const base = { MERORDERID: orderNo('UP'), AMT: '100', JUMP_URL: 'https://shop.example/', NOTIFY_URL: notifyUrl };
    expectNegative(await rejects(() => client.send(783, { ...base, JUMP_URL: '' })), -1004, 'JUMP_URL');
    expectNegative(await rejects(() => client.send(783, { ...base, NOTIFY_URL: 'nope' })), -1004, 'NOTIFY_URL');
    expectNegative(await rejects(() => client.send(783, { ...base, TRADE_MODE: '3' })), -1004, 'TRADE_MODE');
    expectRefusal(await rejects(() => client.send(783, { ...base, CARDNO: '6200000000000000' })), 'D4');
  });
});
