import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { mmspClient, prepayBody } from './support/mmsp.js';

const { sim, merchant } = useSandbox({ env: { PUBLIC_URL: 'http://192.168.1.20:8080' } });
let client: ReturnType<typeof mmspClient>;

beforeAll(() => {
  client = mmspClient(sim.url);
});

async function qrOrder(overrides: Record<string, unknown> = {}) {
  const request = prepayBody(`${merchant.url}/notify`, { AMT: '1999', GOODSNAME: '咖啡一杯', ...overrides });
  const reply = await client.send(2306, request);
  return { request, url: String(reply.Body.URL), orderNo: String(reply.Body.ORDERNO) };
}

const pagePath = (url: string) => new URL(url).pathname;

describe('the hosted pay page', () => {
  it('is addressed with PUBLIC_URL so a phone on the network can open it', async () => {
    const { url, orderNo } = await qrOrder();
    expect(url).toBe(`http://192.168.1.20:8080/pay/mmsp/${orderNo}`);
  });

  it('shows merchant, goods, amount, a QR code of its own address and Pay / Fail', async () => {
    const { url } = await qrOrder();
    const response = await fetch(`${sim.url}${pagePath(url)}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('MMSP测试商户');
    expect(page).toContain('咖啡一杯');
    expect(page).toContain('¥19.99');
    expect(page).toContain('<svg');
    expect(page).toContain('action="/pay/mmsp/');
    expect(page).toContain('/pay"');
    expect(page).toContain('/fail"');
  });

  it('Pay marks the order paid, queues the push and shows the result', async () => {
    const { request, url } = await qrOrder();
    const pay = await fetch(`${sim.url}${pagePath(url)}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    expect(pay.headers.get('location')).toBe(pagePath(url));
    const [order] = await sim.get(`/_sim/orders?orderNo=${request.MERORDERID}`);
    expect(order.state).toBe('paid');
    await sim.advance(0);
    expect(merchant.received.some((r) => JSON.parse(r.body).Body.MERORDERID === request.MERORDERID)).toBe(true);

    const after = await (await fetch(`${sim.url}${pagePath(url)}`)).text();
    expect(after).toContain('支付成功');
    expect(after).not.toContain('/fail"');
    expect((await fetch(`${sim.url}${pagePath(url)}/pay`, { method: 'POST' })).status).toBe(409);
  });

  it('Fail marks the order failed', async () => {
    const { request, url } = await qrOrder();
    await fetch(`${sim.url}${pagePath(url)}/fail`, { method: 'POST', redirect: 'manual' });
    const [order] = await sim.get(`/_sim/orders?orderNo=${request.MERORDERID}`);
    expect(order.state).toBe('failed');
  });

  it('answers 404 for an unknown order', async () => {
    expect((await fetch(`${sim.url}/pay/mmsp/000`)).status).toBe(404);
    expect((await fetch(`${sim.url}/pay/nope/000`)).status).toBe(404);
    expect((await fetch(`${sim.url}/pay/mmsp/000/pay`, { method: 'POST' })).status).toBe(404);
  });
});

describe('the dashboard', () => {
  it('is at /dashboard, where / leads, and lists the orders server-rendered', async () => {
    const root = await fetch(`${sim.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard');
    const { orderNo } = await qrOrder();
    const page = await (await fetch(`${sim.url}/dashboard`)).text();
    expect(page).toContain('Payment sandbox');
    expect(page).toContain(orderNo);
  });
});

describe('MMSP browser endpoints', () => {
  it('10.1 wxh5pay shows the wake-up page and links back to the base64 merurl', async () => {
    const merurl = Buffer.from('https://shop.example/back?x=1').toString('base64');
    const ok = await fetch(`${sim.url}/mmsp/payopenplath5/wxh5pay?memo=001440353999853&termno=84970001&merurl=${encodeURIComponent(merurl)}&tradetype=1`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('href="https://shop.example/back?x=1"');
    const bad = await fetch(`${sim.url}/mmsp/payopenplath5/wxh5pay?memo=nope&termno=1&merurl=x`);
    expect(bad.status).toBe(400);
  });

  it('10.2 openid redirects back with a token_id: an openid for 1, an Alipay user_id for 2', async () => {
    const back = encodeURIComponent('https://shop.example/oauth?state=abc');
    const wechat = await fetch(`${sim.url}/mmsp/oauth/openid?merurl=${back}&merno=001440353999853&tradetype=1`, { redirect: 'manual' });
    expect(wechat.status).toBe(302);
    const location = new URL(wechat.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://shop.example/oauth');
    expect(location.searchParams.get('state')).toBe('abc');
    expect(location.searchParams.get('token_id')).toMatch(/^o[\w-]{27}$/);
    const alipay = await fetch(`${sim.url}/mmsp/oauth/openid?merurl=${back}&merno=001440353999853&tradetype=2`, { redirect: 'manual' });
    expect(new URL(alipay.headers.get('location')!).searchParams.get('token_id')).toMatch(/^2088\d{12}$/);
    expect((await fetch(`${sim.url}/mmsp/oauth/openid?merurl=${back}&merno=nope&tradetype=1`)).status).toBe(400);
    for (const broken of ['http://', 'http://%5B', 'ftp://x']) {
      const reply = await fetch(`${sim.url}/mmsp/oauth/openid?merurl=${encodeURIComponent(broken)}&merno=001440353999853&tradetype=1`, { redirect: 'manual' });
      expect(reply.status, broken).toBe(400);
    }
    const notBase64Url = Buffer.from('http://').toString('base64');
    expect((await fetch(`${sim.url}/mmsp/payopenplath5/wxh5pay?memo=001440353999853&termno=84970001&merurl=${notBase64Url}`)).status).toBe(400);
  });
});
