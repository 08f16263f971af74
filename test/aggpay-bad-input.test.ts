import { beforeAll, describe, expect, it } from 'vitest';
import { requestSign } from '../src/simulators/aggpay/signature.js';
import { AGG_APPID, AGG_SECRET, aggClient, signed, unifiedParams } from './support/aggpay.js';
import { useSandbox } from './support/harness.js';

const { sim } = useSandbox();
let client: ReturnType<typeof aggClient>;
let existingOrderNo: string;
const notifyUrl = 'http://127.0.0.1:9/notify';

beforeAll(async () => {
  client = aggClient(sim.url);
  const params = unifiedParams(notifyUrl);
  await client.unified(signed(params));
  existingOrderNo = params.order_no;
  await sim.post('/_sim/merchants', { provider: 'aggpay', merchantId: 'gpu30000000', md5Key: 's3' });
  await client.unified(signed(unifiedParams(notifyUrl, { appid: 'gpu30000000', order_no: 'OTHERMERCHANT01' }), 's3'));
});

/** A bad request: HTTP 200, status "0" with a message, empty data, nothing changed. */
async function refused(send: () => Promise<{ status: number; json: any }>, message: string | RegExp) {
  const before = await sim.state();
  const { status, json } = await send();
  expect(status).toBe(200);
  expect(json.status).toBe('0');
  expect(json.data).toEqual({});
  if (typeof message === 'string') expect(json.message).toBe(message);
  else expect(json.message).toMatch(message);
  expect(await sim.state()).toBe(before);
}

describe('unified order', () => {
  it('a wrong sign, an upper-case sign, and a sign with another secret', async () => {
    const params = unifiedParams(notifyUrl);
    await refused(() => client.unified({ ...params, sign: '0'.repeat(32) }), '签名错误');
    await refused(() => client.unified({ ...params, sign: requestSign(params, AGG_SECRET).toUpperCase() }), '签名错误');
    await refused(() => client.unified(signed(params, 'another-secret')), '签名错误');
  });

  it('a sign computed with empty values kept (the callback rule) is refused', async () => {
    const params = { ...unifiedParams(notifyUrl), attach: '' };
    const kept = (await import('../src/simulators/aggpay/signature.js')).callbackSign(params, AGG_SECRET);
    await refused(() => client.unified({ ...params, sign: kept }), '签名错误');
  });

  it('explains a wrong sign in the journal with the string it expected', async () => {
    const params = unifiedParams(notifyUrl, { order_no: 'HINT0001' });
    await client.unified({ ...params, sign: 'bad' });
    const [entry] = await sim.get('/_sim/requests?provider=aggpay&limit=1');
    expect(entry.note).toContain('order_no=HINT0001');
    expect(entry.note).toContain('secret=<secret>');
  });

  it('an unknown appid, or none', async () => {
    await refused(() => client.unified(signed(unifiedParams(notifyUrl, { appid: 'gpu99999999' }))), '商户不存在');
    const { appid: _a, ...noAppid } = unifiedParams(notifyUrl);
    await refused(() => client.unified(signed(noAppid as Record<string, string>)), '缺少参数appid');
  });

  it('no sign', async () => {
    await refused(() => client.unified(unifiedParams(notifyUrl)), '缺少参数sign');
  });

  for (const field of ['order_no', 'amount', 'product_name', 'bank_code', 'notify_url', 'return_url']) {
    it(`without ${field}`, async () => {
      const params: Record<string, string> = unifiedParams(notifyUrl);
      delete params[field];
      await refused(() => client.unified(signed(params)), `缺少参数${field}`);
    });
  }

  const malformed: [string, string][] = [
    ['amount', '0'],
    ['amount', '-100'],
    ['amount', '100.00'],
    ['amount', 'ten'],
    ['bank_code', '999'],
    ['notify_url', 'notify.php'],
    ['return_url', 'javascript:alert(1)'],
    ['order_no', 'x'.repeat(65)],
  ];
  for (const [field, value] of malformed) {
    it(`with ${field} = ${JSON.stringify(value)}`, async () => {
      await refused(() => client.unified(signed(unifiedParams(notifyUrl, { [field]: value }))), new RegExp(`^参数${field}`));
    });
  }

  it('a duplicate order_no keeps the first order', async () => {
    await refused(() => client.unified(signed(unifiedParams(notifyUrl, { order_no: existingOrderNo, amount: '1' }))), '订单号重复');
    expect((await sim.get(`/_sim/orders?provider=aggpay&orderNo=${existingOrderNo}`))[0].amount).toBe(10000);
  });

  it('malformed JSON or a JSON array', async () => {
    const post = (body: string) => async () => {
      const response = await fetch(`${sim.url}/aggpay/api/order/unified`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { status: response.status, json: await response.json() };
    };
    await refused(post('{"appid":'), /请求格式错误/);
    await refused(post('[1]'), /请求格式错误/);
    await refused(post('{"appid":{"x":1}}'), /参数appid格式错误/);
  });

  it('§5.1 order_no 字符长度20: 21 characters or more are refused naming the field', async () => {
    await refused(() => client.unified(signed(unifiedParams(notifyUrl, { order_no: 'KFAIu2019082016542198098089614' }))), '参数order_no长度不能超过20');
    await refused(() => client.unified(signed(unifiedParams(notifyUrl, { order_no: 'A'.repeat(21) }))), '参数order_no长度不能超过20');
  });
});

describe('check_order', () => {
  it('an unknown order, or another merchant’s', async () => {
    await refused(() => client.query(signed({ appid: AGG_APPID, order_no: 'NOPE' })), '订单不存在');
    await refused(() => client.query(signed({ appid: AGG_APPID, order_no: 'OTHERMERCHANT01' })), '订单不存在');
  });

  it('a wrong sign, or no order_no', async () => {
    await refused(() => client.query({ appid: AGG_APPID, order_no: existingOrderNo, sign: 'x' }), '签名错误');
    await refused(() => client.query(signed({ appid: AGG_APPID })), '缺少参数order_no');
  });
});
