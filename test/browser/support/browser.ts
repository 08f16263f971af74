import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import { startMerchant, type Received } from '../../support/merchant.js';
import { startSandbox, type RunningSandbox } from '../../support/sandbox.js';
import { FLOWS } from '../flows/index.js';

/** Where screenshots go for a person to look at (git-ignored). */
export const RESULTS_DIR = join(process.cwd(), 'test-results');

/** Debian's Chromium (`apt-get install -y chromium fonts-noto-cjk`), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A phone-sized viewport (an iPhone SE's CSS pixels), for hosted pages. */
export const PHONE = { width: 375, height: 667 };
export const LAPTOP = { width: 1280, height: 800 };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The merchant's site: notification endpoints at `/notify/{provider}` answering
 * each provider's acknowledgement (or what a test sets), front pages at
 * `/return/…` that show what the browser brought (method, query, form) as
 * text, and checkout pages at `/checkout/{n}` (a form a flow serves, which
 * submits itself to the provider).
 */
export async function startMerchantSite() {
  const acks = new Map<string, (notification: Received) => string>();
  for (const flow of FLOWS) {
    // A provider's first flow that builds its acknowledgement decides, else its plain answer.
    if (flow.acknowledge) acks.set(flow.provider, flow.acknowledge);
    else if (!acks.has(flow.provider)) acks.set(flow.provider, () => flow.ack);
  }
  const overrides = new Map<string, string>();
  const checkouts: string[] = [];
  const site = await startMerchant((request: Received) => {
    const path = request.path;
    const checkout = /^\/checkout\/(\d+)$/.exec(path);
    if (checkout) {
      const page = checkouts[Number(checkout[1])];
      return page === undefined ? { status: 404 } : { body: page, headers: { 'content-type': 'text/html; charset=utf-8' } };
    }
    if (path.startsWith('/return')) {
      const url = new URL(path, 'http://merchant');
      const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>商户页面</title></head><body>
<h1 id="landed">商户前台页面 / merchant front page</h1>
<pre id="method">${escapeHtml(request.method)}</pre>
<pre id="path">${escapeHtml(url.pathname)}</pre>
<pre id="query">${escapeHtml(url.search.slice(1))}</pre>
<pre id="form">${escapeHtml(request.body)}</pre>
</body></html>`;
      return { body, headers: { 'content-type': 'text/html; charset=utf-8' } };
    }
    const provider = /^\/notify\/([a-z0-9]+)/.exec(path)?.[1] ?? '';
    return { body: overrides.get(provider) ?? acks.get(provider)?.(request) ?? 'SUCCESS' };
  });
  return {
    ...site,
    /** Serves a page of the merchant's own (a checkout form) and answers its URL. */
    checkout(html: string): string {
      checkouts.push(html);
      return `${site.url}/checkout/${checkouts.length - 1}`;
    },
    /** Answers notifications of a provider with this text instead of its acknowledgement. */
    replyTo(provider: string, body: string | null) {
      if (body === null) overrides.delete(provider);
      else overrides.set(provider, body);
    },
    /** Requests that reached a front page. */
    landings: () => site.received.filter((request) => request.path.startsWith('/return')),
    notifications: (provider: string) => site.received.filter((request) => request.path.startsWith(`/notify/${provider}`)),
  };
}

export type MerchantSite = Awaited<ReturnType<typeof startMerchantSite>>;

/**
 * Hooks for a browser test file: a sandbox (in-memory store, frozen clock), the
 * merchant's site and headless Chromium, started once per file; each test gets
 * a fresh browser context and a reset sandbox. Anything the page logs as an
 * error, and any uncaught page exception, fails the test.
 */
export function useBrowser() {
  let sandbox: RunningSandbox | undefined;
  let site: MerchantSite | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const pageErrors: string[] = [];
  const unexpected: string[] = [];
  const consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    unexpected.push(args.map(String).join(' '));
  });

  beforeAll(async () => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    [sandbox, site, browser] = await Promise.all([
      startSandbox(),
      startMerchantSite(),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu'] }),
    ]);
  });
  beforeEach(async () => {
    await sandbox!.post('/_sim/reset');
    site!.received.length = 0;
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
    expect(unexpected.splice(0), 'errors the sandbox logged').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    await site?.close();
    consoleError.mockRestore();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('use inside a test');
    return value;
  };

  return {
    get sim() {
      return started(sandbox);
    },
    get site() {
      return started(site);
    },
    /** A new page in a fresh context (no cookies), phone- or laptop-sized. */
    async page(viewport: { width: number; height: number } = LAPTOP): Promise<Page> {
      await context?.close();
      context = await started(browser).newContext({ viewport, locale: 'en-US', timezoneId: 'America/New_York' });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().includes('favicon')) pageErrors.push(message.text());
      });
      page.on('dialog', (dialog) => {
        pageErrors.push(`a dialog opened: ${dialog.message()}`);
        void dialog.dismiss();
      });
      return page;
    },
  };
}

/** Saves a full-page screenshot under test-results/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  // A sticky header would be painted mid-page in a full-page capture.
  await page.addStyleTag({ content: 'header.top { position: static !important; }' });
  await page.screenshot({ path: join(RESULTS_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`), fullPage: true });
}
