import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateDer } from '../testkit/keys.js';
import type { SandboxKeys } from '../testkit/types.js';

/** A file name part from a merchant number: letters, digits, dot, dash and underscore only. */
const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * Writes a key set as the files a merchant's configuration points at, one
 * folder per provider: the platform's `platform-public.pem`, `platform-private.pem`,
 * `platform-cert.pem` and `platform.cer` (DER, what providers hand out), and
 * per merchant `merchant-<id>.json` (numbers and MD5 key) with its PEM pair.
 * Answers the files written, relative to `dir`.
 */
export function exportKeys(keys: SandboxKeys, dir: string): string[] {
  const written: string[] = [];
  const write = (provider: string, name: string, content: string | Buffer, mode = 0o644) => {
    const folder = join(dir, safe(provider));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, name), content, { mode });
    written.push(join(safe(provider), name));
  };
  for (const [provider, pair] of Object.entries(keys.platform)) {
    write(provider, 'platform-public.pem', pair.publicKey);
    write(provider, 'platform-private.pem', pair.privateKey, 0o600);
    if (pair.certificate) {
      write(provider, 'platform-cert.pem', pair.certificate);
      write(provider, 'platform.cer', certificateDer(pair.certificate));
    }
  }
  for (const merchant of keys.merchants) {
    const id = safe(merchant.merchantId);
    const { provider, merchantId, terminalId, md5Key, name } = merchant;
    write(provider, `merchant-${id}.json`, `${JSON.stringify({ provider, merchantId, terminalId, md5Key, name }, null, 2)}\n`, 0o600);
    if (merchant.publicKey) write(provider, `merchant-${id}-public.pem`, merchant.publicKey);
    if (merchant.privateKey) write(provider, `merchant-${id}-private.pem`, merchant.privateKey, 0o600);
  }
  return written;
}
