import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggpay, startSandbox, type RunningSandbox } from '../src/testkit/index.js';
import { startMerchant } from './support/merchant.js';

/**
 * The repository's `data/` as shipped: a sandbox started on a copy of it (the
 * example merchants copied to merchants.json, as its README says to) reads
 * both example files and plays the example scenarios.
 */
const dir = mkdtempSync(join(tmpdir(), 'data-dir-test-'));
let sandbox: RunningSandbox;
let shop: Awaited<ReturnType<typeof startMerchant>>;

beforeAll(async () => {
  cpSync('data', dir, { recursive: true });
  cpSync(join(dir, 'merchants.example.json'), join(dir, 'merchants.json'));
  sandbox = await startSandbox({ dataDir: dir, clockStart: '2026-03-01T10:00:00+08:00' });
  shop = await startMerchant();
});
afterAll(async () => {
  await sandbox.stop();
  await shop.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the shipped data directory', () => {
  it('holds a README, the example merchants (one per provider) and the example scenarios', () => {
    const merchants = JSON.parse(readFileSync('data/merchants.example.json', 'utf8')) as { provider: string }[];
    expect(merchants.map((m) => m.provider).sort()).toEqual(['aggpay', 'icashier', 'mmsp']);
    expect(readFileSync('data/README.md', 'utf8')).toMatch(/merchants\.example\.json/);
  });

  it('loads the example merchants beside the defaults, and the example scenarios as file scenarios', async () => {
    for (const example of JSON.parse(readFileSync('data/merchants.example.json', 'utf8')) as { provider: string; merchantId: string; md5Key: string }[]) {
      expect(await sandbox.merchant(example.provider, example.merchantId)).toMatchObject({ md5Key: example.md5Key, source: 'config' });
    }
    expect((await sandbox.merchant('mmsp')).merchantId).toBe('001440353999853');
    const scenarios = (await sandbox.scenarios.list()).filter((s) => s.source === 'file');
    expect(scenarios.map((s) => s.id)).toEqual(['example-slow-wechat-then-502', 'example-late-forged-notification']);
  });

  it('plays the forged-notification example for an example merchant (pending, paid after 30 s, wrong signature)', async () => {
    const secret = 'example-aggpay-secret';
    const form = aggpay.signRequest(
      { appid: 'gpu20000000', order_no: 'FORGED0001', amount: '1500', product_name: 'onlinepay', bank_code: '912', notify_url: `${shop.url}/notify`, return_url: `${shop.url}/return` },
      secret,
    );
    const answer = await (await fetch(`${sandbox.url}/aggpay/api/order/unified`, { method: 'POST', body: new URLSearchParams(form) })).json();
    // settings.amountFormat "integer": the amount is written as bare fen.
    expect(answer).toMatchObject({ status: '1', data: { pay_status: -1, amount: '1500' } });
    await sandbox.advance(30);
    expect((await sandbox.order('aggpay', 'FORGED0001'))?.state).toBe('paid');
    expect(shop.received).toHaveLength(1);
    expect(aggpay.verifyNotification(shop.received[0]!.body, secret)).toMatchObject({ valid: false, fields: { order_no: 'FORGED0001', pay_status: '1' } });
  });
});
