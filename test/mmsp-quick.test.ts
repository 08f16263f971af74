import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { orderNo } from './support/mmsp.js';
import { cardPayBody, OPEN_HEADER, OPEN_MERCHANT, quickClient, signedByPlatform, type Card } from './support/mmsp-quick.js';

const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof quickClient>;
let notifyUrl: string;
let cards: Card[];
const card = (behaviour: string, type: 'debit' | 'credit' = 'debit') => cards.find((c) => c.behaviour === behaviour && c.type === type)!;

beforeAll(async () => {
  client = quickClient(sim.url);
  notifyUrl = `${merchant.url}/notify`;
  cards = await sim.get('/_sim/cards');
});

beforeEach(async () => {
  await sim.post('/_sim/merchants', OPEN_MERCHANT);
});

/** The sandbox clock as a wire time, `YYYYMMDDHHmmss` China time. */
const wireNow = async () => {
  const { now } = await sim.get('/_sim/clock');
  return new Date(Date.parse(now) + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
};

const orderOf = async (no: string) => (await sim.get(`/_sim/orders?provider=mmsp&orderNo=${no}`))[0];
const smsCodeOf = async (no: string) => (await orderOf(no)).smsCode as string;
const records = (kind: string) => sim.get(`/_sim/records?provider=mmsp&kind=${kind}`);

/** A 771 followed by its SMS confirmation; returns the replies. */
async function payByCard(c: Card, overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key?: string) {
  const request = cardPayBody(c, notifyUrl, overrides);
  const placed = await client.send(771, request, header, key);
  const code = await smsCodeOf(request.MERORDERID);
  const confirmed = await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: code, RANDSTR: 'x' }, header, key);
  return { request, placed, confirmed };
}

describe('771 快捷支付交易 and 772 交易短信确认 (flow A)', () => {
  it('places the order, sends a 6-digit code, and pays it on the right code', async () => {
    const debit = card('ok');
    const request = cardPayBody(debit, notifyUrl);
    const placed = await client.send(771, request);
    expect(placed).toMatchObject({ CommandID: 33539, RetCode: 1, ErrorMsg: '', NodeID: 'openapi', SeqID: '1' });
    expect(signedByPlatform(placed)).toBe(true);
    expect(placed.Body).toMatchObject({
      STATUS: '0',
      MERORDERID: request.MERORDERID,
      AMT: '1234',
      BANK_NAME: debit.bank,
      CARDNO: debit.number,
      PAY_DATE: '',
      NOTIFY_DATE: '',
    });
    expect(placed.Body.LIST_ID).toMatch(/^1\d{11}$/);
    expect(placed.Body.BIND_ID).toBeUndefined();

    const order = await orderOf(request.MERORDERID);
    expect(order).toMatchObject({ state: 'created', product: 'quick.debit', amount: 1234, platformOrderNo: placed.Body.LIST_ID });
    expect(order.smsCode).toMatch(/^\d{6}$/);
    // 30 minutes to pay (MMSP-31), the code 5.
    expect(Date.parse(order.expiresAt) - Date.parse(order.createdAt)).toBe(30 * 60_000);
    const [sms] = await records('sms');
    expect(sms).toMatchObject({ state: 'sent', orderNo: request.MERORDERID, attributes: { code: order.smsCode, phone: debit.phone } });
    expect(Date.parse(sms.expiresAt) - Date.parse(sms.createdAt)).toBe(5 * 60_000);

    // The dashboard shows the open code beside the order's state.
    expect(await (await fetch(`${sim.url}/dashboard?kind=order`)).text()).toContain(`SMS ${order.smsCode}`);
    const confirmed = await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: order.smsCode, RANDSTR: 'x' });
    expect(confirmed.CommandID).toBe(33540);
    expect(signedByPlatform(confirmed)).toBe(true);
    expect(confirmed.Body).toEqual({ LIST_ID: placed.Body.LIST_ID, STATUS: '1' });
    const paid = await orderOf(request.MERORDERID);
    expect(paid.state).toBe('paid');
    expect(paid.smsCode).toBeUndefined();
    expect((await records('sms'))[0].state).toBe('verified');
  });

  it('takes a credit card with its date and CVN2 (product quick.credit)', async () => {
    const { placed, confirmed, request } = await payByCard(card('ok', 'credit'));
    expect(placed.Body.STATUS).toBe('0');
    expect(confirmed.Body.STATUS).toBe('1');
    expect((await orderOf(request.MERORDERID)).product).toBe('quick.credit');
  });

  it('a declined card or one without funds fails at the confirmation (05 / 51)', async () => {
    for (const [behaviour, code] of [
      ['declined', '05'],
      ['insufficient', '51'],
    ]) {
      const { placed, confirmed, request } = await payByCard(card(behaviour!));
      expect(placed.Body.STATUS).toBe('0');
      expect(confirmed.Body).toMatchObject({ STATUS: '2', ERRCODE: code });
      expect(signedByPlatform(confirmed)).toBe(true);
      expect((await orderOf(request.MERORDERID)).state).toBe('failed');
      const query = await client.send(773, { MERORDERID: request.MERORDERID });
      expect(query.Body).toMatchObject({ STATUS: '2', ERRCODE: code });
    }
  });

  it('a card past its date fails at once (54), with no code sent', async () => {
    const request = cardPayBody(card('expired', 'credit'), notifyUrl);
    const placed = await client.send(771, request);
    expect(placed.Body).toMatchObject({ STATUS: '2', ERRCODE: '54', LIST_ID: expect.any(String) });
    const order = await orderOf(request.MERORDERID);
    expect(order.state).toBe('failed');
    expect(order.smsCode).toBeUndefined();
    expect(await records('sms')).toEqual([]);
  });
});

describe('the SMS challenge on the clock', () => {
  it('refuses a wrong code (55, attempts left) and keeps the order payable', async () => {
    const request = cardPayBody(card('ok'), notifyUrl);
    const placed = await client.send(771, request);
    const code = await smsCodeOf(request.MERORDERID);
    const wrong = code === '000000' ? '111111' : '000000';
    const reply = await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: wrong });
    expect(reply.Body).toEqual({ STATUS: '2', ERRCODE: '55', ERRMSG: '短信验证码错误，还可输入4次' });
    expect(signedByPlatform(reply)).toBe(true);
    expect(await orderOf(request.MERORDERID)).toMatchObject({ state: 'created', smsCode: code });
    expect((await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: code })).Body.STATUS).toBe('1');
  });

  it('voids the challenge at the fifth wrong code (75); a new code works', async () => {
    const request = cardPayBody(card('ok'), notifyUrl);
    const placed = await client.send(771, request);
    const code = await smsCodeOf(request.MERORDERID);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: wrong })).Body.ERRCODE);
    expect(answers).toEqual(['55', '55', '55', '55', '75']);
    expect((await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: code })).Body).toMatchObject({ STATUS: '2', ERRCODE: '75' });
    const order = await orderOf(request.MERORDERID);
    expect(order.state).toBe('created');
    expect(order.smsCode).toBeUndefined();
    expect((await records('sms'))[0]).toMatchObject({ state: 'void', attributes: { wrong: 5 } });

    await sim.advance(60);
    expect((await client.send(778, { LIST_ID: placed.Body.LIST_ID })).Body).toEqual({ STATUS: '1', LIST_ID: placed.Body.LIST_ID });
    const fresh = await smsCodeOf(request.MERORDERID);
    expect((await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: fresh })).Body.STATUS).toBe('1');
  });

  it('expires a code after 5 minutes (S1); the order stays payable and a resend brings a new code', async () => {
    const request = cardPayBody(card('ok'), notifyUrl);
    const placed = await client.send(771, request);
    const code = await smsCodeOf(request.MERORDERID);
    await sim.advance(299);
    expect((await orderOf(request.MERORDERID)).smsCode).toBe(code);
    await sim.advance(1);
    expect((await orderOf(request.MERORDERID)).smsCode).toBeUndefined();
    expect((await records('sms'))[0].state).toBe('expired');
    const reply = await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: code });
    expect(reply.Body).toMatchObject({ STATUS: '2', ERRCODE: 'S1' });
    expect((await orderOf(request.MERORDERID)).state).toBe('created');

    expect((await client.send(778, { LIST_ID: placed.Body.LIST_ID })).Body.STATUS).toBe('1');
    const fresh = await smsCodeOf(request.MERORDERID);
    expect((await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: fresh })).Body.STATUS).toBe('1');
  });

  it('778 resends at most once per 60 s (S2), and the old code stops working', async () => {
    const request = cardPayBody(card('ok'), notifyUrl);
    const placed = await client.send(771, request);
    const first = await smsCodeOf(request.MERORDERID);
    const early = await client.send(778, { LIST_ID: placed.Body.LIST_ID, RANDSTR: 'x' });
    expect(early.CommandID).toBe(33546);
    expect(early.Body).toMatchObject({ STATUS: '2', ERRCODE: 'S2', LIST_ID: placed.Body.LIST_ID });
    expect(early.Body.ERRMSG).toContain('60秒');
    expect(await smsCodeOf(request.MERORDERID)).toBe(first);

    await sim.advance(59);
    expect((await client.send(778, { LIST_ID: placed.Body.LIST_ID })).Body.ERRCODE).toBe('S2');
    await sim.advance(1);
    const resent = await client.send(778, { LIST_ID: placed.Body.LIST_ID });
    expect(resent.Body).toEqual({ STATUS: '1', LIST_ID: placed.Body.LIST_ID });
    expect(signedByPlatform(resent)).toBe(true);
    const second = await smsCodeOf(request.MERORDERID);
    expect(second).toMatch(/^\d{6}$/);
    const sms = await records('sms');
    expect(sms.map((s: { state: string }) => s.state)).toEqual(['sent', 'void']);
    // The 60 s count again from this send.
    expect((await client.send(778, { LIST_ID: placed.Body.LIST_ID })).Body.ERRCODE).toBe('S2');
    if (first !== second) {
      expect((await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: first })).Body.ERRCODE).toBe('55');
    }
    expect((await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: second })).Body.STATUS).toBe('1');
  });

  it('refuses a code for an order that can no longer be paid: paid (12), closed (D4)', async () => {
    const { placed, request } = await payByCard(card('ok'));
    const again = await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: '123456' });
    expect(again.Body).toMatchObject({ STATUS: '2', ERRCODE: '12' });
    expect((await client.send(778, { LIST_ID: placed.Body.LIST_ID })).Body).toMatchObject({ STATUS: '2', ERRCODE: '12' });
    expect((await orderOf(request.MERORDERID)).state).toBe('paid');

    const unpaid = cardPayBody(card('ok'), notifyUrl);
    const open = await client.send(771, unpaid);
    await sim.advance(30 * 60);
    expect((await orderOf(unpaid.MERORDERID)).state).toBe('closed');
    expect((await records('sms')).find((s: { orderNo: string }) => s.orderNo === unpaid.MERORDERID).state).toBe('expired');
    expect((await client.send(772, { LIST_ID: open.Body.LIST_ID, MSG_CODE: '123456' })).Body).toMatchObject({ STATUS: '2', ERRCODE: 'D4' });
    expect((await client.send(778, { LIST_ID: open.Body.LIST_ID })).Body).toMatchObject({ STATUS: '2', ERRCODE: 'D4' });
  });
});

describe('773 单笔交易查询', () => {
  it('answers STATUS 0 (AA) before payment and 1 after, with the card and dates', async () => {
    const debit = card('ok');
    const request = cardPayBody(debit, notifyUrl);
    const placed = await client.send(771, request);
    const before = await client.send(773, { MERORDERID: request.MERORDERID });
    expect(before.CommandID).toBe(33541);
    expect(signedByPlatform(before)).toBe(true);
    expect(before.Body).toEqual({
      STATUS: '0',
      ERRCODE: 'AA',
      ERRMSG: '用户支付中',
      LIST_ID: placed.Body.LIST_ID,
      MERORDERID: request.MERORDERID,
      PAY_DATE: '',
      NOTIFY_DATE: '',
      CARDNO: debit.number,
      AMT: '1234',
      CARDTYPE: '1',
    });
    await sim.advance(5);
    await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: await smsCodeOf(request.MERORDERID) });
    const paidAt = await wireNow();
    const after = await client.send(773, { MERORDERID: request.MERORDERID });
    expect(after.Body).toMatchObject({ STATUS: '1', PAY_DATE: paidAt, NOTIFY_DATE: paidAt });
    expect(after.Body.ERRCODE).toBeUndefined();
  });

  it('answers D4 for an order closed at its expiry', async () => {
    const request = cardPayBody(card('ok'), notifyUrl);
    await client.send(771, request);
    await sim.advance(30 * 60);
    expect((await client.send(773, { MERORDERID: request.MERORDERID })).Body).toMatchObject({ STATUS: '2', ERRCODE: 'D4', ERRMSG: '订单已关闭' });
  });
});

describe('bind mode A: 771 with USER_ID, then 780 / 779 bind pay, 775 unbind, 776 bind query', () => {
  const key = OPEN_MERCHANT.md5Key;
  const send = (id: number, body: Record<string, unknown>) => client.send(id, body, OPEN_HEADER, key);

  async function bindByPaying(userId: string, c = card('ok')) {
    const { placed, confirmed } = await payByCard(c, { USER_ID: userId }, OPEN_HEADER, key);
    return { bindId: String(placed.Body.BIND_ID), placed, confirmed };
  }

  it('returns BIND_ID with the payment; the binding is active once it is paid', async () => {
    const request = cardPayBody(card('ok'), notifyUrl, { USER_ID: 'user-1' });
    const placed = await send(771, request);
    expect(placed.Body.BIND_ID).toMatch(/^1\d{9}$/);
    expect(signedByPlatform(placed, key)).toBe(true);
    const [pending] = await records('binding');
    expect(pending).toMatchObject({ state: 'pending', platformNumber: placed.Body.BIND_ID, orderNo: request.MERORDERID });
    await send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: await smsCodeOf(request.MERORDERID) });
    expect((await records('binding'))[0].state).toBe('active');
    expect((await send(773, { MERORDERID: request.MERORDERID })).Body.BIND_ID).toBe(placed.Body.BIND_ID);

    // The same user paying with the same card again gets the same BIND_ID.
    const again = await send(771, cardPayBody(card('ok'), notifyUrl, { USER_ID: 'user-1' }));
    expect(again.Body.BIND_ID).toBe(placed.Body.BIND_ID);
    expect(await records('binding')).toHaveLength(1);
  });

  it('a failed payment leaves no binding', async () => {
    const request = cardPayBody(card('declined'), notifyUrl, { USER_ID: 'user-2' });
    const placed = await send(771, request);
    await send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: await smsCodeOf(request.MERORDERID) });
    expect((await records('binding'))[0].state).toBe('failed');
    expect((await send(780, { BIND_ID: placed.Body.BIND_ID, MERORDERID: orderNo('B'), USER_ID: 'user-2', PHONENO: card('declined').phone, AMT: '100' })).Body)
      .toMatchObject({ STATUS: '2', ERRCODE: 'B3' });
  });

  it('780 sends the code to the bound phone, 779 pays with it and is notified to its NOTIFY_URL', async () => {
    const debit = card('ok');
    const { bindId } = await bindByPaying('user-3');
    merchant.received.length = 0;
    const no = orderNo('BP');
    const sms = await send(780, { BIND_ID: bindId, MERORDERID: no, USER_ID: 'user-3', PHONENO: debit.phone, AMT: '888', RANDSTR: 'r' });
    expect(sms.CommandID).toBe(33548);
    expect(signedByPlatform(sms, key)).toBe(true);
    expect(sms.Body).toMatchObject({ STATUS: '1', USER_ID: 'user-3', MERORDERID: no, CARDNO: debit.number });
    const order = await orderOf(no);
    expect(order).toMatchObject({ state: 'created', product: 'quick.bindpay', amount: 888, notifyUrl: null });
    expect(order.smsCode).toMatch(/^\d{6}$/);

    const confirm = await send(779, { BIND_ID: bindId, MERORDERID: no, USER_ID: 'user-3', AMT: '888', MSG_CODE: order.smsCode, NOTIFY_URL: `${merchant.url}/bindpay` });
    expect(confirm.CommandID).toBe(33547);
    expect(signedByPlatform(confirm, key)).toBe(true);
    expect(confirm.Body).toMatchObject({
      STATUS: '1',
      USER_ID: 'user-3',
      BIND_ID: bindId,
      LIST_ID: sms.Body.LIST_ID,
      MERORDERID: no,
      AMT: '888',
      BANK_NAME: debit.bank,
      CARDNO: debit.number,
      PAY_DATE: await wireNow(),
    });
    await sim.advance(0);
    const pushes = merchant.received.filter((r) => r.path === '/bindpay');
    expect(pushes).toHaveLength(1);
    expect(JSON.parse(pushes[0]!.body).Body).toMatchObject({ STATUS: '1', MERORDERID: no, AMT: '888' });
  });

  it('779 refuses a wrong code (55) and an amount other than the 780 one ([-3005])', async () => {
    const debit = card('ok');
    const { bindId } = await bindByPaying('user-4');
    const no = orderNo('BP');
    await send(780, { BIND_ID: bindId, MERORDERID: no, USER_ID: 'user-4', PHONENO: debit.phone, AMT: '500' });
    const code = await smsCodeOf(no);
    const wrong = await send(779, { BIND_ID: bindId, MERORDERID: no, USER_ID: 'user-4', AMT: '500', MSG_CODE: code === '000000' ? '111111' : '000000', NOTIFY_URL: notifyUrl });
    expect(wrong.Body).toMatchObject({ STATUS: '2', ERRCODE: '55', BIND_ID: bindId, MERORDERID: no });
    const amount = await send(779, { BIND_ID: bindId, MERORDERID: no, USER_ID: 'user-4', AMT: '501', MSG_CODE: code, NOTIFY_URL: notifyUrl });
    expect(amount).toMatchObject({ CommandID: 32768, RetCode: 0 });
    expect(amount.ErrorMsg).toMatch(/^\[-3005\]/);
    expect((await orderOf(no)).state).toBe('created');
  });

  it('refuses a BIND_ID of another user (B2) or another merchant, or an unknown one (B1)', async () => {
    const debit = card('ok');
    const { bindId } = await bindByPaying('user-5');
    const other = await send(780, { BIND_ID: bindId, MERORDERID: orderNo('BP'), USER_ID: 'someone-else', PHONENO: debit.phone, AMT: '100' });
    expect(other.Body).toMatchObject({ STATUS: '2', ERRCODE: 'B2' });
    const unknown = await send(780, { BIND_ID: '1999999999', MERORDERID: orderNo('BP'), USER_ID: 'user-5', PHONENO: debit.phone, AMT: '100' });
    expect(unknown.Body).toMatchObject({ STATUS: '2', ERRCODE: 'B1' });
    // The default test merchant does not see the open merchant's binding.
    const foreign = await client.send(780, { BIND_ID: bindId, MERORDERID: orderNo('BP'), USER_ID: 'user-5', PHONENO: debit.phone, AMT: '100' });
    expect(foreign.Body).toMatchObject({ STATUS: '2', ERRCODE: 'B1' });
    const phone = await send(780, { BIND_ID: bindId, MERORDERID: orderNo('BP'), USER_ID: 'user-5', PHONENO: '13999999999', AMT: '100' });
    expect(phone.Body).toMatchObject({ STATUS: '2', ERRCODE: 'D4', ERRMSG: '要素不匹配' });
  });

  it('776 queries a binding (or lists a user’s), 775 unbinds it', async () => {
    const debit = card('ok');
    const credit = card('ok', 'credit');
    const { bindId } = await bindByPaying('user-6', debit);
    const { bindId: creditId } = await bindByPaying('user-6', credit);
    const one = await send(776, { BIND_ID: creditId });
    expect(one.CommandID).toBe(33544);
    expect(signedByPlatform(one, key)).toBe(true);
    expect(one.Body).toMatchObject({
      STATUS: '1',
      CARDNO: credit.number,
      CARDTYPE: '2',
      EXPDATE: credit.validDate,
      CVN2: credit.cvv2,
      NAME: credit.holder,
      ID_NO: credit.idNumber,
      PHONENO: credit.phone,
      BIND_ID: creditId,
    });
    const list = await send(776, { USER_ID: 'user-6' });
    expect(list.Body.BIZ_CONTENT.map((b: { BIND_ID: string }) => b.BIND_ID)).toEqual([bindId, creditId]);

    const unbound = await send(775, { BIND_ID: bindId });
    expect(unbound.CommandID).toBe(33543);
    expect(unbound.Body).toEqual({ STATUS: '1' });
    expect((await send(775, { BIND_ID: bindId })).Body).toMatchObject({ STATUS: '2', ERRCODE: 'B3' });
    expect((await send(776, { BIND_ID: bindId })).Body).toMatchObject({ STATUS: '2', ERRCODE: 'B3' });
    expect((await send(776, { USER_ID: 'user-6' })).Body.BIZ_CONTENT).toHaveLength(1);
    expect((await send(780, { BIND_ID: bindId, MERORDERID: orderNo('BP'), USER_ID: 'user-6', PHONENO: debit.phone, AMT: '100' })).Body.ERRCODE).toBe('B3');
  });
});

describe('bind mode B: 781 鉴权绑卡短信 and 774 鉴权绑卡', () => {
  const key = OPEN_MERCHANT.md5Key;
  const send = (id: number, body: Record<string, unknown>) => client.send(id, body, OPEN_HEADER, key);

  it('binds a card with the code sent to its phone', async () => {
    const credit = card('ok', 'credit');
    const no = orderNo('BD');
    const sms = await send(781, { MERORDERID: no, USER_ID: 'user-b', CARDNO: credit.number, PHONENO: credit.phone, RANDSTR: 'r' });
    expect(sms.CommandID).toBe(33549);
    expect(sms.Body).toMatchObject({ STATUS: '1', USER_ID: 'user-b', MERORDERID: no, CARDNO: credit.number });
    const [binding] = await records('binding');
    expect(binding.state).toBe('pending');
    const code = (await records('sms'))[0].attributes.code;
    const bound = await send(774, {
      MERORDERID: no,
      USER_ID: 'user-b',
      CARDNO: credit.number,
      CARDTYPE: '2',
      EXPDATE: credit.validDate,
      CVN2: credit.cvv2,
      NAME: credit.holder,
      ID_NO: credit.idNumber,
      PHONENO: credit.phone,
      MSG_CODE: code,
    });
    expect(bound.CommandID).toBe(33542);
    expect(signedByPlatform(bound, key)).toBe(true);
    expect(bound.Body).toMatchObject({ STATUS: '1', LIST_ID: sms.Body.LIST_ID, BIND_ID: binding.platformNumber, USER_ID: 'user-b', MERORDERID: no, CARDNO: credit.number });
    expect((await records('binding'))[0].state).toBe('active');
    // 778 resends a mode-B code too (after 60 s), and the binding pays with 780.
    expect((await send(780, { BIND_ID: bound.Body.BIND_ID, MERORDERID: orderNo('BP'), USER_ID: 'user-b', PHONENO: credit.phone, AMT: '100' })).Body.STATUS).toBe('1');
  });

  it('refuses elements that do not match the card (D4) and keeps the request open', async () => {
    const debit = card('ok');
    const no = orderNo('BD');
    await send(781, { MERORDERID: no, USER_ID: 'user-c', CARDNO: debit.number, PHONENO: debit.phone });
    const code = (await records('sms'))[0].attributes.code;
    const body = { MERORDERID: no, USER_ID: 'user-c', CARDNO: debit.number, CARDTYPE: '1', NAME: debit.holder, ID_NO: debit.idNumber, PHONENO: debit.phone, MSG_CODE: code };
    expect((await send(774, { ...body, NAME: '李鬼' })).Body).toMatchObject({ STATUS: '2', ERRCODE: 'D4' });
    await sim.advance(60);
    expect((await send(778, { LIST_ID: (await records('binding'))[0].attributes.listId })).Body.STATUS).toBe('1');
    const fresh = (await records('sms'))[0].attributes.code;
    expect((await send(774, { ...body, MSG_CODE: fresh })).Body.STATUS).toBe('1');
  });
});

describe('777 快捷支付多笔批量查询', () => {
  it('pages the paid orders of the window: TOTAL_NUM, TOTAL_PAGE, STATUS 0 past the end', async () => {
    const paid: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { request } = await payByCard(card('ok'));
      paid.push(request.MERORDERID);
      await sim.advance(10);
    }
    await client.send(771, cardPayBody(card('ok'), notifyUrl)); // unpaid: not listed
    const today = (await wireNow()).slice(0, 8);
    const first = await client.send(777, { START_DATE: today, END_DATE: today, PERPAGE: '2', PAGE: '1' });
    expect(first.CommandID).toBe(33545);
    expect(signedByPlatform(first)).toBe(true);
    expect(first.Body).toMatchObject({ STATUS: '1', PERPAGE: '2', PAGE: '1', TOTAL_NUM: '3', TOTAL_PAGE: '2' });
    expect(first.Body.BIZ_CONTENT.map((o: { MERORDERID: string }) => o.MERORDERID)).toEqual(paid.slice(0, 2));
    expect(first.Body.BIZ_CONTENT[0]).toMatchObject({ STATUS: '1', CARDTYPE: '1', AMT: '1234', BIND_ID: '' });
    expect(Object.keys(first.Body.BIZ_CONTENT[0])).toEqual(['STATUS', 'LIST_ID', 'MERORDERID', 'PAY_DATE', 'NOTIFY_DATE', 'CARDNO', 'AMT', 'CARDTYPE', 'BIND_ID']);
    const second = await client.send(777, { START_DATE: `${today}00`, END_DATE: `${today}235959`, PERPAGE: '2', PAGE: '2' });
    expect(second.Body.BIZ_CONTENT.map((o: { MERORDERID: string }) => o.MERORDERID)).toEqual(paid.slice(2));
    const past = await client.send(777, { START_DATE: today, END_DATE: today, PERPAGE: '2', PAGE: '3' });
    expect(past.Body).toMatchObject({ STATUS: '0', BIZ_CONTENT: [], TOTAL_NUM: '3', TOTAL_PAGE: '2' });
    // PERPAGE defaults to 10.
    expect((await client.send(777, { START_DATE: today, END_DATE: today, PAGE: '1' })).Body).toMatchObject({ PERPAGE: '10', TOTAL_PAGE: '1' });
  });

  it('answers STATUS 0 when nothing matches', async () => {
    const reply = await client.send(777, { START_DATE: '20260201', END_DATE: '20260228', PERPAGE: '10', PAGE: '1' });
    expect(reply.Body).toMatchObject({ STATUS: '0', BIZ_CONTENT: [], TOTAL_NUM: '0', TOTAL_PAGE: '0' });
  });

  it('lists quick-pay orders (783 ones too), not gateway or scan ones', async () => {
    await payByCard(card('ok'));
    await sim.post('/_sim/orders/mmsp/' + (await client.send(783, { MERORDERID: orderNo('UP'), AMT: '1', JUMP_URL: 'https://a.cn/', NOTIFY_URL: notifyUrl })).Body.MERORDERID + '/pay');
    const today = (await wireNow()).slice(0, 8);
    const reply = await client.send(777, { START_DATE: today, END_DATE: today, PAGE: '1' });
    expect(reply.Body.TOTAL_NUM).toBe('2');
  });
});

describe('783 银联快捷下单 (flow C)', () => {
  it('answers PAY_URL to a hosted page; paying it returns to JUMP_URL with no data and notifies', async () => {
    const no = orderNo('UP');
    const reply = await client.send(783, { MERORDERID: no, AMT: '2500', JUMP_URL: 'https://shop.example/done?x=1', NOTIFY_URL: `${merchant.url}/up`, TRADE_MODE: '1' });
    expect(reply.CommandID).toBe(33551);
    expect(signedByPlatform(reply)).toBe(true);
    expect(reply.Body).toMatchObject({ STATUS: '0', ERRMSG: '用户支付中', MERORDERID: no, AMT: '2500', PAY_DATE: '', NOTIFY_DATE: '' });
    expect(reply.Body.HTML).toBeUndefined();
    const payUrl = new URL(reply.Body.PAY_URL);
    expect(payUrl.pathname).toBe(`/pay/mmsp/${reply.Body.LIST_ID}`);

    const page = await (await fetch(`${sim.url}${payUrl.pathname}`)).text();
    expect(page).toContain('银联快捷支付');
    expect(page).toContain('¥25.00');
    expect(page).toContain(`action="${payUrl.pathname}/pay"`);
    const pay = await fetch(`${sim.url}${payUrl.pathname}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    expect(pay.headers.get('location')).toBe('https://shop.example/done?x=1');
    expect((await orderOf(no)).state).toBe('paid');
    await sim.advance(0);
    const pushes = merchant.received.filter((r) => r.path === '/up');
    expect(pushes).toHaveLength(1);
    const body = JSON.parse(pushes[0]!.body).Body;
    expect(body).toMatchObject({ STATUS: '1', MERORDERID: no, AMT: '2500', PUSH_COUNT: 1 });
    expect(body.CARDNO).toBeUndefined();
    expect((await client.send(773, { MERORDERID: no })).Body.STATUS).toBe('1');
  });

  it('TRADE_MODE 2 adds HTML that sends the browser to PAY_URL; a CARDNO is carried to the notification', async () => {
    const credit = card('ok', 'credit');
    const no = orderNo('UP');
    const reply = await client.send(783, { MERORDERID: no, AMT: '100', JUMP_URL: 'https://shop.example/done', NOTIFY_URL: notifyUrl, TRADE_MODE: '2', CARDNO: credit.number });
    expect(reply.Body.HTML).toContain(`action="${reply.Body.PAY_URL}"`);
    expect(reply.Body.HTML).toContain('.submit()');
    await sim.post(`/_sim/orders/mmsp/${no}/pay`);
    await sim.advance(0);
    const body = JSON.parse(merchant.received.at(-1)!.body).Body;
    expect(body).toMatchObject({ CARDTYPE: '2', BANK_NAME: credit.bank });
    expect(body.CARDNO).toBe(`${credit.number.slice(0, 6)}******${credit.number.slice(-4)}`);
  });
});

describe('magic amounts', () => {
  it('2001: the confirmation answers 0/AA, queries AA, then paid and notified after 60 s', async () => {
    const request = cardPayBody(card('ok'), notifyUrl, { AMT: '2001' });
    const placed = await client.send(771, request);
    expect(placed.Body.STATUS).toBe('0');
    const confirmed = await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: await smsCodeOf(request.MERORDERID) });
    expect(confirmed.Body).toEqual({ STATUS: '0', ERRCODE: 'AA', ERRMSG: '用户支付中' });
    expect((await client.send(773, { MERORDERID: request.MERORDERID })).Body).toMatchObject({ STATUS: '0', ERRCODE: 'AA' });
    await sim.advance(59);
    expect(merchant.received).toHaveLength(0);
    await sim.advance(1);
    expect((await client.send(773, { MERORDERID: request.MERORDERID })).Body.STATUS).toBe('1');
    expect(merchant.received).toHaveLength(1);
  });

  it('2002: paying until the order expires, then closed (D4), nothing notified', async () => {
    const request = cardPayBody(card('ok'), notifyUrl, { AMT: '2002' });
    const placed = await client.send(771, request);
    const confirmed = await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: await smsCodeOf(request.MERORDERID) });
    expect(confirmed.Body.ERRCODE).toBe('AA');
    await sim.advance(30 * 60);
    expect((await client.send(773, { MERORDERID: request.MERORDERID })).Body).toMatchObject({ STATUS: '2', ERRCODE: 'D4' });
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(0);
  });

  it('2003: the order fails at once (STATUS 2, 51), no code is sent', async () => {
    const request = cardPayBody(card('ok'), notifyUrl, { AMT: '2003' });
    const placed = await client.send(771, request);
    expect(placed.Body).toMatchObject({ STATUS: '2', ERRCODE: '51' });
    expect((await orderOf(request.MERORDERID)).smsCode).toBeUndefined();
  });

  it('2004: the answer is lost (the connection drops: 快捷 §6 has no system error), so is the first query; the second shows it paid; it is notified', async () => {
    const request = cardPayBody(card('ok'), notifyUrl, { AMT: '2004' });
    await expect(client.send(771, request)).rejects.toThrow();
    await expect(client.send(773, { MERORDERID: request.MERORDERID })).rejects.toThrow();
    const second = await client.send(773, { MERORDERID: request.MERORDERID });
    expect(second.Body).toMatchObject({ STATUS: '1', MERORDERID: request.MERORDERID });
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
  });

  it('apply to 783 and 780 too', async () => {
    const failed = await client.send(783, { MERORDERID: orderNo('UP'), AMT: '2003', JUMP_URL: 'https://shop.example/', NOTIFY_URL: notifyUrl });
    expect(failed.Body).toMatchObject({ STATUS: '2', ERRCODE: '51' });
    const key = OPEN_MERCHANT.md5Key;
    const { placed } = await payByCard(card('ok'), { USER_ID: 'magic' }, OPEN_HEADER, key);
    const bindPay = await client.send(
      780,
      { BIND_ID: placed.Body.BIND_ID, MERORDERID: orderNo('BP'), USER_ID: 'magic', PHONENO: card('ok').phone, AMT: '2003' },
      OPEN_HEADER,
      key,
    );
    expect(bindPay.Body).toMatchObject({ STATUS: '2', ERRCODE: '51' });
  });
});

describe('product switches', () => {
  it('the document’s 暂未开通 commands answer 暂未开通 for a merchant without them', async () => {
    for (const id of [781, 774, 775]) {
      const reply = await client.send(id, { BIND_ID: '1000000001', RANDSTR: 'x' });
      expect(reply, String(id)).toMatchObject({ CommandID: 32768, RetCode: 0, Body: '', Sign: '' });
      expect(reply.ErrorMsg).toMatch(/^\[-1009\] 暂未开通/);
    }
  });

  it('a merchant can have a product turned off', async () => {
    await sim.post('/_sim/merchants', { ...OPEN_MERCHANT, settings: { products: { quick: false, 'quick.unionpay': false } } });
    const reply = await client.send(771, cardPayBody(card('ok'), notifyUrl), OPEN_HEADER, OPEN_MERCHANT.md5Key);
    expect(reply.ErrorMsg).toMatch(/^\[-1009\] 暂未开通/);
    const up = await client.send(783, { MERORDERID: 'X', AMT: '1', JUMP_URL: 'https://a.cn/', NOTIFY_URL: notifyUrl }, OPEN_HEADER, OPEN_MERCHANT.md5Key);
    expect(up.ErrorMsg).toMatch(/^\[-1009\]/);
  });
});
