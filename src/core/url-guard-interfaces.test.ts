import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it, vi } from 'vitest';

/** The machine's interfaces as the test sets them (a VPN or DHCP giving it a new address mid-run). */
const interfaces: { current: Record<string, NetworkInterfaceInfo[]> } = { current: {} };
vi.mock('node:os', async (original) => ({ ...(await original<typeof import('node:os')>()), networkInterfaces: () => interfaces.current }));

const { UrlGuard } = await import('./url-guard.js');

describe('UrlGuard and the machine’s addresses', () => {
  it('judges a URL on the sandbox’s own port afresh: an address the machine gains later is refused from then on', () => {
    const guard = new UrlGuard(null);
    guard.setPorts([8080]);
    const url = 'http://10.9.8.7:8080/_sim/reset';
    expect(guard.refusal(url)).toBeNull();
    interfaces.current = {
      tun0: [{ address: '10.9.8.7', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: '10.9.8.7/8' }],
    };
    expect(guard.refusal(url)).toMatch(/own address and port/);
    // Another port of that host is no concern of the sandbox's, and its verdict may be remembered.
    expect(guard.refusal('http://10.9.8.7:9999/notify')).toBeNull();
  });
});
