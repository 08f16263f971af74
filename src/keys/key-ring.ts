import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyPairPem } from '../core/simulator.js';
import { generateKeyPair, withLazyCertificate } from './generate.js';

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
    const certificateFor = options.certificate ? `${provider} platform (sandbox)` : null;
    // In memory (CI) the pair is made when first used: a start that never signs with a provider never waits for it.
    const pair =
      this.dir === null ? lazyPair(() => this.loadOrCreate(provider, 'platform', options.bits, certificateFor)) : this.loadOrCreate(provider, 'platform', options.bits, certificateFor);
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
    return this.loadOrCreate(provider, `merchant-${safeId}`, bits, null);
  }

  /**
   * Reads a pair from the data directory, or generates it (node:crypto, native)
   * and writes it there. A certificate is made on first read (node-forge): an
   * in-memory sandbox that never hands out its `.cer` never pays for it.
   */
  private loadOrCreate(provider: string, name: string, bits: number, certificateFor: string | null): KeyPairPem {
    const folder = this.dir === null ? null : join(this.dir, provider);
    const files = folder && {
      privateKey: join(folder, `${name}-private.pem`),
      publicKey: join(folder, `${name}-public.pem`),
      certificate: join(folder, `${name}-cert.pem`),
    };
    let pair: { publicKey: string; privateKey: string };
    if (files && existsSync(files.privateKey) && existsSync(files.publicKey)) {
      pair = { privateKey: readFileSync(files.privateKey, 'utf8'), publicKey: readFileSync(files.publicKey, 'utf8') };
      if (certificateFor === null) return { ...pair, certificate: null };
      if (existsSync(files.certificate)) return { ...pair, certificate: readFileSync(files.certificate, 'utf8') };
    } else {
      pair = generateKeyPair({ bits });
      if (folder && files) {
        mkdirSync(folder, { recursive: true });
        writeFileSync(files.privateKey, pair.privateKey, { mode: 0o600 });
        writeFileSync(files.publicKey, pair.publicKey);
      }
    }
    if (certificateFor === null) return { ...pair, certificate: null };
    const lazy = withLazyCertificate(pair, certificateFor, (pem) => {
      if (files) writeFileSync(files.certificate, pem);
    });
    // A data directory keeps the certificate from the first start on, as the keys.
    if (files) void lazy.certificate;
    return lazy;
  }
}

/** A key pair generated on the first read of any of its fields. */
function lazyPair(create: () => KeyPairPem): KeyPairPem {
  let pair: KeyPairPem | undefined;
  const get = () => (pair ??= create());
  return {
    get publicKey() {
      return get().publicKey;
    },
    get privateKey() {
      return get().privateKey;
    },
    get certificate() {
      return get().certificate;
    },
  };
}
