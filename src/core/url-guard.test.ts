import { describe, expect, it } from 'vitest';
import { UrlGuard } from './url-guard.js';

describe('UrlGuard', () => {
  const guard = new UrlGuard('http://sandbox.example:9000');
  guard.setPorts([8080]);

  it('refuses the sandbox itself on its own port, however it is written', () => {
    for (const url of ['http://127.0.0.1:8080/_sim/reset', 'http://localhost:8080/x', 'http://[::1]:8080/x', 'http://0.0.0.0:8080/', 'http://127.1.2.3:8080/', 'http://sandbox.example:9000/_sim/keys']) {
      expect(guard.refusal(url), url).toMatch(/sandbox/);
    }
  });

  it('refuses link-local addresses on any port', () => {
    expect(guard.refusal('http://169.254.169.254/latest/meta-data')).toMatch(/link-local/);
    expect(guard.refusal('http://[fe80::1]:3000/')).toMatch(/link-local/);
  });

  it('allows loopback and private addresses on other ports: a shop under development runs there', () => {
    for (const url of ['http://127.0.0.1:3000/notify', 'http://localhost:5173/pay/return', 'http://192.168.1.20:8080/notify', 'https://shop.example/notify']) {
      expect(guard.refusal(url), url).toBeNull();
    }
  });

  it('resolves host names before a delivery', async () => {
    expect(await guard.refusalResolved('http://localhost:8080/x')).toMatch(/sandbox/);
    expect(await guard.refusalResolved('http://localhost:3000/x')).toBeNull();
  });
});
