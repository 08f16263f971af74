import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isLinkLocal, isThisMachine } from './addresses.js';

/** Resolves a name to all its addresses: `dns.lookup` with `all: true` (tests pass their own). */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * Refuses URLs the sandbox would call back into itself or that point at
 * link-local addresses (cloud metadata services live at 169.254.169.254): a
 * merchant's notify or return URL of `http://127.0.0.1:8080/_sim/reset` must
 * not let a paid order wipe the sandbox, nor a notification carry its keys into
 * the attempt log. Loopback and private ranges stay allowed on other ports: a
 * developer's shop runs there. IPv4-mapped IPv6 literals (`[::ffff:127.0.0.1]`)
 * are judged as the IPv4 address they reach (core/addresses.ts).
 *
 * Two checks: {@link refusal} on the literal host (when an order is placed, and
 * before a delivery), and {@link lookupFor}, the name resolution of the
 * delivery's own connection, which refuses a name resolving to such an
 * address — the address checked is the address connected to, so a name that
 * resolves elsewhere the second time (DNS rebinding) gains nothing.
 */
export class UrlGuard {
  private ports: number[] = [];

  constructor(
    private readonly publicUrl: string | null,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** The ports the sandbox listens on (set once listening). */
  setPorts(ports: number[]): void {
    this.ports = ports;
    this.verdicts.clear();
  }

  /**
   * Verdicts of {@link refusal} by URL, for URLs that name none of the sandbox's ports: those depend on the literal
   * host alone (a shop sends the same notify URL with every order, and parsing it and checking address lists cost
   * each creation a few per cent, profiled). A URL on one of its ports is judged afresh each time: whether its host
   * is this machine depends on the interfaces' addresses, which can change (a VPN, DHCP).
   */
  private readonly verdicts = new Map<string, string | null>();

  /** Why `url` is refused, judged on its literal host; null when it is acceptable. */
  refusal(url: string): string | null {
    const cached = this.verdicts.get(url);
    if (cached !== undefined) return cached;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null; // the provider's own field checks judge the form
    }
    const port = portOf(parsed);
    const verdict =
      this.publicUrl && parsed.origin === new URL(this.publicUrl).origin ? 'it is the sandbox’s own address' : this.refusalFor(parsed.hostname, port);
    if (!this.ports.includes(port)) {
      if (this.verdicts.size >= 1000) this.verdicts.clear();
      this.verdicts.set(url, verdict);
    }
    return verdict;
  }

  /**
   * The `lookup` for a connection to `url` (node:net's option): resolves the
   * name and fails with the reason when any of its addresses is refused, so
   * the connection is made only to an address that was checked.
   */
  lookupFor(url: string): LookupFunction {
    const port = portOf(new URL(url));
    // One function per port: it depends on nothing else, and a fast-forward asks for one per delivery.
    let lookup = this.lookups.get(port);
    if (!lookup) {
      lookup = this.lookupForPort(port);
      this.lookups.set(port, lookup);
    }
    return lookup;
  }

  private readonly lookups = new Map<number, LookupFunction>();

  private lookupForPort(port: number): LookupFunction {
    return (hostname: string, options: LookupOptions, callback) => {
      this.resolve(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        for (const { address } of addresses) {
          const refused = this.refusalFor(address, port);
          if (refused) {
            const failure: NodeJS.ErrnoException = new Error(`not sent: ${hostname} resolves to ${address}: ${refused}`);
            failure.code = 'EREFUSED_ADDRESS';
            return callback(failure, '', 0);
          }
        }
        if (options.all) return callback(null, addresses);
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        return callback(null, first.address, first.family);
      });
    };
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
