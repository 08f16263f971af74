import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyPairPem } from '../core/simulator.js';
import { generateKeyPair } from './generate.js';

/**
 * Platform and test-merchant key pairs. Generated on first start into
 * `DATA_DIR/keys/<provider>/` and read back afterwards, so a merchant's
 * configured keys keep working across restarts; held in memory only when the
 * sandbox runs without a data directory.
 */
export class KeyRing {
  private readonly platformKeys = new Map<string, KeyPairPem>();

  /** @param dir the keys directory, or null for memory only */
  constructor(private readonly dir: string | null) {}

  ensurePlatform(provider: string, options: { bits: number; certificate: boolean }): KeyPairPem {
    const pair = this.loadOrCreate(provider, 'platform', () =>
      generateKeyPair({
        bits: options.bits,
        ...(options.certificate ? { certificateFor: `${provider} platform (sandbox)` } : {}),
      }),
    );
    this.platformKeys.set(provider, pair);
    return pair;
  }

  platform(provider: string): KeyPairPem | null {
    return this.platformKeys.get(provider) ?? null;
  }

  providersWithKeys(): string[] {
    return [...this.platformKeys.keys()];
  }

  ensureMerchant(provider: string, merchantId: string, bits: number): KeyPairPem {
    const safeId = merchantId.replace(/[^A-Za-z0-9_.-]/g, '_');
    return this.loadOrCreate(provider, `merchant-${safeId}`, () => generateKeyPair({ bits }));
  }

  private loadOrCreate(provider: string, name: string, create: () => KeyPairPem): KeyPairPem {
    if (this.dir === null) return create();
    const folder = join(this.dir, provider);
    const files = {
      privateKey: join(folder, `${name}-private.pem`),
      publicKey: join(folder, `${name}-public.pem`),
      certificate: join(folder, `${name}-cert.pem`),
    };
    if (existsSync(files.privateKey) && existsSync(files.publicKey)) {
      return {
        privateKey: readFileSync(files.privateKey, 'utf8'),
        publicKey: readFileSync(files.publicKey, 'utf8'),
        certificate: existsSync(files.certificate) ? readFileSync(files.certificate, 'utf8') : null,
      };
    }
    const pair = create();
    mkdirSync(folder, { recursive: true });
    writeFileSync(files.privateKey, pair.privateKey, { mode: 0o600 });
    writeFileSync(files.publicKey, pair.publicKey);
    if (pair.certificate) writeFileSync(files.certificate, pair.certificate);
    return pair;
  }
}
