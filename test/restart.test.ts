import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createSandbox } from '../src/sandbox.js';
import { SIMULATORS } from '../src/simulators/index.js';
import { startMerchant } from './support/merchant.js';
import { micropayBody, mmspClient, prepayBody } from './support/mmsp.js';
import { startSandbox } from './support/sandbox.js';
import { Store } from '../src/core/store/index.js';

let dataDir: string;
let merchant: Awaited<ReturnType<typeof startMerchant>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sandbox-restart-'));
  merchant = await startMerchant(() => ({ body: 'NOT YET' }));
});
afterAll(async () => {
  await merchant.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a sandbox on a data directory', () => {
  it('continues a pending notification on schedule after a restart, and keeps keys', async () => {
    const first = await startSandbox({ dataDir });
    const request = prepayBody(`${merchant.url}/notify`);
    await mmspClient(first.url).send(2306, request);
    await first.post(`/_sim/orders/mmsp/${request.MERORDERID}/pay`);
    const stoppedAt = await first.advance(20); // attempts at 0 and 15 s, next at 30 s
    const keysBefore = await first.get('/_sim/keys');
    const [before] = await first.get('/_sim/notifications');
    expect(before.attempts).toHaveLength(2);
    await first.close();
    expect(merchant.received).toHaveLength(2);

    const second = await startSandbox({ dataDir });
    expect((await second.get('/_sim/health')).now).toBe(stoppedAt);
    const [resumed] = await second.get('/_sim/notifications');
    expect(resumed.status).toBe('pending');
    expect(resumed.nextAttemptAt).toBe(before.nextAttemptAt);

    merchant.setReply(() => ({ body: 'SUCCESS' }));
    await second.advance(10);
    const [done] = await second.get('/_sim/notifications');
    expect(done.status).toBe('delivered');
    expect(done.attempts).toHaveLength(3);
    expect(Date.parse(done.attempts[2].at) - Date.parse(done.attempts[1].at)).toBe(15_000);

    const keysAfter = await second.get('/_sim/keys');
    expect(keysAfter.platform.mmsp.publicKey).toBe(keysBefore.platform.mmsp.publicKey);
    expect(keysAfter.merchants).toEqual(keysBefore.merchants);
    await second.close();
  });

  it('resumes the virtual clock where it stopped (frozen clock)', async () => {
    const first = await startSandbox({ dataDir });
    const advanced = await first.advance(3600);
    await first.close();
    const second = await startSandbox({ dataDir });
    expect((await second.get('/_sim/health')).now).toBe(advanced);
    await second.close();
  });

  it('loads user merchants and scenarios from the data directory', async () => {
    writeFileSync(
      join(dataDir, 'merchants.json'),
      JSON.stringify([{ provider: 'mmsp', merchantId: '001440300000009', terminalId: '84970009', md5Key: 'k9', name: 'My shop' }]),
    );
    mkdirSync(join(dataDir, 'scenarios'), { recursive: true });
    writeFileSync(
      join(dataDir, 'scenarios', 'fail-7777.json'),
      JSON.stringify({ id: 'fail-7777', match: { amount: 7777 }, steps: [{ do: 'respond', outcome: 'failed' }] }),
    );
    const sim = await startSandbox({ dataDir });
    const merchants = await sim.get('/_sim/merchants?provider=mmsp');
    expect(merchants.find((m: { merchantId: string }) => m.merchantId === '001440300000009')).toMatchObject({ source: 'config', name: 'My shop' });
    const scenario = await sim.get('/_sim/scenarios/fail-7777');
    expect(scenario.source).toBe('file');
    // A micropay: its payment is charged in the answer, so the scripted failure shows there (a pre-order's waits for the payer).
    const reply = await mmspClient(sim.url).send(2307, micropayBody(`${merchant.url}/n`, { AMT: '7777' }), { MERNO: '001440300000009', TERMNO: '84970009' }, 'k9');
    expect(reply.Body).toMatchObject({ STATUS: '2', ERR_CODE: '51' });
    await sim.close();
  });

  it('refuses to start on an invalid scenario file, naming the file and field', async () => {
    writeFileSync(
      join(dataDir, 'scenarios', 'broken.json'),
      JSON.stringify({ id: 'broken', match: { amount: 1 }, steps: [{ do: 'respond', outcome: 'maybe' }] }),
    );
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, SIM_TIME_SCALE: '0', LOG_LEVEL: 'silent' });
    expect(() => createSandbox(config, SIMULATORS)).toThrow(/scenarios\/broken\.json: steps\[0\]\.outcome/);
    writeFileSync(
      join(dataDir, 'scenarios', 'broken.json'),
      JSON.stringify([{ id: 'typo', match: { provider: 'mmsp', product: 'wechat.qrr' }, steps: [{ do: 'notify', mode: 'skip' }] }]),
    );
    expect(() => createSandbox(config, SIMULATORS)).toThrow(/scenarios\/broken\.json\[0\]: match\.product: wechat\.qrr matches no product of mmsp/);
    rmSync(join(dataDir, 'scenarios', 'broken.json'));
  });

  it('refuses to start on an invalid merchants file', async () => {
    writeFileSync(join(dataDir, 'merchants.json'), JSON.stringify([{ provider: 'nope', merchantId: 'x' }]));
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, SIM_TIME_SCALE: '0', LOG_LEVEL: 'silent' });
    expect(() => createSandbox(config, SIMULATORS)).toThrow(/merchants\.json\[0\]\.provider: unknown provider nope/);
    rmSync(join(dataDir, 'merchants.json'));
  });
  it('never resumes the clock behind a stored event, even when the last save of the clock was lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-clock-'));
    try {
      const first = await startSandbox({ dataDir: dir });
      await first.advance(7200);
      const request = prepayBody(`${merchant.url}/notify`);
      await mmspClient(first.url).send(2306, request);
      const [order] = await first.get('/_sim/orders');
      await first.close();
      // What a SIGKILL between two saves leaves: the saved clock an hour behind the newest order.
      const store = new Store({ file: join(dir, 'sandbox.db') });
      store.setMeta('clock', JSON.stringify({ virtual: Date.parse(order.createdAt) - 3_600_000, real: Date.now() }));
      store.close();
      const second = await startSandbox({ dataDir: dir });
      expect(Date.parse((await second.get('/_sim/health')).now)).toBeGreaterThanOrEqual(Date.parse(order.createdAt));
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
