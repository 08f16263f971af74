import { describe, expect, it } from 'vitest';
import { AGG_APPID, signed, unifiedParams } from '../support/aggpay.js';
import { payData } from '../support/allinpay.js';
import { envelope, orderNo, prepayBody } from '../support/mmsp.js';
import { quickEnvelope } from '../support/mmsp-quick.js';
import { formEncode, GATEWAY, loadKeys, merDateOf, orderId, umpayClient } from '../support/umpay.js';
import { LAPTOP, PHONE, screenshot, useBrowser } from './support/browser.js';

/** The dashboard as a developer uses it: live, escaped, in China time, on a laptop and a phone. */
const browser = useBrowser();

async function aggOrder(overrides: Record<string, string> = {}) {
  const params = unifiedParams(`${browser.site.url}/notify/aggpay`, overrides);
  const response = await fetch(`${browser.sim.url}/aggpay/api/order/unified`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(signed(params)).toString(),
  });
  const reply = (await response.json()) as any;
  expect(reply.status, JSON.stringify(reply)).toBe('1');
  return { params, reply };
}

describe('the dashboard', () => {
  it('keeps script in goods names, order numbers, URLs and notification replies inert', async () => {
    const payload = (n: number) => `<img src=x onerror="window.__xss=${n}">`;
    browser.site.replyTo('aggpay', `<script>window.__xss=4</script>${payload(5)}`);
    // order_no is at most 20 characters (§5.1 "字符长度20"): a payload that fits.
    const { params, reply } = await aggOrder({
      order_no: `<svg onload=__xss=2>`,
      product_name: payload(1),
      return_url: `${browser.site.url}/return?"><script>window.__xss=3</script>`,
    });
    await browser.sim.post(`/_sim/orders/aggpay/${encodeURIComponent(params.order_no)}/pay`);
    await browser.sim.advance(60);
    const [record] = await browser.sim.get(`/_sim/records?provider=aggpay&q=${reply.data.platform_order_no}`);

    const page = await browser.page();
    for (const path of ['/dashboard', `/dashboard/records/${record.id}`, '/dashboard/requests', `/pay/aggpay/${reply.data.platform_order_no}`]) {
      await page.goto(browser.sim.url + path);
      await page.locator('body').waitFor();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
      expect(await page.evaluate(() => (window as any).__xss), path).toBeUndefined();
      expect(await page.locator('img[src=x], svg[onload]').count(), path).toBe(0);
    }
    // The payloads are there, as text.
    await page.goto(`${browser.sim.url}/dashboard/records/${record.id}`);
    const text = await page.locator('#record').innerText();
    expect(text).toContain(`<svg onload=__xss=2>`);
    await page.locator('li[data-attempt="rejected"]').first().waitFor();
    expect(await page.locator('li[data-attempt="rejected"]').first().innerText()).toContain('<script>window.__xss=4</script>');
    expect(text).toContain('<script>window.__xss=3</script>');
    await screenshot(page, 'dashboard-escaped-payloads');
  });

  it('keeps script inert on the pages of the later providers: the bank page, the payment control, the bank list', async () => {
    const short = (n: number) => `<img src=x onerror=__xss=${n}>`;
    // The gateway's web_api form (GOODSNAME is 32 characters at most), as the merchant's page posts it.
    const gateway = { MERORDERID: orderNo('X'), AMT: '100', NOTIFY_URL: `${browser.site.url}/notify/mmsp`, JUMP_URL: `${browser.site.url}/return/x`, PAY_CHANNEL: 'YLBILL-NET-B2C', GOODSNAME: short(6), REMARK: `<script>window.__xss=7</script>` };
    const bank = await fetch(`${browser.sim.url}/mmsp/gateway`, { method: 'POST', body: new URLSearchParams({ web_api: JSON.stringify(quickEnvelope(2322, gateway)) }), redirect: 'manual' });
    expect(bank.status).toBe(303);
    const control = await fetch(`${browser.sim.url}/allinpay/mobile/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payData(`${browser.site.url}/notify/allinpay`, { productName: `<script>window.__xss=8</script>${short(9)}` })),
      redirect: 'manual',
    });
    expect(control.status).toBe(303);
    const keys = await loadKeys((path) => browser.sim.get(path));
    const cashier = umpayClient(browser.sim.url, keys).build('pay_req_h5_frontpage', {
      order_id: orderId('X'),
      mer_date: await merDateOf((path) => browser.sim.get(path)),
      amount: '100',
      goods_inf: `${short(10)}<script>window.__xss=11</script>`,
      notify_url: `${browser.site.url}/notify/umpay`,
      ret_url: `${browser.site.url}/return/umpay`,
    });
    const umpay = await fetch(`${browser.sim.url}${GATEWAY}?${formEncode(cashier)}`, { redirect: 'manual' });
    expect(umpay.status).toBe(302);

    const page = await browser.page();
    for (const url of [new URL(bank.headers.get('location')!, browser.sim.url).toString(), new URL(control.headers.get('location')!, browser.sim.url).toString(), umpay.headers.get('location')!, `${browser.sim.url}/dashboard`]) {
      await page.goto(url);
      await page.locator('body').waitFor();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
      expect(await page.evaluate(() => (window as any).__xss), url).toBeUndefined();
      expect(await page.locator('img[src=x]').count(), url).toBe(0);
    }
    await page.goto(umpay.headers.get('location')!);
    expect(await page.locator('.pay').innerText()).toContain(short(10));
  });

  it('updates an open order page live, and shows China time whatever the browser\'s locale', async () => {
    const body = prepayBody(`${browser.site.url}/notify/mmsp`, { GOODSNAME: '实时更新' });
    const reply = (await (await fetch(`${browser.sim.url}/mmsp/api`, { method: 'POST', body: JSON.stringify(envelope(2306, body)) })).json()) as any;
    const [record] = await browser.sim.get(`/_sim/records?q=${reply.Body.ORDERNO}`);
    const page = await browser.page();
    await page.goto(`${browser.sim.url}/dashboard/records/${record.id}`);
    await page.locator('#record .record[data-state="created"]').waitFor();
    // China time, the UTC instant on hover — while the browser runs in New York, en-US.
    const at = Date.parse(record.createdAt);
    const china = new Date(at + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    const created = page.locator('li.t-state time').first();
    expect(await created.innerText()).toBe(china);
    expect(await created.getAttribute('title')).toBe(`${record.createdAt} (UTC)`);
    expect(await page.locator('#now').innerText()).toBe(china);

    // The payer pays elsewhere: the page follows without a reload.
    await browser.sim.post(`/_sim/orders/mmsp/${body.MERORDERID}/pay`);
    await page.locator('#record .record[data-state="paid"]').waitFor();
    await page.locator('li.t-state [data-state="paid"]').waitFor();
    await screenshot(page, 'dashboard-live-paid');
  });

  it('pays, refunds and chooses the next order\'s scenario from the dashboard', async () => {
    const body = prepayBody(`${browser.site.url}/notify/mmsp`, { AMT: '1000' });
    const reply = (await (await fetch(`${browser.sim.url}/mmsp/api`, { method: 'POST', body: JSON.stringify(envelope(2306, body)) })).json()) as any;
    const [record] = await browser.sim.get(`/_sim/records?q=${reply.Body.ORDERNO}`);
    const page = await browser.page();
    await page.goto(`${browser.sim.url}/dashboard/records/${record.id}`);
    await page.click('button[data-verb="pay"]');
    await page.locator('#record .record[data-state="paid"]').waitFor();
    await page.fill('#refund-amount', '4.00');
    await page.click('button[data-action="refund"]');
    await page.locator('#record .record[data-state="partially_refunded"]').waitFor();
    expect(await page.locator('#record').innerText()).toContain('¥4.00');

    await page.goto(`${browser.sim.url}/dashboard/reference`);
    const row = page.locator('tr[data-merchant="001440353999853"]');
    await row.locator('select').selectOption('magic-2003-failed');
    await row.locator('button[data-action="nextScenario"]').click();
    await row.locator('[data-state="pending"]').waitFor();
    expect(await browser.sim.get('/_sim/merchants/mmsp/001440353999853/next-scenario')).toMatchObject({ scenario: 'magic-2003-failed' });
    await screenshot(page, 'dashboard-reference');
  });

  it('the signature workbench shows the canonical string, the expected sign and the mistake', async () => {
    const page = await browser.page();
    await page.goto(`${browser.sim.url}/dashboard/workbench`);
    // An aggpay query signed over the parameters with the empty attach kept.
    const params = { appid: AGG_APPID, attach: '', order_no: 'WB1' };
    const { createHash } = await import('node:crypto');
    const sign = createHash('md5').update(`appid=${AGG_APPID}&attach=&order_no=WB1&secret=c1277xxxxxxxxx`).digest('hex');
    await page.fill('textarea[name=request]', `${browser.sim.url}/aggpay/api/order/check_order?${new URLSearchParams({ ...params, sign })}`);
    await page.click('#workbench button[type=submit]');
    const result = page.locator('#workbench-result .diagnosis[data-verdict="invalid"]');
    await result.waitFor();
    expect(await result.locator('.canonical').innerText()).toBe(`appid=${AGG_APPID}&order_no=WB1&secret=c1277xxxxxxxxx`);
    expect(await result.locator('.explained').innerText()).toContain('empty values kept');
    expect(await result.locator('.explained .diff ins').first().innerText()).toContain('attach=');
    await screenshot(page, 'dashboard-workbench');
  });

  it('lists, filters and pages records on a phone without overflowing it', async () => {
    for (let i = 0; i < 3; i++) await aggOrder();
    await aggOrder({ bank_code: '906' });
    const page = await browser.page(PHONE);
    await page.goto(`${browser.sim.url}/dashboard?size=25`);
    await page.locator('table.records tbody tr[data-record]').first().waitFor();
    expect(await page.locator('table.records tbody tr[data-record]').count()).toBe(4);
    await page.selectOption('select[name=state]', 'created');
    await page.fill('input[name=q]', 'A2026');
    await page.click('#filters button[type=submit]');
    await page.waitForURL(/q=A2026/);
    expect(await page.locator('table.records tbody tr[data-record]').count()).toBe(4);
    await page.goto(`${browser.sim.url}/dashboard?provider=mmsp`);
    expect(await page.locator('table.records tbody tr[data-record]').count()).toBe(0);
    await page.goto(`${browser.sim.url}/dashboard`);
    // Wide tables scroll inside their card; the page itself stays phone-wide.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'dashboard-phone');
    const laptop = await browser.page(LAPTOP);
    await laptop.goto(`${browser.sim.url}/dashboard`);
    await screenshot(laptop, 'dashboard-laptop');
  });
});
