import { Hono } from 'hono';
import { parseTestCard } from '../core/test-cards.js';
import type { SandboxParts } from '../parts.js';
import { adminError, jsonBody } from './respond.js';

/**
 * `GET /_sim/cards`: the test cards every card-taking provider checks card
 * elements against (number, type, bank, holder, ID number, phone, and what the
 * card does); `POST /_sim/cards` adds or replaces one; `DELETE /_sim/cards/{number}`.
 */
export function cardRoutes({ store, clock }: SandboxParts) {
  const app = new Hono();

  app.get('/', (c) => c.json(store.cards.list()));

  app.post('/', async (c) => {
    const body = await jsonBody(c);
    if (body === undefined) return adminError(c, 'INVALID_JSON');
    let card;
    try {
      card = parseTestCard(body, 'request body');
    } catch (error) {
      return adminError(c, 'INVALID_CARD', (error as Error).message);
    }
    const existed = store.cards.list().some((known) => known.number === card.number);
    return c.json(store.cards.upsert(card, 'api', clock.now()), existed ? 200 : 201);
  });

  app.delete('/:number', (c) => {
    const number = c.req.param('number');
    return store.cards.delete(number) ? c.json({ deleted: number }) : adminError(c, 'CARD_NOT_FOUND', `no card ${number} was added`);
  });

  return app;
}
