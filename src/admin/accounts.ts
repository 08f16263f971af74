import { Hono } from 'hono';
import type { SandboxParts } from '../parts.js';
import { adminError, jsonBody } from './respond.js';

/** The largest single credit: a hundred billion yuan, far past any test, well inside a safe integer. */
const MAX_FUND = 10_000_000_000_000;

/**
 * Merchant accounts of the providers that keep them (payouts), through each
 * simulator's `accounts` hook:
 * - `GET /_sim/accounts/{provider}/{merchantId}` → the account;
 * - `POST /_sim/accounts/{provider}/{merchantId}/fund {"amount": fen}` → the account after the credit.
 */
export function accountRoutes(parts: SandboxParts) {
  const app = new Hono();

  const hookOf = (provider: string) => parts.simulators.get(provider)?.accounts;

  app.get('/:provider/:merchantId', (c) => {
    const { provider, merchantId } = c.req.param();
    const hook = hookOf(provider);
    if (!hook) return adminError(c, 'UNKNOWN_PROVIDER', `${provider} keeps no merchant accounts`);
    const account = hook.get(parts, merchantId);
    return account ? c.json(account) : adminError(c, 'ACCOUNT_NOT_FOUND', `${provider} keeps no account for merchant ${merchantId}`);
  });

  app.post('/:provider/:merchantId/fund', async (c) => {
    const { provider, merchantId } = c.req.param();
    const hook = hookOf(provider);
    if (!hook) return adminError(c, 'UNKNOWN_PROVIDER', `${provider} keeps no merchant accounts`);
    const body = await jsonBody(c);
    if (!body || typeof body !== 'object' || Array.isArray(body)) return adminError(c, 'INVALID_JSON', 'the body must be {"amount": fen}');
    const amount = (body as { amount?: unknown }).amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0 || amount > MAX_FUND) {
      return adminError(c, 'INVALID_AMOUNT', `amount must be a positive integer of fen, at most ${MAX_FUND}`);
    }
    const account = hook.fund(parts, merchantId, amount);
    return account ? c.json(account) : adminError(c, 'ACCOUNT_NOT_FOUND', `${provider} has no merchant ${merchantId}`);
  });

  return app;
}
