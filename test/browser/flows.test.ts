import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE, screenshot, useBrowser } from './support/browser.js';
import { FLOWS } from './flows/index.js';
import type { BrowserFlow, FlowContext, PlacedOrder } from './flows/types.js';

/**
 * Every redirect flow of every provider (test/browser/flows/<provider>.ts), as
 * a person would: the payer opens the hosted page on a phone, pays, and lands
 * on the merchant's front page; the developer finds the order on the dashboard,
 * paid, with its notification acknowledged; a request about it signed with a
 * usual mistake shows the diagnosis and its diff on the order's page.
 */
const browser = useBrowser();

const context = (): FlowContext => ({ sandbox: browser.sim.url, merchant: browser.site.url, checkout: (html) => browser.site.checkout(html) });
const slug = (flow: BrowserFlow) => `${flow.provider}-${flow.name}`;

/** Opens the order's page from the records list, searching its number as a developer would. */
async function openOrder(page: Page, order: PlacedOrder): Promise<void> {
  await page.goto(`${browser.sim.url}/dashboard`);
  await page.fill('input[name=q]', order.orderNo);
  await page.click('#filters button[type=submit]');
  await page.locator(`tr[data-number="${order.orderNo}"] a`).first().click();
  await page.locator('#record').waitFor();
}

describe.each(FLOWS.map((flow) => [`${flow.provider} · ${flow.name}`, flow] as const))('%s', (_title, flow) => {
  it('pay on the hosted page, land on the merchant, see it paid and notified on the dashboard', async () => {
    const order = await flow.place(context());
    const phone = await browser.page(PHONE);
    // The hosted page itself, or the merchant's checkout form (or the provider's redirect URL) leading there.
    await phone.goto(order.payPageUrl);
    const card = phone.locator(`.pay[data-provider="${flow.provider}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-kind')).toBe(flow.page);
    const text = await card.innerText();
    for (const shown of flow.shows) expect(text).toContain(shown);
    if (flow.page === 'qr') await phone.locator('.qr svg').waitFor();
    // The page fits a phone: nothing wider than the screen.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, `${slug(flow)}-1-pay-page`);

    if (flow.choose) {
      await phone.getByRole('button', { name: flow.choose }).click();
      await phone.locator('.pay[data-kind="qr"], .pay[data-kind="bank"], .pay[data-kind="h5"]').waitFor();
    }
    if (flow.beforePay) {
      await flow.beforePay(phone, context());
      await screenshot(phone, `${slug(flow)}-1b-filled-in`);
    }
    await phone.click('#pay');
    if (flow.front) {
      await phone.locator('#landed').waitFor();
      expect(new URL(phone.url()).pathname).toBe(flow.front.path);
      expect(await phone.locator('#method').innerText()).toBe(flow.front.method);
      const [landing] = browser.site.landings();
      expect(landing?.method).toBe(flow.front.method);
      await flow.front.check(landing!, context());
    } else {
      await phone.locator('.pay[data-state="paid"]').waitFor();
    }
    await screenshot(phone, `${slug(flow)}-2-after-pay`);

    const laptop = await browser.page();
    await openOrder(laptop, order);
    await laptop.locator('#record .record[data-state="paid"]').waitFor();
    // The back notification goes out as the clock moves: the developer presses +1 min and watches it arrive, live.
    await laptop.click('button[data-seconds="60"]');
    await laptop.locator('li[data-attempt="acked"]').first().waitFor();
    expect(browser.site.notifications(flow.provider).length).toBeGreaterThan(0);
    const verdict = await laptop.locator('li[data-attempt="acked"]').first().innerText();
    expect(verdict).toContain('Acknowledged');
    // A built acknowledgement (a signed page) is shown cut short: its beginning is enough.
    expect(verdict).toContain(flow.acknowledge ? `“${flow.ack}` : `“${flow.ack}”`);
    await laptop.locator('table.notifications [data-state="delivered"]').waitFor();
    await screenshot(laptop, `${slug(flow)}-3-dashboard`);
  });

  if (flow.badSignature) {
    const bad = flow.badSignature;
    it('a request signed with a usual mistake shows its diagnosis and diff on the order\'s page', async () => {
      const order = await flow.place(context());
      // The payer opens the page (a checkout form or a redirect places the order only then).
      const phone = await browser.page(PHONE);
      await phone.goto(order.payPageUrl);
      await phone.locator(`.pay[data-provider="${flow.provider}"]`).waitFor();
      await bad.send(context(), order);
      const page = await browser.page();
      await openOrder(page, order);
      const diagnosis = page.locator('li.t-request.t-bad .diagnosis[data-verdict="invalid"]');
      await diagnosis.waitFor();
      const explained = await diagnosis.locator('.explained').innerText();
      expect(explained).toContain(bad.mistake);
      expect(await diagnosis.locator('.canonical').innerText()).not.toBe('');
      expect(await diagnosis.locator('.expected').innerText()).toMatch(bad.expected ?? /^[0-9A-Fa-f]{32}$/);
      // The highlighted diff: what only the sandbox signs, and what only the merchant signed.
      expect(await diagnosis.locator('.explained .diff del, .explained .diff ins').count()).toBeGreaterThan(0);
      await diagnosis.scrollIntoViewIfNeeded();
      await screenshot(page, `${slug(flow)}-4-signature-diff`);
    });
  }
});
