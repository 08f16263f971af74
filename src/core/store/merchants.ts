import type { Merchant } from '../domain.js';
import type { Db } from './database.js';
import { readJson } from './json-column.js';

interface MerchantRow {
  provider: string;
  merchant_id: string;
  terminal_id: string | null;
  md5_key: string | null;
  public_key: string | null;
  private_key: string | null;
  name: string | null;
  settings: string;
  source: Merchant['source'];
}

function toMerchant(row: MerchantRow): Merchant {
  return {
    provider: row.provider,
    merchantId: row.merchant_id,
    terminalId: row.terminal_id,
    md5Key: row.md5_key,
    publicKey: row.public_key,
    privateKey: row.private_key,
    name: row.name,
    settings: readJson(row.settings),
    source: row.source,
  };
}

export class MerchantRepository {
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly deleteStmt;

  constructor(private readonly db: Db) {
    this.upsertStmt = db.prepare(`
      INSERT INTO merchants (provider, merchant_id, terminal_id, md5_key, public_key, private_key, name, settings,
        source, created_at)
      VALUES (@provider, @merchantId, @terminalId, @md5Key, @publicKey, @privateKey, @name, @settings, @source, @now)
      ON CONFLICT (provider, merchant_id) DO UPDATE SET terminal_id = excluded.terminal_id,
        md5_key = excluded.md5_key, public_key = excluded.public_key, private_key = excluded.private_key,
        name = excluded.name, settings = excluded.settings, source = excluded.source`);
    this.getStmt = db.prepare<[string, string], MerchantRow>(
      'SELECT * FROM merchants WHERE provider = ? AND merchant_id = ?',
    );
    this.deleteStmt = db.prepare('DELETE FROM merchants WHERE provider = ? AND merchant_id = ?');
  }

  /**
   * Every request looks its merchant up; merchants change only through this
   * repository, so they are kept in memory once read (copies are handed out).
   */
  private readonly cache = new Map<string, Merchant | null>();

  upsert(merchant: Merchant, now: number): Merchant {
    this.upsertStmt.run({ ...merchant, settings: JSON.stringify(merchant.settings), now });
    this.cache.delete(`${merchant.provider}\u0000${merchant.merchantId}`);
    return this.get(merchant.provider, merchant.merchantId)!;
  }

  get(provider: string, merchantId: string): Merchant | undefined {
    const key = `${provider}\u0000${merchantId}`;
    let merchant = this.cache.get(key);
    if (merchant === undefined) {
      const row = this.getStmt.get(provider, merchantId);
      merchant = row ? toMerchant(row) : null;
      // Unknown ids are not remembered: a flood of made-up merchant numbers must not grow memory.
      if (merchant) this.cache.set(key, merchant);
    }
    return merchant ? { ...merchant, settings: { ...merchant.settings } } : undefined;
  }

  delete(provider: string, merchantId: string): boolean {
    this.cache.delete(`${provider}\u0000${merchantId}`);
    return this.deleteStmt.run(provider, merchantId).changes > 0;
  }

  list(provider?: string): Merchant[] {
    const rows = provider
      ? this.db.prepare<[string], MerchantRow>('SELECT * FROM merchants WHERE provider = ? ORDER BY merchant_id').all(provider)
      : this.db.prepare<[], MerchantRow>('SELECT * FROM merchants ORDER BY provider, merchant_id').all();
    return rows.map(toMerchant);
  }
}
