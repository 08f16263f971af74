import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import {
  forgeEncrypt,
  forgeKeyPair,
  forgeSign,
  payoutClient,
  payoutKeys,
  payoutNo,
  payoutPlaintext,
  REQTIME,
  type PayoutAnswer,
} from './support/mmsp-payout.js';

/**
 * Every bad payout request gets the document's RETCODE (代付 §6.2) and changes
 * no state: no payout, no account movement, no notification.
 */
const { sim } = useSandbox();
const MERCHANT = '001440353999853';
let keys: Awaited<ReturnType<typeof payoutKeys>>;
let client: ReturnType<typeof payoutClient>;
/** A payout of the test merchant that exists, and one of another merchant. */
let existing: { ORDERNO: string; BSORDERNO: string };
let foreign: { ORDERNO: string; BSORDERNO: string };
const OTHER = '001440300000077';

beforeAll(async () => {
  keys = await payoutKeys(sim.url);
  client = payoutClient(sim.url, keys);
  const request = payoutPlaintext();
  existing = { ORDERNO: request.ORDERNO as string, BSORDERNO: (await client.send(request)).body.BSORDERNO };

  const pair = forgeKeyPair();
  await sim.post('/_sim/merchants', { provider: 'mmsp', merchantId: OTHER, publicKey: pair.publicKey, settings: { payout: { balance: 100_000 } } });
  const other = payoutClient(sim.url, { platformPublicKey: keys.platformPublicKey, merchantPrivateKey: pair.privateKey });
  const otherRequest = payoutPlaintext({ MERNO: OTHER });
  foreign = { ORDERNO: otherRequest.ORDERNO as string, BSORDERNO: (await other.send(otherRequest)).body.BSORDERNO };
  expect(existing.BSORDERNO).toBeTruthy();
  expect(foreign.BSORDERNO).toBeTruthy();
});

/** Every record (payouts and accounts with their balances) and every notification. */
const state = async () => JSON.stringify([await sim.get('/_sim/records?limit=5000'), await sim.state()]);

async function refused(send: () => Promise<PayoutAnswer>, code: string, encrypted: boolean): Promise<PayoutAnswer> {
  const before = await state();
  const answer = await send();
  expect(answer.body.RETCODE, JSON.stringify(answer.body)).toBe(code);
  expect(answer.encrypted).toBe(encrypted);
  if (encrypted) {
    expect(answer.signatureValid).toBe(true);
    expect(answer.body.MERNO).toBe(MERCHANT);
  } else {
    expect(Object.keys(answer.body)).toEqual(['RETCODE', 'RETMSG']);
  }
  expect(await state()).toBe(before);
  return answer;
}

const raw = (body: string) => () => client.raw(body);
const send = (plaintext: Record<string, unknown> | string) => () => client.send(plaintext);

describe('before the merchant is known: plaintext {"RETCODE","RETMSG"}', () => {
  it('0002: the body is not a JSON object with string ENCRYPT and SIGN', async () => {
    const good = client.envelope(payoutPlaintext());
    for (const body of ['', 'ENCRYPT=x&SIGN=y', '[1]', '{"ENCRYPT":"abc"}', JSON.stringify({ SIGN: good.SIGN }), JSON.stringify({ ...good, ENCRYPT: 42 }), JSON.stringify({ ...good, SIGN: '' })]) {
      await refused(raw(body), '0002', false);
    }
  });

  it('1005: ENCRYPT is not Base64, not whole blocks, or not encrypted with the platform public key', async () => {
    const good = client.envelope(payoutPlaintext());
    const answer = await refused(raw(JSON.stringify({ ...good, ENCRYPT: '这不是base64' })), '1005', false);
    expect(answer.body.RETMSG).toBe('加密错误：ENCRYPT不是合法的Base64');
    await refused(raw(JSON.stringify({ ...good, ENCRYPT: good.ENCRYPT.slice(8) })), '1005', false);
    await refused(raw(JSON.stringify({ ...good, ENCRYPT: Buffer.from('x'.repeat(128)).toString('base64') })), '1005', false);
    // Encrypted with the merchant's own public key instead of the platform's: a common mistake.
    const text = JSON.stringify(payoutPlaintext());
    await refused(raw(JSON.stringify({ ENCRYPT: forgeEncrypt(text, keys.merchantPublicKey), SIGN: forgeSign(text, keys.merchantPrivateKey) })), '1005', false);
  });

  it('1001: the plaintext is not a JSON object, or names no merchant', async () => {
    await refused(send('CMDID=4097&MERNO=001440353999853'), '1001', false);
    await refused(send('[{"CMDID":"4097"}]'), '1001', false);
    const { MERNO: _, ...withoutMerchant } = payoutPlaintext();
    await refused(send(withoutMerchant), '1001', false);
  });

  it('1002: an unknown MERNO', async () => {
    const answer = await refused(send(payoutPlaintext({ MERNO: '001100052346700' })), '1002', false);
    expect(answer.body.RETMSG).toBe('不存在此商户或商户未激活：001100052346700');
  });

  it('1004: a merchant without a registered public key', async () => {
    await sim.post('/_sim/merchants', { provider: 'mmsp', merchantId: '001440300000078', terminalId: '84970078', md5Key: 'k'.repeat(32) });
    await refused(send(payoutPlaintext({ MERNO: '001440300000078' })), '1004', false);
  });

  it('1006: SIGN by another key, over another text, or not Base64', async () => {
    const plaintext = payoutPlaintext();
    const text = JSON.stringify(plaintext);
    const ENCRYPT = forgeEncrypt(text, keys.platformPublicKey);
    await refused(raw(JSON.stringify({ ENCRYPT, SIGN: forgeSign(text, forgeKeyPair().privateKey) })), '1006', false);
    await refused(raw(JSON.stringify({ ENCRYPT, SIGN: forgeSign(JSON.stringify({ ...plaintext, AMT: '1' }), keys.merchantPrivateKey) })), '1006', false);
    await refused(raw(JSON.stringify({ ENCRYPT, SIGN: 'not a signature!' })), '1006', false);
    // Signed over the text with its keys re-ordered: the signature covers the exact bytes.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(plaintext).reverse()));
    await refused(raw(JSON.stringify({ ENCRYPT, SIGN: forgeSign(reordered, keys.merchantPrivateKey) })), '1006', false);
    const [entry] = await sim.get('/_sim/requests?provider=mmsp&limit=1');
    expect(entry.note).toContain("SIGN must be Base64(SHA1withRSA) with merchant 001440353999853's private key");
  });
});

describe('the merchant is known: encrypted and signed answers', () => {
  it('1001: unknown or missing CMDID', async () => {
    const answer = await refused(send(payoutPlaintext({ CMDID: '4100' })), '1001', true);
    expect(answer.body.RETMSG).toContain('不支持的CMDID 4100');
    await refused(send(payoutPlaintext({ CMDID: undefined })), '1001', true);
    await refused(send(payoutPlaintext({ CMDID: '0x1001' })), '1001', true);
  });

  it('1007: a VERSION other than 1.0 (1001 when missing)', async () => {
    await refused(send(payoutPlaintext({ VERSION: '2.0' })), '1007', true);
    await refused(send(payoutPlaintext({ VERSION: 1 })), '1007', true);
    await refused(send(payoutPlaintext({ VERSION: '' })), '1001', true);
  });
});

describe('4097 field rules (代付 §5.1.2)', () => {
  it('1001 for every required field that is missing, naming it', async () => {
    for (const field of ['ORDERNO', 'REQTIME', 'AMT', 'BUSIYPE', 'ACCNAME', 'ACCNO', 'MEMO', 'ACCTYPE', 'MOBILE', 'BANKNAME']) {
      for (const missing of [undefined, '', null]) {
        const answer = await refused(send(payoutPlaintext({ [field]: missing })), '1001', true);
        expect(answer.body.RETMSG).toBe(`参数错误：缺少必填字段${field}`);
      }
    }
  });

  const malformed: [string, unknown, string][] = [
    ['ORDERNO', 'PO-0001', '1001'],
    ['ORDERNO', '1'.repeat(33), '1001'],
    ['REQTIME', '2026-03-01 10:00:00', '1001'],
    ['REQTIME', '20260230100000', '1001'],
    ['AMT', '0', '1012'],
    ['AMT', '-100', '1012'],
    ['AMT', '1.00', '1012'],
    ['AMT', '10000001', '1012'],
    ['AMT', true, '1012'],
    ['BUSIYPE', '006', '1011'],
    ['BUSIYPE', '1', '1011'],
    ['ACCNAME', '张三3', '1014'],
    ['ACCNAME', '张'.repeat(21), '1014'],
    ['ACCNO', '6222-0213-0741', '1018'],
    ['ACCNO', '1'.repeat(21), '1018'],
    ['MEMO', '备'.repeat(65), '1001'],
    ['PAYTYPE', '4', '1001'],
    ['ACCTYPE', '3', '1019'],
    ['CVV2', '12', '1001'],
    ['MOBILE', '1380013800', '1015'],
    ['MOBILE', '23800138000', '1015'],
    ['BANKNAME', '银'.repeat(41), '1020'],
    ['BANKSETTLENO', '10210009', '1021'],
    ['BANKSETTLENO', '1021000999x6', '1021'],
    ['BANKBRANCHNAME', '支'.repeat(33), '1001'],
    ['BANKPROV', '北京省', '1022'],
    ['BANKPROV', '广东', '1022'],
    ['BANKCITY', '市'.repeat(33), '1001'],
    ['IDCARD', '11010519900307123X', '1017'],
    ['IDCARD', '身份证', '1017'],
    ['CHLNO', 'C'.repeat(33), '1001'],
    ['CHLMERNO', { no: 1 }, '1001'],
  ];
  it.each(malformed)('%s = %j answers %s', async (field, value, code) => {
    const answer = await refused(send(payoutPlaintext({ [field]: value })), code, true);
    expect(answer.body.RETMSG).toContain(field);
  });
});

describe('4097 payee and business rules', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a credit card account type (暂不支持贷记卡)', { ACCTYPE: '1' }, '1019'],
    ['a debit card number of 11 digits', { ACCNO: '62220213074' }, '1018'],
    ['a corporate account of 5 digits', { ACCTYPE: '2', ACCNO: '12345', BANKSETTLENO: '102100099996' }, '1018'],
    ['a test credit card sent as a debit card', { ACCNO: '4563517307418529', ACCNAME: '赵六', BANKNAME: '中国银行', IDCARD: undefined }, '1019'],
    ['a corporate account without BANKSETTLENO', { ACCTYPE: '2', ACCNO: '755912345610901' }, '1021'],
    ['a bank the sandbox does not pay to', { BANKNAME: '花旗银行' }, '1010'],
    ['a 联行号 with an unknown bank code', { BANKSETTLENO: '999100099996' }, '1025'],
    ['a 联行号 of another bank', { BANKSETTLENO: '105100099996' }, '1025'],
    ["not the test card's bank", { BANKNAME: '中国建设银行' }, '1020'],
    ["not the test card holder's name", { ACCNAME: '李四' }, '1026'],
    ["not the test card holder's ID number", { IDCARD: '310104198506122348' }, '1024'],
    ['CHLNO of another channel', { CHLNO: 'OTHER01' }, '1032'],
    ['an amount above the channel limit', { AMT: '5000001' }, '1030'],
    ['a used ORDERNO', { ORDERNO: '__existing__' }, '1008'],
    ['a used ORDERNO with other fields', { ORDERNO: '__existing__', AMT: '999', ACCNAME: '李四' }, '1008'],
  ];
  it.each(cases)('%s', async (_name, overrides, code) => {
    const fields = { ...overrides };
    if (fields.ORDERNO === '__existing__') fields.ORDERNO = existing.ORDERNO;
    await refused(send(payoutPlaintext(fields)), code, true);
  });

  it('1031: more than the balance allows, and the account is untouched', async () => {
    const { balance } = await sim.get(`/_sim/accounts/mmsp/${MERCHANT}`);
    // The test merchant's balance is above the channel's single-payout limit: a merchant with a small balance instead.
    const pair = forgeKeyPair();
    await sim.post('/_sim/merchants', { provider: 'mmsp', merchantId: '001440300000079', publicKey: pair.publicKey, settings: { payout: { balance: 1_000, fee: 0 } } });
    const poor = payoutClient(sim.url, { platformPublicKey: keys.platformPublicKey, merchantPrivateKey: pair.privateKey });
    await sim.get('/_sim/accounts/mmsp/001440300000079');
    const before = await state();
    const answer = await poor.send(payoutPlaintext({ MERNO: '001440300000079', AMT: '1001' }));
    expect(answer.body).toMatchObject({ RETCODE: '1031', RETMSG: '商户余额不足：可用余额1000分，本笔代付金额加手续费共1001分' });
    expect(await state()).toBe(before);
    expect((await sim.get(`/_sim/accounts/mmsp/${MERCHANT}`)).balance).toBe(balance);
  });
});

describe('4098 query', () => {
  const query = (fields: Record<string, unknown>) => send({ CMDID: '4098', VERSION: '1.0', MERNO: MERCHANT, REQTIME, ...fields });

  it('1027: neither ORDERNO nor BSORDERNO', async () => {
    const answer = await refused(query({}), '1027', true);
    expect(answer.body).toMatchObject({ REMSG: '商户付款订单号和平台代付流水号不能同时为空', RETMSG: '商户付款订单号和平台代付流水号不能同时为空' });
    await refused(query({ ORDERNO: '', BSORDERNO: '' }), '1027', true);
  });

  it('1028 / 1029: unknown numbers, another merchant’s payout, or numbers of two different payouts', async () => {
    await refused(query({ ORDERNO: payoutNo() }), '1028', true);
    await refused(query({ BSORDERNO: '2026030199999999' }), '1029', true);
    await refused(query({ ORDERNO: foreign.ORDERNO }), '1028', true);
    await refused(query({ BSORDERNO: foreign.BSORDERNO }), '1029', true);
    await refused(query({ ORDERNO: existing.ORDERNO, BSORDERNO: foreign.BSORDERNO }), '1029', true);
  });

  it('1001: REQTIME missing or malformed, ORDERNO not digits', async () => {
    await refused(query({ ORDERNO: existing.ORDERNO, REQTIME: undefined }), '1001', true);
    await refused(query({ ORDERNO: existing.ORDERNO, REQTIME: '20261301000000' }), '1001', true);
    await refused(query({ ORDERNO: 'PO-1' }), '1001', true);
  });

  it('a query with any spelling of QRYTYPE (in the example, not the table) is answered', async () => {
    expect((await query({ ORDERNO: existing.ORDERNO, QRYTYPE: '1' })()).body.RETCODE).toBe('0000');
  });
});

describe('4099 balance query', () => {
  const balance = (fields: Record<string, unknown>) =>
    send({ CMDID: '4099', VERSION: '1.0', QRYTYPE: '1', MERNO: MERCHANT, ORDERNO: '20171120111410001', REQTIME, ...fields });

  it('1001: QRYTYPE other than 1 (目前只支持查询商户余额), missing or malformed fields', async () => {
    const answer = await refused(balance({ QRYTYPE: '2' }), '1001', true);
    expect(answer.body).toMatchObject({ RETMMSG: expect.stringContaining('QRYTYPE'), RETMSG: expect.stringContaining('QRYTYPE') });
    await refused(balance({ QRYTYPE: '3' }), '1001', true);
    await refused(balance({ QRYTYPE: undefined }), '1001', true);
    await refused(balance({ ORDERNO: undefined }), '1001', true);
    await refused(balance({ ORDERNO: 'Q-1' }), '1001', true);
    await refused(balance({ REQTIME: '2026' }), '1001', true);
  });
});
