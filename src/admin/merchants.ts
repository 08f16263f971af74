import { Hono } from 'hono';
import { parseMerchantInput } from '../core/merchant-input.js';
import type { SandboxParts } from '../parts.js';
import { adminError, jsonBody } from './respond.js';

/**
 * Merchants: the documents' test merchants, those of `DATA_DIR/merchants.json`
 * and those added here. Keys are shown: this is a sandbox.
 */
export function merchantRoutes({ store, simulators, clock, scenarios }: SandboxParts) {
  const app = new Hono();

  app.get('/', (c) => c.json(store.merchants.list(c.req.query('provider'))));

  app.post('/', async (c) => {
    const body = await jsonBody(c);
    if (body === undefined) return adminError(c, 'INVALID_JSON', 'the request body is not JSON');
    let merchant;
    try {
      merchant = parseMerchantInput(body, 'request body', 'api');
    } catch (error) {
      return adminError(c, 'INVALID_MERCHANT', (error as Error).message);
    }
    if (!simulators.get(merchant.provider)) {
      return adminError(c, 'INVALID_MERCHANT', `request body: provider: unknown provider ${merchant.provider}`);
    }
    const existed = store.merchants.get(merchant.provider, merchant.merchantId) !== undefined;
    return c.json(store.merchants.upsert(merchant, clock.now()), existed ? 200 : 201);
  });

  /**
   * The scenario the merchant's next order gets, whatever its amount (the
   * dashboard's "next order" picker): `PUT {"scenario": id}`, `GET`, `DELETE`.
   */
  app.get('/:provider/:merchantId/next-scenario', (c) => {
    const { provider, merchantId } = c.req.param();
    const scenario = scenarios.nextFor(provider, merchantId);
    return scenario ? c.json({ provider, merchantId, scenario }) : adminError(c, 'NEXT_SCENARIO_NOT_SET', `no scenario is chosen for the next order of ${provider} ${merchantId}`);
  });

  app.put('/:provider/:merchantId/next-scenario', async (c) => {
    const { provider, merchantId } = c.req.param();
    if (!store.merchants.get(provider, merchantId)) return adminError(c, 'MERCHANT_NOT_FOUND', `no ${provider} merchant ${merchantId}`);
    const body = (await jsonBody(c)) as { scenario?: unknown } | undefined;
    if (!body || typeof body.scenario !== 'string') return adminError(c, 'INVALID_JSON', 'body must be {"scenario": "<scenario id>"}');
    try {
      scenarios.armNext(provider, merchantId, body.scenario);
    } catch (error) {
      return adminError(c, 'INVALID_SCENARIO', (error as Error).message);
    }
    return c.json({ provider, merchantId, scenario: body.scenario });
  });

  app.delete('/:provider/:merchantId/next-scenario', (c) => {
    const { provider, merchantId } = c.req.param();
    return scenarios.disarmNext(provider, merchantId)
      ? c.json({ deleted: { provider, merchantId } })
      : adminError(c, 'NEXT_SCENARIO_NOT_SET', `no scenario is chosen for the next order of ${provider} ${merchantId}`);
  });

  app.delete('/:provider/:merchantId', (c) => {
    const { provider, merchantId } = c.req.param();
    return store.merchants.delete(provider, merchantId)
      ? c.json({ deleted: { provider, merchantId } })
      : adminError(c, 'MERCHANT_NOT_FOUND', `no ${provider} merchant ${merchantId}`);
  });

  return app;
}
