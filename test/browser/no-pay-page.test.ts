import { describe, expect, it } from 'vitest';
import { cardPayBody, quickClient, type Card } from '../support/mmsp-quick.js';
import { forgeEncrypt, forgeSign, payoutClient, payoutKeys, payoutPlaintext } from '../support/mmsp-payout.js';
import { screenshot, useBrowser } from './support/browser.js';

/**
 * What has no pay page but belongs on the dashboard: quick pay by SMS code
 * (快捷 771/772), where the tester reads the code the "bank" sent on the
 * dashboard, and payouts (代付), which have no payer at all.
 */
const browser = useBrowser();

describe('flows without a hosted page', () => {
  it('771 quick pay: the SMS code read on the dashboard, confirmed with 772 by the merchant; paid and notified, live', async () => {
    const cards: Card[] = await browser.sim.get('/_sim/cards');
    const debit = cards.find((card) => card.behaviour === 'ok' && card.type === 'debit')!;
    const client = quickClient(browser.sim.url);
    const body = cardPayBody(debit, `${browser.site.url}/notify/mmsp`, { AMT: '4321' });
    const placed = await client.send(771, body);
    expect(placed.Body.STATUS, JSON.stringify(placed)).toBe('0');

    const page = await browser.page();
    await page.goto(`${browser.sim.url}/dashboard`);
    await page.fill('input[name=q]', body.MERORDERID);
    await page.click('#filters button[type=submit]');
    const row = page.locator(`tr[data-number="${body.MERORDERID}"]`);
    // The open code beside the order's state, where the tester looks for it.
    const code = /\d{6}/.exec(await row.locator('.sms').innerText())?.[0];
    expect(code).toBeDefined();
    // The admin API says the same.
    const [order] = await browser.sim.get(`/_sim/orders?provider=mmsp&orderNo=${body.MERORDERID}`);
    expect(order.smsCode).toBe(code);
    await row.locator('a').first().click();
    await page.locator('#record .record[data-state="created"]').waitFor();
    await screenshot(page, 'mmsp-771-quick-pay-1-sms-code');

    // The merchant's page takes the code from its user and sends 772: the open order page follows.
    const confirmed = await client.send(772, { LIST_ID: placed.Body.LIST_ID, MSG_CODE: code!, RANDSTR: 'x' });
    expect(confirmed.Body.STATUS).toBe('1');
    await page.locator('#record .record[data-state="paid"]').waitFor();
    expect(await page.locator('li.t-request').last().innerText()).toContain('772');
    await page.click('button[data-seconds="60"]');
    await page.locator('li[data-attempt="acked"]').first().waitFor();
    expect(await page.locator('li[data-attempt="acked"]').first().innerText()).toContain('“SUCCESS”');
    await screenshot(page, 'mmsp-771-quick-pay-2-paid');
  });

  it('a payout: its PAYSTATE timeline as the clock moves, and a query signed over the ciphertext opened and diagnosed', async () => {
    const keys = await payoutKeys(browser.sim.url);
    const client = payoutClient(browser.sim.url, keys);
    const plaintext = payoutPlaintext({ AMT: '12345', MEMO: '浏览器测试代付' });
    const accepted = await client.send(plaintext);
    expect(accepted.body.RETCODE, JSON.stringify(accepted.body)).toBe('0000');
    const orderNo = String(plaintext.ORDERNO);

    const page = await browser.page();
    await page.goto(`${browser.sim.url}/dashboard?kind=payout`);
    await page.locator(`tr[data-number="${orderNo}"] a`).first().click();
    await page.locator('#record .record[data-state="accepted"]').waitFor();
    expect(await page.locator('li.t-state[data-event="accepted"]').innerText()).toContain('PAYSTATE 5 代付请求已受理，等待审核');

    // A 4098 whose SIGN is over the Base64 ENCRYPT rather than the plaintext: the open page shows it, opened.
    const query = JSON.stringify({ CMDID: '4098', VERSION: '1.0', MERNO: plaintext.MERNO, ORDERNO: orderNo, REQTIME: plaintext.REQTIME });
    const ENCRYPT = forgeEncrypt(query, keys.platformPublicKey);
    const refused = await client.raw(JSON.stringify({ ENCRYPT, SIGN: forgeSign(ENCRYPT, keys.merchantPrivateKey) }));
    expect(refused.body.RETCODE).toBe('1006');
    const diagnosis = page.locator('li.t-request.t-bad .diagnosis[data-verdict="invalid"]');
    await diagnosis.waitFor();
    expect(await diagnosis.locator('.canonical').innerText()).toBe(query);
    expect(await diagnosis.locator('.explained').innerText()).toContain('signed the Base64 ENCRYPT instead of the plaintext');
    await screenshot(page, 'mmsp-payout-1-accepted-and-diagnosis');

    // Review (5), then paying (2), then paid (1): the developer presses +1 min and watches.
    await page.click('button[data-seconds="60"]');
    await page.locator('#record .record[data-state="paid"]').waitFor();
    const states = (await page.locator('li.t-state').allInnerTexts()).join('\n');
    expect(states).toMatch(/PAYSTATE 5[^]*PAYSTATE 2 付款中[^]*PAYSTATE 1 付款成功/);
    expect(await page.locator('.record .wire-state').first().innerText()).toBe('PAYSTATE 1 付款成功');
    await screenshot(page, 'mmsp-payout-2-paid');
  });
});
