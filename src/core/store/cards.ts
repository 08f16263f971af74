import { DEFAULT_CARDS, type TestCard } from '../test-cards.js';
import type { Db } from './database.js';

export type CardSource = 'default' | 'config' | 'api';
export type StoredCard = TestCard & { source: CardSource };

/**
 * Test cards: the sandbox's defaults (`core/test-cards.ts`) and those a user
 * added in `DATA_DIR/cards.json` or through `POST /_sim/cards`; a user's card
 * with a default's number replaces it.
 */
export class CardRepository {
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly deleteStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.upsertStmt = db.prepare(`
      INSERT INTO cards (number, definition, source, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (number) DO UPDATE SET definition = excluded.definition, source = excluded.source`);
    this.getStmt = db.prepare<[string], { definition: string; source: CardSource }>('SELECT definition, source FROM cards WHERE number = ?');
    this.deleteStmt = db.prepare('DELETE FROM cards WHERE number = ?');
    this.listStmt = db.prepare<[], { definition: string; source: CardSource }>('SELECT definition, source FROM cards ORDER BY number');
  }

  get(number: string): StoredCard | undefined {
    const row = this.getStmt.get(number);
    if (row) return { ...(JSON.parse(row.definition) as TestCard), source: row.source };
    const fallback = DEFAULT_CARDS.find((card) => card.number === number);
    return fallback && { ...fallback, source: 'default' };
  }

  list(): StoredCard[] {
    const custom = this.listStmt.all().map((row) => ({ ...(JSON.parse(row.definition) as TestCard), source: row.source }));
    const numbers = new Set(custom.map((card) => card.number));
    return [...DEFAULT_CARDS.filter((card) => !numbers.has(card.number)).map((card) => ({ ...card, source: 'default' as const })), ...custom];
  }

  upsert(card: TestCard, source: Exclude<CardSource, 'default'>, now: number): StoredCard {
    this.upsertStmt.run(card.number, JSON.stringify(card), source, now);
    return { ...card, source };
  }

  /** Removes a user's card (a default one comes back, if it had replaced one); false when there was none. */
  delete(number: string): boolean {
    return this.deleteStmt.run(number).changes > 0;
  }
}
