import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { CARDS, GATEWAY, H5_MER_ID, loadKeys, merDateOf, orderId, plain, quickPay, readMeta, rsaSign, umpayClient, type Answer, type UmpayClient, type UmpayKeys } from './support/umpay.js';

const { sim, merchant } = useSandbox({ resetEach: true });
let keys: UmpayKeys;
let client: UmpayClient;
let quick: ReturnType<typeof quickPay>;

beforeAll(async () => {
  keys = await loadKeys(sim.get);
  client = umpayClient(sim.url, keys);
  quick = quickPay(client, sim);
});

const encryptWith = (value: string, publicKeyPem: string) =>
  forge.util.encode64((forge.pki.publicKeyFromPem(publicKeyPem) as forge.pki.rsa.PublicKey).encrypt(value, 'RSAES-PKCS1-V1_5'));

/** Every refusal: a signed META with the code, HTTP 200, and no state changed. */
async function refused(send: () => Promise<Answer>, code: string, message?: string | RegExp): Promise<Answer> {
  const before = await sim.state();
  const answer = await send();
  expect(answer.status).toBe(200);
  expect(answer.fields.ret_code).toBe(code);
  if (message !== undefined) expect(answer.fields.ret_msg).toMatch(message);
  expect(answer.signValid).toBe(true);
  expect(await sim.state()).toBe(before);
  return answer;
}

const orderParams = async (extra: Record<string, string> = {}) => ({
  order_id: orderId(),
  mer_date: await merDateOf(sim.get),
  amount: '100',
  pay_type: 'DEBITCARD',
  gate_id: 'ICBC',
  notify_url: `${merchant.url}/n`,
  ...extra,
});

describe('the signature', () => {
  it('a field changed after signing: 00990001; the journal shows the string expected to be signed', async () => {
    const params = await orderParams();
    await refused(() => client.call('apply_pay_shortcut', params, { after: (f) => (f.amount = '1') }), '00990001', '验证签名失败');
    const [entry] = await sim.get('/_sim/requests?provider=umpay&limit=1');
    expect(entry.note).toContain('ret_code 00990001');
    expect(entry.note).toContain('amount=1&charset=UTF-8&gate_id=ICBC');
    expect(entry.note).toContain(`order_id=${params.order_id}`);
  });

  it('a sign made with another key, a garbled sign, no sign', async () => {
    const other = await loadKeys(sim.get, H5_MER_ID);
    await refused(async () => client.call('apply_pay_shortcut', await orderParams(), { keys: { ...keys, merchantPrivateKey: other.merchantPrivateKey } }), '00990001');
    await refused(async () => client.call('apply_pay_shortcut', await orderParams(), { after: (f) => (f.sign = 'abc') }), '00990001');
    await refused(async () => client.call('apply_pay_shortcut', await orderParams(), { after: (f) => delete f.sign }), '00990002', '缺少必要参数：sign');
  });

  it('sign_type is signed by no one, but must be RSA', async () => {
    await refused(async () => client.call('apply_pay_shortcut', await orderParams(), { after: (f) => (f.sign_type = 'MD5') }), '00990003', /sign_type/);
  });

  it('a GET whose value was changed in the URL', async () => {
    const fields = client.build('query_order', { order_id: 'X1', mer_date: await merDateOf(sim.get) });
    await refused(() => client.send({ ...fields, order_id: 'X2' }, { method: 'GET' }), '00990001');
  });
});

describe('protocol parameters', () => {
  it('an unknown service: 00990004', async () => {
    await refused(() => client.call('pay_req_ivr_call', {}), '00990004', '不支持的接口服务：pay_req_ivr_call');
  });

  it('each missing protocol parameter is named', async () => {
    for (const name of ['service', 'mer_id', 'sign_type', 'version']) {
      await refused(async () => client.call('query_order', { order_id: 'X', mer_date: '20260301' }, { after: (f) => delete f[name] }), '00990002', `缺少必要参数：${name}`);
    }
    await refused(async () => client.call('query_order', { order_id: 'X', mer_date: '20260301' }, { after: (f) => delete f.charset }), '00990002', '缺少必要参数：charset');
  });

  it('version 4.0 and res_format HTML only', async () => {
    await refused(async () => client.call('query_order', { order_id: 'X', mer_date: '20260301' }, { after: (f) => (f.version = '3.0') }), '00990003', /version/);
    await refused(async () => client.call('query_order', { order_id: 'X', mer_date: '20260301', res_format: 'JSON' }), '00990003', /res_format/);
  });

  it('an unknown merchant: 00990006', async () => {
    await refused(async () => client.call('query_order', { order_id: 'X', mer_date: '20260301' }, { merId: '99999999' }), '00990006', '商户不存在：99999999');
  });

  it('a charset outside the four: 00990005, answered in UTF-8', async () => {
    const answer = await refused(async () => client.call('query_order', { order_id: 'X', mer_date: '20260301' }, { charset: 'BIG5' }), '00990005', /BIG5/);
    expect(answer.contentType).toBe('text/html;charset=UTF-8');
  });

  it('GBK bytes declared as UTF-8: 00990005', async () => {
    const fields = client.build('apply_pay_shortcut', { ...(await orderParams()), goods_inf: '商品' }, { charset: 'UTF-8' });
    const body = Object.entries(fields)
      .map(([k, v]) => `${k}=${k === 'goods_inf' ? '%C9%CC%C6%B7' : encodeURIComponent(v)}`)
      .join('&');
    const before = await sim.state();
    const response = await fetch(`${sim.url}${GATEWAY}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const meta = readMeta(await response.text(), keys.platformCertificate);
    expect(meta.fields).toMatchObject({ ret_code: '00990005', ret_msg: '参数字符编码集错误：goods_inf的内容不是合法的UTF-8编码' });
    expect(meta.signValid).toBe(true);
    expect(await sim.state()).toBe(before);
  });

  it('a GBK request whose Chinese was signed as UTF-8 text but sent in GBK still verifies (GBK bytes)', async () => {
    const params = await orderParams({ goods_inf: '联动商品' });
    const answer = await client.call('apply_pay_shortcut', params, { charset: 'GBK', signWith: 'utf8' });
    expect(answer.fields.ret_code).toBe('0000');
  });

  it('a GBK body declared as GBK but signed over different text fails the signature', async () => {
    const params = await orderParams({ goods_inf: '联动商品' });
    await refused(() => client.call('apply_pay_shortcut', params, { charset: 'GBK', after: (f) => (f.goods_inf = '联动商品A') }), '00990001');
  });
});

describe('apply_pay_shortcut fields', () => {
  it('each missing business field is named', async () => {
    for (const name of ['order_id', 'mer_date', 'amount', 'pay_type', 'gate_id']) {
      const params = await orderParams();
      delete (params as Record<string, string>)[name];
      await refused(() => client.call('apply_pay_shortcut', params), '00990002', `缺少必要参数：${name}`);
    }
  });

  it('malformed values are named', async () => {
    const cases: [string, string][] = [
      ['amount', '0'],
      ['amount', '1.50'],
      ['amount', '-1'],
      ['amount', '12345678901234'],
      ['mer_date', '20261301'],
      ['mer_date', '2026031'],
      ['amt_type', 'USD'],
      ['pay_type', 'WECHAT'],
      ['expire_time', '1441'],
      ['expire_time', '0'],
      ['expire_time', 'ten'],
      ['order_id', 'A B'],
      ['order_id', 'X'.repeat(33)],
      ['notify_url', 'ftp://x'],
      ['media_type', 'PHONE'],
    ];
    for (const [name, value] of cases) {
      await refused(async () => client.call('apply_pay_shortcut', await orderParams({ [name]: value })), '00990003', new RegExp(`^参数格式错误：${name}`));
    }
  });

  it('a duplicate order_id on the same mer_date: 00990011', async () => {
    const params = await orderParams();
    expect((await client.call('apply_pay_shortcut', params)).fields.ret_code).toBe('0000');
    await refused(() => client.call('apply_pay_shortcut', { ...params, amount: '200' }), '00990011', `商户订单号重复：order_id=${params.order_id}，mer_date=${params.mer_date}`);
  });

  it('an unknown agreement: 业务协议依赖的支付协议关系不存在', async () => {
    await refused(async () => client.call('apply_pay_shortcut', await orderParams({ usr_pay_agreement_id: 'UP0' })), '00990020');
  });
});

describe('sensitive fields', () => {
  it('a card number sent in plaintext does not decrypt: 00990007', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    await refused(() => quick.sms(CARDS.icbcDebit, placed, {}, { plaintext: true }), '00990007', '敏感信息解密失败：card_id');
  });

  it('a card number encrypted with another key than the platform’s does not decrypt either', async () => {
    const placed = await quick.place(CARDS.icbcDebit);
    const other = await loadKeys(sim.get, H5_MER_ID);
    const params = { trade_no: placed.trade_no, media_id: CARDS.icbcDebit.media_id, media_type: 'MOBILE', card_holder: '张三', identity_type: 'IDENTITY_CARD', identity_code: CARDS.icbcDebit.identity_code };
    // A misconfigured SDK: the merchant's own certificate where the platform's belongs.
    const card_id = encryptWith(CARDS.icbcDebit.card_id, other.merchantPublicKey);
    const fields = client.build('sms_req_shortcut', params);
    fields.card_id = card_id;
    fields.sign = rsaSign(plain(fields), keys.merchantPrivateKey);
    await refused(() => client.send(fields), '00990007', '敏感信息解密失败：card_id');
  });
});

describe('whose order', () => {
  it('another merchant’s order is 订单不存在, by order_id and by trade_no', async () => {
    const paid = await quick.pay(CARDS.icbcDebit);
    const otherKeys = await loadKeys(sim.get, H5_MER_ID);
    const other = umpayClient(sim.url, otherKeys);
    await refused(() => other.call('query_order', { order_id: paid.order_id, mer_date: paid.mer_date }, { merId: H5_MER_ID, keys: otherKeys }), '00990010');
    await refused(() => other.call('mer_cancel', { order_id: paid.order_id, mer_date: paid.mer_date, amount: '100' }, { merId: H5_MER_ID, keys: otherKeys }), '00990010');
    const placed = await quick.place(CARDS.icbcDebit);
    await refused(() => client.call('sms_req_shortcut', { trade_no: `${placed.trade_no.slice(0, -1)}9`, media_id: CARDS.icbcDebit.media_id, media_type: 'MOBILE' }), '00990010');
  });

  it('an H5 order cannot be paid through the quick-pay steps', async () => {
    const fields = client.build('pay_req_h5_frontpage', { order_id: orderId('H'), mer_date: await merDateOf(sim.get), amount: '100' });
    const redirect = await client.send(fields, { method: 'GET' });
    const tradeNo = redirect.location!.split('/').pop()!;
    await refused(() => client.call('sms_req_shortcut', { trade_no: tradeNo, media_id: CARDS.icbcDebit.media_id, media_type: 'MOBILE' }), '00990010', /不是快捷支付订单/);
  });
});
