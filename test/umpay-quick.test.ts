import querystring from 'node:querystring';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import {
  CARDS,
  GATEWAY,
  loadKeys,
  merDateOf,
  orderId,
  plain,
  quickPay,
  readMeta,
  rsaVerify,
  umpayClient,
  type UmpayClient,
  type UmpayKeys,
} from './support/umpay.js';

const { sim, merchant } = useSandbox({ resetEach: true });
let keys: UmpayKeys;
let client: UmpayClient;
let quick: ReturnType<typeof quickPay>;

beforeAll(async () => {
  keys = await loadKeys(sim.get);
  client = umpayClient(sim.url, keys);
  quick = quickPay(client, sim);
});

const orderOf = async (orderNo: string) => (await sim.get(`/_sim/orders?provider=umpay&orderNo=${encodeURIComponent(orderNo)}`))[0];
const records = (kind: string) => sim.get(`/_sim/records?provider=umpay&kind=${kind}`);

describe('the META answer', () => {
  it('is an HTML page the Node SDK reads: one META, CONTENT upper-case, ended by ">, sign last, signed over GBK', async () => {
    const { answer } = await quick.place(CARDS.icbcDebit);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/html;charset=UTF-8');
    expect(answer.html).toMatch(/^<!DOCTYPE HTML PUBLIC/);
    expect(answer.html.match(/<META /g)).toHaveLength(1);
    expect(answer.html).toMatch(/<META NAME="MobilePayPlatform" CONTENT="[^"<>]+">\n<\/head>/);
    expect(answer.html.indexOf('CONTENT')).toBe(answer.html.indexOf('CONTENT="'));
    const content = /CONTENT="([^"]+)"/.exec(answer.html)![1]!;
    expect(content.split('&').at(-1)).toMatch(/^sign=/);
    expect(answer.signValid).toBe(true);
    // Signed over the GBK bytes: ret_msg is Chinese, so UTF-8 bytes do not verify.
    expect(rsaVerify(Buffer.from(plain(answer.fields), 'utf8'), answer.fields.sign!, keys.platformCertificate)).toBe(false);
  });

  it('answers in the request charset, still signed over GBK', async () => {
    const { answer } = await quick.place(CARDS.icbcDebit, { goods_inf: '测试商品' }, { charset: 'GBK' });
    expect(answer.contentType).toBe('text/html;charset=GBK');
    expect(answer.fields.ret_code).toBe('0000');
    expect(answer.fields.ret_msg).toBe('成功');
    expect(answer.signValid).toBe(true);
  });
});

describe('快捷支付-支付: order, SMS, confirm', () => {
  it('apply_pay_shortcut answers trade_no, WAIT_BUYER_PAY and the debit card elements', async () => {
    const placed = await quick.place(CARDS.icbcDebit, { notify_url: `${merchant.url}/notify` });
    expect(placed.answer.fields).toMatchObject({
      mer_id: '60000100',
      order_id: placed.order_id,
      mer_date: placed.mer_date,
      ret_code: '0000',
      trade_state: 'WAIT_BUYER_PAY',
      payElements: 'card_id,card_holder,identity_type,identity_code',
      version: '4.0',
      sign_type: 'RSA',
    });
    expect(placed.trade_no).toMatch(/^36030110\d{8}$/); // 3, year digit 6, 0301, 10:00, sequence
    expect(await orderOf(placed.orderNo)).toMatchObject({ state: 'created', amount: 100, platformOrderNo: placed.trade_no, product: 'quick.pay' });
  });

  it('asks a credit card for its valid date and CVV2 too', async () => {
    const { payElements } = await quick.place(CARDS.bocCredit);
    expect(payElements).toBe('valid_date,cvv2,card_id,card_holder,identity_type,identity_code');
  });

  it('sends an SMS code (visible as smsCode), and the confirm pays and notifies', async () => {
    const placed = await quick.place(CARDS.icbcDebit, { notify_url: `${merchant.url}/notify`, amount: '1234' });
    const sms = await quick.sms(CARDS.icbcDebit, placed);
    expect(sms.fields).toMatchObject({ ret_code: '0000', trade_no: placed.trade_no, order_id: placed.order_id });
    expect(sms.signValid).toBe(true);
    const order = await orderOf(placed.orderNo);
    expect(order.smsCode).toMatch(/^\d{6}$/);
    // The dashboard shows the decrypted card masked.
    expect(order.attributes.card).toMatchObject({ number: '622202*********9630', lastFour: '9630', holder: '*三', identityCode: '110105********1239' });
    expect(JSON.stringify(order)).not.toContain('6222021307418529630');

    const confirm = await quick.confirm(CARDS.icbcDebit, placed);
    expect(confirm.signValid).toBe(true);
    expect(confirm.fields).toMatchObject({
      ret_code: '0000',
      trade_state: 'TRADE_SUCCESS',
      trade_no: placed.trade_no,
      amount: '1234',
      pay_date: placed.mer_date,
      last_four_cardid: '9630',
      gate_id: 'ICBC',
      pay_type: 'DEBITCARD',
    });
    expect(await orderOf(placed.orderNo)).toMatchObject({ state: 'paid' });
    expect((await orderOf(placed.orderNo)).smsCode).toBeUndefined();
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
  });

  it('pays with a credit card given its valid date (YYMM) and CVV2', async () => {
    const paid = await quick.pay(CARDS.bocCredit);
    expect(paid.smsAnswer.fields.ret_code).toBe('0000');
    expect(paid.confirmAnswer.fields).toMatchObject({ ret_code: '0000', trade_state: 'TRADE_SUCCESS', pay_type: 'CREDITCARD', gate_id: 'BOC' });
  });

  it('a declined card fails the trade: TRADE_FAIL with its code, notified', async () => {
    const paid = await quick.pay(CARDS.commDeclined, { notify_url: `${merchant.url}/n` });
    expect(paid.confirmAnswer.fields).toMatchObject({ ret_code: '00990030', trade_state: 'TRADE_FAIL', error_code: '00990030' });
    expect(paid.confirmAnswer.signValid).toBe(true);
    expect(await orderOf(paid.orderNo)).toMatchObject({ state: 'failed' });
    await sim.advance(0);
    const query = new URL(merchant.received[0]!.path, 'http://m').searchParams;
    expect(query.get('trade_state')).toBe('TRADE_FAIL');
    expect(query.get('error_code')).toBe('00990030');
  });

  it('insufficient balance fails with its own code', async () => {
    const paid = await quick.pay(CARDS.cmbInsufficient);
    expect(paid.confirmAnswer.fields).toMatchObject({ ret_code: '00990031', trade_state: 'TRADE_FAIL' });
  });

  it('a new SMS code can be asked for after 60 s; the old one is void', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    await quick.sms(CARDS.icbcDebit, placed);
    const first = await quick.smsCode(placed.orderNo);
    const early = await quick.sms(CARDS.icbcDebit, placed);
    expect(early.fields.ret_code).toBe('00990023');
    await sim.advance(60);
    expect((await quick.sms(CARDS.icbcDebit, placed)).fields.ret_code).toBe('0000');
    const second = await quick.smsCode(placed.orderNo);
    const sms = await records('sms');
    expect(sms.map((r: { state: string }) => r.state).sort()).toEqual(['sent', 'void']);
    if (first !== second) {
      expect((await quick.confirm(CARDS.icbcDebit, placed, { verify_code: first })).fields.ret_code).toBe('00060700');
    }
    expect((await quick.confirm(CARDS.icbcDebit, placed, { verify_code: second })).fields.trade_state).toBe('TRADE_SUCCESS');
  });

  it('an SMS code expires after 10 minutes (00200090); five wrong codes void it', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    await quick.sms(CARDS.icbcDebit, placed);
    await sim.advance(600);
    expect((await quick.confirm(CARDS.icbcDebit, placed, { verify_code: '000000' })).fields.ret_code).toBe('00200090');
    await quick.sms(CARDS.icbcDebit, placed);
    const code = await quick.smsCode(placed.orderNo);
    const wrong = code === '111111' ? '222222' : '111111';
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await quick.confirm(CARDS.icbcDebit, placed, { verify_code: wrong })).fields.ret_code);
    expect(codes).toEqual(['00060700', '00060700', '00060700', '00060700', '00060700']);
    expect((await quick.confirm(CARDS.icbcDebit, placed, { verify_code: code })).fields.ret_code).toBe('00200090');
    expect(await orderOf(placed.orderNo)).toMatchObject({ state: 'created' });
  });

  it('confirm before any SMS: 00990022; a second confirm of a paid order: refused', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    expect((await quick.confirm(CARDS.icbcDebit, placed, { verify_code: '123456' })).fields.ret_code).toBe('00990022');
    await quick.sms(CARDS.icbcDebit, placed);
    const code = await quick.smsCode(placed.orderNo);
    expect((await quick.confirm(CARDS.icbcDebit, placed, { verify_code: code })).fields.ret_code).toBe('0000');
    const again = await quick.confirm(CARDS.icbcDebit, placed, { verify_code: code });
    expect(again.fields).toMatchObject({ ret_code: '00990012', ret_msg: '订单状态不允许此操作：TRADE_SUCCESS' });
  });

  it('the order expires after expire_time minutes: TRADE_CLOSED, nothing to pay', async () => {
    const placed = await quick.place(CARDS.icbcDebit, { expire_time: '5' });
    await sim.advance(5 * 60);
    expect(await orderOf(placed.orderNo)).toMatchObject({ state: 'closed' });
    expect((await quick.sms(CARDS.icbcDebit, placed)).fields).toMatchObject({ ret_code: '00990012', ret_msg: '订单状态不允许此操作：TRADE_CLOSED' });
    const query = await client.call('query_order', { order_id: placed.order_id, mer_date: placed.mer_date });
    expect(query.fields.trade_state).toBe('TRADE_CLOSED');
  });

  it('an order lives 24 hours by default', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    await sim.advance(24 * 3600 - 1);
    expect(await orderOf(placed.orderNo)).toMatchObject({ state: 'created' });
    await sim.advance(1);
    expect(await orderOf(placed.orderNo)).toMatchObject({ state: 'closed' });
  });
});

describe('card checks against the test cards', () => {
  it('an unknown card number is 00080732', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    const answer = await quick.sms(CARDS.icbcDebit, placed, { card_id: '6222020000000000000' });
    expect(answer.fields).toMatchObject({ ret_code: '00080732' });
  });

  it('a card of another type or bank than the order is 00131040', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    expect((await quick.sms(CARDS.ccbDebit, placed)).fields.ret_code).toBe('00131040');
    const credit = await quick.place(CARDS.bocCredit);
    expect((await quick.sms(CARDS.icbcDebit, credit, { valid_date: '3012', cvv2: '123' })).fields.ret_code).toBe('00131040');
  });

  it('a bank outside the list for the card type is 00131040 at the order', async () => {
    const answer = (await quick.place(CARDS.icbcDebit, { pay_type: 'DEBITCARD', gate_id: 'PSBC' })).answer;
    expect(answer.fields.ret_code).toBe('00131040');
  });

  it('elements that do not match the card name the element', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    const answer = await quick.sms(CARDS.icbcDebit, placed, { card_holder: '李四', media_id: '13900000000' });
    expect(answer.fields).toMatchObject({ ret_code: '00990021', ret_msg: '支付要素校验失败：card_holder,media_id' });
    const credit = await quick.place(CARDS.bocCredit);
    expect((await quick.sms(CARDS.bocCredit, credit, { cvv2: '999' })).fields.ret_msg).toBe('支付要素校验失败：cvv2');
    expect((await quick.sms(CARDS.bocCredit, credit, { valid_date: '2912' })).fields.ret_msg).toBe('支付要素校验失败：valid_date');
    expect((await quick.sms(CARDS.bocCredit, credit, { valid_date: '1230' })).fields.ret_msg).toBe('参数格式错误：valid_date（YYMM）');
  });

  it('every element payElements listed must be sent', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    const answer = await client.call('sms_req_shortcut', { trade_no: placed.trade_no, media_id: CARDS.icbcDebit.media_id, media_type: 'MOBILE', card_id: CARDS.icbcDebit.card_id });
    expect(answer.fields).toMatchObject({ ret_code: '00990002', ret_msg: '缺少必要参数：card_holder' });
  });

  it('a credit card past its valid date cannot pay', async () => {
    const placed = await quick.place(CARDS.cmbcExpired);
    expect((await quick.sms(CARDS.cmbcExpired, placed)).fields).toMatchObject({ ret_code: '00990032', ret_msg: '交易失败，卡已过有效期：有效期0124' });
  });
});

describe('快捷支付-支付+签约 and 协议支付', () => {
  it('pay + sign returns the business and payment agreement numbers, notified too', async () => {
    const paid = await quick.pay(CARDS.icbcDebit, { mer_cust_id: 'USER001', notify_url: `${merchant.url}/n` });
    expect(paid.answer.fields.payElements).toBe('card_id,card_holder,identity_type,identity_code');
    expect(paid.confirmAnswer.fields).toMatchObject({
      ret_code: '0000',
      trade_state: 'TRADE_SUCCESS',
      mer_cust_id: 'USER001',
      usr_busi_agreement_id: expect.stringMatching(new RegExp(`^UB${paid.mer_date}\\d{10}$`)),
      usr_pay_agreement_id: expect.stringMatching(new RegExp(`^UP${paid.mer_date}\\d{10}$`)),
    });
    const [binding] = await records('binding');
    expect(binding).toMatchObject({ state: 'active', number: paid.confirmAnswer.fields.usr_pay_agreement_id, orderNo: paid.orderNo });
    await sim.advance(0);
    const query = new URL(merchant.received[0]!.path, 'http://m').searchParams;
    expect(query.get('usr_pay_agreement_id')).toBe(paid.confirmAnswer.fields.usr_pay_agreement_id);
    expect(query.get('usr_busi_agreement_id')).toBe(paid.confirmAnswer.fields.usr_busi_agreement_id);
  });

  it('without mer_cust_id the payment binds nothing (FAQ)', async () => {
    const paid = await quick.pay(CARDS.icbcDebit);
    expect(paid.confirmAnswer.fields.usr_pay_agreement_id).toBeUndefined();
    expect(await records('binding')).toEqual([]);
  });

  it('a failed pay + sign signs nothing', async () => {
    const paid = await quick.pay(CARDS.commDeclined, { mer_cust_id: 'USER002' });
    expect(paid.confirmAnswer.fields.trade_state).toBe('TRADE_FAIL');
    expect((await records('binding')).map((b: { state: string }) => b.state)).toEqual(['failed']);
    const list = await client.call('query_mercust_bank_shortcut', { pay_type: 'DEBITCARD', mer_cust_id: 'USER002' });
    expect(list.fields.user_bank_list).toBe('');
  });

  it('agreement pay needs only the SMS code for a debit card', async () => {
    const signed = await quick.pay(CARDS.icbcDebit, { mer_cust_id: 'USER003' });
    const { usr_busi_agreement_id, usr_pay_agreement_id } = signed.confirmAnswer.fields;
    const placed = await quick.place(CARDS.icbcDebit, { usr_busi_agreement_id: usr_busi_agreement_id!, usr_pay_agreement_id: usr_pay_agreement_id!, amount: '500', pay_type: '', gate_id: '' });
    expect(placed.answer.fields).toMatchObject({ ret_code: '0000', payElements: '' });
    const sms = await client.call('sms_req_shortcut', { trade_no: placed.trade_no, media_id: CARDS.icbcDebit.media_id, media_type: 'MOBILE' });
    expect(sms.fields.ret_code).toBe('0000');
    const confirm = await quick.confirm(CARDS.icbcDebit, placed);
    expect(confirm.fields).toMatchObject({ ret_code: '0000', trade_state: 'TRADE_SUCCESS', usr_pay_agreement_id, usr_busi_agreement_id, mer_cust_id: 'USER003' });
    expect(await orderOf(placed.orderNo)).toMatchObject({ product: 'quick.agreement', state: 'paid' });
    // The same card signed again keeps its agreement.
    const again = await quick.pay(CARDS.icbcDebit, { mer_cust_id: 'USER003' });
    expect(again.confirmAnswer.fields.usr_pay_agreement_id).toBe(usr_pay_agreement_id);
  });

  it('agreement pay with a credit card asks for the missing elements', async () => {
    const signed = await quick.pay(CARDS.bocCredit, { mer_cust_id: 'USER004' });
    const placed = await quick.place(CARDS.bocCredit, { usr_pay_agreement_id: signed.confirmAnswer.fields.usr_pay_agreement_id! });
    expect(placed.payElements).toBe('valid_date,cvv2');
    const missing = await client.call('sms_req_shortcut', { trade_no: placed.trade_no, media_id: CARDS.bocCredit.media_id, media_type: 'MOBILE' });
    expect(missing.fields.ret_code).toBe('00990002');
    expect((await quick.sms(CARDS.bocCredit, placed)).fields.ret_code).toBe('0000');
    expect((await quick.confirm(CARDS.bocCredit, placed)).fields.trade_state).toBe('TRADE_SUCCESS');
  });

  it('a second card of the same user shares the business agreement', async () => {
    const first = await quick.pay(CARDS.icbcDebit, { mer_cust_id: 'USER005' });
    const second = await quick.pay(CARDS.ccbDebit, { mer_cust_id: 'USER005' });
    expect(second.confirmAnswer.fields.usr_busi_agreement_id).toBe(first.confirmAnswer.fields.usr_busi_agreement_id);
    expect(second.confirmAnswer.fields.usr_pay_agreement_id).not.toBe(first.confirmAnswer.fields.usr_pay_agreement_id);
    const list = await client.call('query_mercust_bank_shortcut', { pay_type: 'DEBITCARD', mer_cust_id: 'USER005' });
    expect(list.fields).toMatchObject({ ret_code: '0000', usr_busi_agreement_id: first.confirmAnswer.fields.usr_busi_agreement_id });
    expect(list.fields.user_bank_list).toBe(
      `ICBC,${first.confirmAnswer.fields.usr_pay_agreement_id},9630,13800138000|CCB,${second.confirmAnswer.fields.usr_pay_agreement_id},9634,13900139000`,
    );
    expect((await client.call('query_mercust_bank_shortcut', { pay_type: 'CREDITCARD', mer_cust_id: 'USER005' })).fields.user_bank_list).toBe('');
  });

  it('unbind ends the agreement: agreement pay then answers 业务协议依赖的支付协议关系不存在', async () => {
    const signed = await quick.pay(CARDS.icbcDebit, { mer_cust_id: 'USER006' });
    const ids = signed.confirmAnswer.fields;
    const unbind = await client.call('unbind_mercust_protocol_shortcut', { mer_cust_id: 'USER006', usr_pay_agreement_id: ids.usr_pay_agreement_id! });
    expect(unbind.fields).toMatchObject({ ret_code: '0000', mer_cust_id: 'USER006' });
    expect(unbind.signValid).toBe(true);
    expect((await records('binding'))[0].state).toBe('unbound');
    const placed = await quick.place(CARDS.icbcDebit, { usr_pay_agreement_id: ids.usr_pay_agreement_id! });
    expect(placed.answer.fields).toMatchObject({ ret_code: '00990020', ret_msg: `业务协议依赖的支付协议关系不存在：usr_pay_agreement_id=${ids.usr_pay_agreement_id}` });
    const twice = await client.call('unbind_mercust_protocol_shortcut', { mer_cust_id: 'USER006' });
    expect(twice.fields.ret_msg).toBe('业务协议依赖的支付协议关系不存在');
  });

  it('unbinding by mer_cust_id removes every card of the user', async () => {
    await quick.pay(CARDS.icbcDebit, { mer_cust_id: 'USER007' });
    await quick.pay(CARDS.ccbDebit, { mer_cust_id: 'USER007' });
    expect((await client.call('unbind_mercust_protocol_shortcut', { mer_cust_id: 'USER007' })).fields.ret_code).toBe('0000');
    expect((await records('binding')).map((b: { state: string }) => b.state)).toEqual(['unbound', 'unbound']);
  });

  it('agreement ids of another user or business agreement are refused', async () => {
    const signed = await quick.pay(CARDS.icbcDebit, { mer_cust_id: 'USER008' });
    const pay = signed.confirmAnswer.fields.usr_pay_agreement_id!;
    expect((await quick.place(CARDS.icbcDebit, { usr_pay_agreement_id: pay, mer_cust_id: 'OTHER' })).answer.fields.ret_code).toBe('00990020');
    expect((await quick.place(CARDS.icbcDebit, { usr_pay_agreement_id: pay, usr_busi_agreement_id: 'UB0' })).answer.fields.ret_code).toBe('00990020');
    expect((await quick.place(CARDS.icbcDebit, { usr_busi_agreement_id: 'UB0' })).answer.fields).toMatchObject({ ret_code: '00990002', ret_msg: '缺少必要参数：usr_pay_agreement_id' });
  });
});

describe('bank lists and queries', () => {
  it('query_mer_bank_shortcut lists the document’s 65 credit and 15 debit banks, |-separated', async () => {
    const credit = await client.call('query_mer_bank_shortcut', { pay_type: 'CREDITCARD' });
    const debit = await client.call('query_mer_bank_shortcut', { pay_type: 'DEBITCARD' });
    expect(credit.signValid && debit.signValid).toBe(true);
    const creditBanks = credit.fields.mer_bank_list!.split('|');
    expect(creditBanks).toHaveLength(65);
    expect(creditBanks.slice(0, 4)).toEqual(['BOC', 'ABC', 'ICBC', 'CCB']);
    expect(creditBanks.at(-1)).toBe('CITIB');
    expect(debit.fields.mer_bank_list).toBe('CCB|ABC|BOC|CITIC|CEB|CIB|SPDB|ICBC|COMM|CZSB|SPAB|CMB|CMBC|SHB|GDB');
  });

  it('query_order and mer_order_info_query answer the trade by mer_id, mer_date and order_id', async () => {
    const paid = await quick.pay(CARDS.icbcDebit, { amount: '888', mer_priv: 'private-data', goods_id: 'G1' });
    for (const service of ['query_order', 'mer_order_info_query']) {
      const query = await client.call(service, { order_id: paid.order_id, mer_date: paid.mer_date });
      expect(query.signValid).toBe(true);
      expect(query.fields).toMatchObject({
        ret_code: '0000',
        mer_id: '60000100',
        order_id: paid.order_id,
        mer_date: paid.mer_date,
        trade_no: paid.trade_no,
        amount: '888',
        amt_type: 'RMB',
        trade_state: 'TRADE_SUCCESS',
        mer_priv: 'private-data',
        goods_id: 'G1',
        settle_date: paid.mer_date,
      });
    }
  });

  it('the same order_id on another mer_date is another order; a wrong date is 订单不存在', async () => {
    const mer_date = await merDateOf(sim.get);
    const id = orderId();
    expect((await quick.place(CARDS.icbcDebit, { order_id: id, mer_date })).answer.fields.ret_code).toBe('0000');
    expect((await quick.place(CARDS.icbcDebit, { order_id: id, mer_date: '20260228' })).answer.fields.ret_code).toBe('0000');
    expect((await client.call('query_order', { order_id: id, mer_date: '20260227' })).fields).toMatchObject({ ret_code: '00990010', ret_msg: expect.stringContaining('订单不存在') });
    expect((await client.call('query_order', { order_id: id, mer_date })).fields.ret_code).toBe('0000');
  });
});

describe('charsets and transports', () => {
  it('a GBK form carrying Chinese is read in GBK and answered in GBK', async () => {
    const placed = await quick.place(CARDS.icbcDebit, { goods_inf: '联动优势测试商品', mer_priv: '中文私有域' }, { charset: 'GBK', signWith: 'gbk' });
    expect(placed.answer.fields.ret_code).toBe('0000');
    const query = await client.call('query_order', { order_id: placed.order_id, mer_date: placed.mer_date }, { charset: 'GBK' });
    expect(query.contentType).toBe('text/html;charset=GBK');
    expect(query.fields.mer_priv).toBe('中文私有域');
    expect(query.signValid).toBe(true);
    const journal = await sim.get('/_sim/requests?provider=umpay&limit=5');
    const entry = journal.find((e: { operation: string }) => e.operation?.startsWith('query_order'));
    expect(entry.requestCharset).toBe('GBK');
    expect(entry.responseBody).toContain('中文私有域');
  });

  it('GB18030 and GB2312 are accepted', async () => {
    for (const charset of ['GB18030', 'GB2312']) {
      const placed = await quick.place(CARDS.icbcDebit, { goods_inf: '商品' }, { charset, signWith: 'gbk' });
      expect(placed.answer.fields.ret_code, charset).toBe('0000');
      expect(placed.answer.contentType).toBe(`text/html;charset=${charset}`);
    }
  });

  it('a UTF-8 request signed over GBK bytes (Java SDK) verifies, and so does UTF-8 (Node SDK)', async () => {
    for (const signWith of ['gbk', 'utf8'] as const) {
      const placed = await quick.place(CARDS.icbcDebit, { goods_inf: '商品描述' }, { signWith });
      expect(placed.answer.fields.ret_code, signWith).toBe('0000');
    }
  });

  it('GET with URL-encoded values works like POST', async () => {
    const placed = await quick.place(CARDS.icbcDebit, { goods_inf: '商品 A&B', notify_url: `${merchant.url}/n?x=1` }, { method: 'GET' });
    expect(placed.answer.fields.ret_code).toBe('0000');
    const sms = await quick.sms(CARDS.icbcDebit, placed, {}, { method: 'GET' });
    expect(sms.fields.ret_code).toBe('0000');
    const confirm = await quick.confirm(CARDS.icbcDebit, placed, {}, { method: 'GET' });
    expect(confirm.fields.trade_state).toBe('TRADE_SUCCESS');
  });

  it('a POST exactly as the public Node SDK sends it (querystring.stringify, Content-Encoding: UTF-8) is read', async () => {
    const mer_date = await merDateOf(sim.get);
    const fields = client.build('apply_pay_shortcut', { order_id: orderId(), mer_date, amount: '1', amt_type: 'RMB', pay_type: 'DEBITCARD', gate_id: 'ICBC', goods_inf: '测试 商品', notify_url: `${merchant.url}/n` });
    const response = await fetch(`${sim.url}${GATEWAY}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'UTF-8', 'User-Agent': 'Rich Powered/1.0' },
      body: querystring.stringify(fields),
    });
    const answer = readMeta(await response.text(), keys.platformCertificate);
    expect(answer.fields.ret_code).toBe('0000');
    expect(answer.signValid).toBe(true);
  });

  it('a POST whose base64 values were not URL-encoded ("POST时不需要做URL编码") still verifies', async () => {
    const mer_date = await merDateOf(sim.get);
    const placed = await quick.place(CARDS.icbcDebit, { mer_date });
    const fields = client.build('sms_req_shortcut', { trade_no: placed.trade_no, media_id: CARDS.icbcDebit.media_id, media_type: 'MOBILE', card_id: CARDS.icbcDebit.card_id, card_holder: CARDS.icbcDebit.card_holder, identity_type: 'IDENTITY_CARD', identity_code: CARDS.icbcDebit.identity_code });
    const raw = Object.entries(fields)
      .map(([k, v]) => `${k}=${k === 'card_holder' ? encodeURIComponent(v) : v}`)
      .join('&');
    expect(raw).toMatch(/\+/);
    const response = await fetch(`${sim.url}${GATEWAY}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: raw });
    const html = iconv.decode(Buffer.from(await response.arrayBuffer()), 'utf8');
    expect(readMeta(html, keys.platformCertificate).fields.ret_code).toBe('0000');
  });
});
