import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Address classes the sandbox's guards judge, on IP literals or names as they
 * appear in a URL or a Host header (`[::1]`, `LOCALHOST`). Ranges are checked
 * with node:net's BlockList, which also matches IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`, written `[::ffff:7f00:1]` once a URL has parsed it)
 * against the IPv4 ranges: they reach the same IPv4 address.
 */

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');

/** 0.0.0.0 and ::, which a connection reaches this machine through. */
const UNSPECIFIED = new BlockList();
UNSPECIFIED.addAddress('0.0.0.0', 'ipv4');
UNSPECIFIED.addAddress('::', 'ipv6');

/** A host without the brackets of an IPv6 literal, lower case. */
export function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

function inList(list: BlockList, host: string): boolean {
  const h = bareHost(host);
  const family = isIP(h);
  return family !== 0 && list.check(h, family === 4 ? 'ipv4' : 'ipv6');
}

/** localhost (and *.localhost), 127.0.0.0/8, ::1, or one of those IPv4-mapped: only this machine answers there. */
export function isLoopback(host: string): boolean {
  const h = bareHost(host);
  return h === 'localhost' || h.endsWith('.localhost') || inList(LOOPBACK, h);
}

/** 169.254.0.0/16 and fe80::/10 (cloud metadata services live at 169.254.169.254), IPv4-mapped included. */
export function isLinkLocal(host: string): boolean {
  return inList(LINK_LOCAL, host);
}

/** Loopback, the unspecified address, or one of this machine's interfaces. */
export function isThisMachine(host: string): boolean {
  if (isLoopback(host) || inList(UNSPECIFIED, host)) return true;
  const h = bareHost(host);
  const family = isIP(h);
  if (!family) return false;
  const own = new BlockList();
  for (const entry of Object.values(networkInterfaces()).flat()) {
    if (!entry) continue;
    const type = isIP(entry.address) === 4 ? 'ipv4' : 'ipv6';
    own.addAddress(entry.address, type);
  }
  return own.check(h, family === 4 ? 'ipv4' : 'ipv6');
}
