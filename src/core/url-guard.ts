import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Refuses URLs the sandbox would call back into itself or that point at
 * link-local addresses (cloud metadata services live at 169.254.169.254): a
 * merchant's notify or return URL of `http://127.0.0.1:8080/_sim/reset` must
 * not let a paid order wipe the sandbox, nor a notification carry its keys into
 * the attempt log. Loopback and private ranges stay allowed on other ports: a
 * developer's shop runs there.
 */
export class UrlGuard {
  private ports: number[] = [];

  constructor(private readonly publicUrl: string | null) {}

  /** The ports the sandbox listens on (set once listening). */
  setPorts(ports: number[]): void {
    this.ports = ports;
  }

  /** Why `url` is refused, judged on its literal host; null when it is acceptable. */
  refusal(url: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null; // the provider's own field checks judge the form
    }
    if (this.publicUrl && parsed.origin === new URL(this.publicUrl).origin) return 'it is the sandbox’s own address';
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    return this.refusalFor(host, portOf(parsed));
  }

  /** {@link refusal}, after resolving a host name (what a delivery will actually connect to). */
  async refusalResolved(url: string): Promise<string | null> {
    const direct = this.refusal(url);
    if (direct) return direct;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return null;
    try {
      const addresses = await lookup(host, { all: true });
      for (const { address } of addresses) {
        const refused = this.refusalFor(address, portOf(parsed));
        if (refused) return `${host} resolves to ${address}: ${refused}`;
      }
    } catch {
      return null; // unresolvable: the delivery itself will say so
    }
    return null;
  }

  private refusalFor(host: string, port: number): string | null {
    if (isLinkLocal(host)) return 'link-local addresses (169.254.0.0/16, fe80::/10) are refused';
    if (this.ports.includes(port) && isThisMachine(host)) return 'it is the sandbox’s own address and port';
    return null;
  }
}

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function isLinkLocal(host: string): boolean {
  const h = host.toLowerCase();
  if (/^169\.254\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return isIP(h) === 6 && /^fe[89ab][0-9a-f]?:/.test(h);
}

/** Loopback, the unspecified address, or one of this machine's interfaces. */
function isThisMachine(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0.0.0.0' || h === '::') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1') return true;
  return Object.values(networkInterfaces())
    .flat()
    .some((i) => i?.address.toLowerCase() === h);
}
