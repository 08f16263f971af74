import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportKeys } from '../src/cli/keys-export.js';
import { runCli } from '../src/cli/program.js';
import { generateKeyPair, selfSignedCertificate } from '../src/keys/generate.js';
import { useSandbox } from './support/harness.js';
import { mmspClient, MMSP_KEY, prepayBody } from './support/mmsp.js';

const { sim, merchant } = useSandbox({ resetEach: true });
const scratch = mkdtempSync(join(tmpdir(), 'cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI in this process against the test's sandbox; answers the exit code and what it printed. */
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--url', sim.url, ...args], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: {},
    serve: async () => {
      throw new Error('serve is not run in-process by the tests');
    },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function paidOrder() {
  const body = prepayBody(`${merchant.url}/notify`);
  await mmspClient(sim.url).send(2306, body);
  await sim.post(`/_sim/orders/mmsp/${body.MERORDERID}/pay`);
  return body.MERORDERID;
}

describe('cn-pay-sandbox against a running sandbox', () => {
  it('lists orders as a table or JSON, filtered by provider and state', async () => {
    const orderNo = await paidOrder();
    const paid = await cli('orders', '--provider', 'mmsp', '--state', 'paid');
    expect(paid.code).toBe(0);
    expect(paid.out.split('\n')[0]).toMatch(/^provider\s+merchantId\s+orderNo/);
    expect(paid.out).toMatch(new RegExp(`mmsp\\s+001440353999853\\s+${orderNo}\\s+\\d{18}\\s+100\\s+paid`));
    expect((await cli('orders', '--state', 'failed')).out.split('\n')).toHaveLength(1);
    const json = JSON.parse((await cli('orders', '--json')).out);
    expect(json).toMatchObject([{ orderNo, state: 'paid', amount: 100 }]);
  });

  it('advances the clock, lists and replays notifications', async () => {
    const orderNo = await paidOrder();
    const advanced = await cli('clock', 'advance', '30');
    expect(advanced).toMatchObject({ code: 0, out: '2026-03-01T02:00:30.000Z' });
    const listed = await cli('notifications', 'list', '--order', orderNo);
    expect(listed.out).toMatch(/delivered/);
    const [notification] = await sim.get(`/_sim/notifications?orderNo=${orderNo}`);
    const replayed = await cli('notifications', 'replay', String(notification.id));
    expect(replayed.code).toBe(0);
    expect(replayed.out).toMatch(new RegExp(`notification ${notification.id} \\(mmsp ${orderNo}\\) delivered: attempt 2 \\(replay\\) .*acked, HTTP 200`));
    expect(merchant.received).toHaveLength(2);
  });

  it('says what the admin API refused, and when nothing answers, with exit code 1', async () => {
    expect(await cli('notifications', 'replay', '999999')).toMatchObject({ code: 1, err: expect.stringMatching(/404 NOTIFICATION_NOT_FOUND/) });
    const nothing = await runCli(['--url', 'http://127.0.0.1:9', 'orders'], { out: () => {}, err: (t) => expect(t).toMatch(/no sandbox answers at http:\/\/127\.0\.0\.1:9/), env: {}, serve: async () => {} });
    expect(nothing).toBe(1);
    expect((await cli('clock', 'advance', 'soon')).code).not.toBe(0);
  });

  it('prints the key set, and exports it as files', async () => {
    const printed = await cli('keys');
    expect(printed.out).toMatch(/mmsp\s+001440353999853\s+84970001\s+ea21842eea24e448b991b1cb0a0294cf\s+merchant pair/);
    expect(printed.out).toMatch(/aggpay\s+gpu10000000\s+c1277xxxxxxxxx/);
    const dir = join(scratch, 'keys');
    const exported = await cli('keys', '--provider', 'mmsp', '--export', dir);
    expect(exported.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'mmsp', 'merchant-001440353999853.json'), 'utf8'))).toMatchObject({ md5Key: MMSP_KEY, terminalId: '84970001' });
    expect(readFileSync(join(dir, 'mmsp', 'platform-public.pem'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(existsSync(join(dir, 'aggpay'))).toBe(false);
  });

  it('exports a platform certificate as .cer (DER) next to its PEM', () => {
    const keys = generateKeyPair({ bits: 1024 });
    const pair = { ...keys, certificate: selfSignedCertificate(keys, 'cli-test') };
    const dir = join(scratch, 'cer');
    const files = exportKeys({ platform: { demo: { publicKey: pair.publicKey, privateKey: pair.privateKey, certificate: pair.certificate } }, merchants: [] }, dir);
    expect(files).toEqual(['demo/platform-public.pem', 'demo/platform-private.pem', 'demo/platform-cert.pem', 'demo/platform.cer']);
    const der = readFileSync(join(dir, 'demo', 'platform.cer'));
    expect(new X509Certificate(der).fingerprint256).toBe(new X509Certificate(pair.certificate!).fingerprint256);
    expect(der.subarray(0, 10).toString('latin1')).not.toContain('-----');
  });

  it('exports UMPay’s and Allinpay’s platform certificates as platform.cer, what their SDKs load', async () => {
    const dir = join(scratch, 'certificates');
    expect((await cli('keys', '--export', dir)).code).toBe(0);
    const keys = await sim.get('/_sim/keys');
    for (const provider of ['umpay', 'allinpay']) {
      const der = readFileSync(join(dir, provider, 'platform.cer'));
      const certificate = new X509Certificate(der);
      // The certificate's key is the platform key the sandbox signs with, and the one /_sim/keys/<id>/platform.cer serves.
      expect(certificate.publicKey.export({ type: 'spki', format: 'pem' })).toBe(createPublicKey(keys.platform[provider].publicKey).export({ type: 'spki', format: 'pem' }));
      const served = Buffer.from(await (await fetch(`${sim.url}/_sim/keys/${provider}/platform.cer`)).arrayBuffer());
      expect(served.equals(der)).toBe(true);
      expect(readFileSync(join(dir, provider, 'platform-cert.pem'), 'utf8')).toBe(keys.platform[provider].certificate);
    }
    // Merchant key pairs for UMPay's RSA merchants; Allinpay merchants sign with MD5 keys.
    expect(readFileSync(join(dir, 'umpay', 'merchant-60000100-private.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(JSON.parse(readFileSync(join(dir, 'allinpay', 'merchant-100020091218001.json'), 'utf8'))).toMatchObject({ md5Key: '1234567890' });
  });

  it('lists scenarios and validates scenario files offline', async () => {
    expect((await cli('scenarios', 'list')).out).toMatch(/magic-2004-system-error\s+builtin/);
    const valid = await cli('scenarios', 'validate', 'data/scenarios/example.json');
    expect(valid).toMatchObject({ code: 0, out: expect.stringMatching(/data\/scenarios\/example\.json: 2 valid/) });
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ id: 'ok', match: { amount: 1 }, steps: [{ do: 'notify', mode: 'skip' }] }, { id: 'typo', match: { provider: 'mmps' }, steps: [{ do: 'notify', mode: 'skip' }] }]));
    expect(await cli('scenarios', 'validate', bad)).toMatchObject({ code: 1, err: `${bad}[1]: match.provider: unknown provider mmps (known: mmsp, aggpay, icashier, umpay, allinpay)` });
    expect((await cli('scenarios', 'validate', join(scratch, 'missing.json'))).err).toMatch(/missing\.json: no such file/);
  });
});

describe('cn-pay-sandbox serve', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

  /** Starts `serve` as a process with its stdout piped; answers its URL and everything it printed so far. */
  async function serve(...args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve', '--port', '0', '--data-dir', ':memory:', '--time-scale', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: '', LOG_FORMAT: '' },
    });
    children.push(child);
    const output = { text: '' };
    child.stdout!.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /listening on (http:\/\/\S+)/.exec(output.text);
        if (match) {
          clearInterval(timer);
          resolve(match[1]!);
        }
      }, 20);
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${output.text}`)));
    });
    const lineAfter = async (pattern: RegExp) => {
      for (let i = 0; i < 250 && !pattern.test(output.text); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      return output.text.split('\n').find((line) => pattern.test(line));
    };
    return { url, lineAfter };
  }

  it('logs one JSON line per request when piped: provider, operation, merchant, order, signature verdict, result, time', async () => {
    const { url, lineAfter } = await serve();
    const client = mmspClient(url);
    const body = prepayBody('http://127.0.0.1:9/notify');
    await client.send(2306, body);
    await client.send(2310, { MERORDERID: body.MERORDERID, RANDSTR: 'q' }, {}, 'not-the-key');
    const placed = JSON.parse((await lineAfter(/"operation":"2306/))!);
    expect(placed).toMatchObject({ provider: 'mmsp', method: 'POST', path: '/mmsp/api', merchantId: '001440353999853', orderNo: body.MERORDERID, signature: 'valid', result: 'ok', status: 200 });
    expect(typeof placed.ms).toBe('number');
    const refused = JSON.parse((await lineAfter(/"operation":"2310/))!);
    // A refusal is logged as a warning (pino level 40), an answered request as info (30).
    expect(placed.level).toBe(30);
    expect(refused).toMatchObject({ level: 40, provider: 'mmsp', signature: 'refused', result: '-1005' });
  });

  it('logs pretty lines when asked', async () => {
    const { url, lineAfter } = await serve('--log-format', 'pretty');
    await fetch(`${url}/aggpay/api/order/check_order?appid=gpu10000000&order_no=NOPE0001&sign=0`);
    expect(await lineAfter(/aggpay GET/)).toMatch(/WARN: aggpay GET \/aggpay\/api\/order\/check_order \[check_order[^\]]*\] merchant=gpu10000000 order=NOPE0001 sig=refused → 签名错误 200 [\d.]+ms/);
  });
});
