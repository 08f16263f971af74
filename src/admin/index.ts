import { Hono, type Context } from 'hono';
import type { SandboxParts } from '../parts.js';
import { accountRoutes } from './accounts.js';
import { cardRoutes } from './cards.js';
import { merchantRoutes } from './merchants.js';
import { notificationRoutes } from './notifications.js';
import { orderRoutes } from './orders.js';
import { recordRoutes } from './records.js';
import { requestRoutes } from './requests.js';
import { adminError } from './respond.js';
import { scenarioRoutes } from './scenarios.js';
import { systemRoutes } from './system.js';

/** The `/_sim` admin API (DESIGN.md, the external contract). JSON in and out. */
export function adminRoutes(parts: SandboxParts): Hono {
  const app = new Hono();
  app.route('/', systemRoutes(parts));
  app.route('/', requestRoutes(parts));
  app.route('/orders', orderRoutes(parts));
  app.route('/records', recordRoutes(parts));
  app.route('/notifications', notificationRoutes(parts));
  app.route('/scenarios', scenarioRoutes(parts));
  app.route('/merchants', merchantRoutes(parts));
  app.route('/cards', cardRoutes(parts));
  app.route('/accounts', accountRoutes(parts));
  return app;
}

/** Hono consults only the top-level app's not-found and error handlers; these answer `/_sim` in its own JSON shape. */
export function isAdminPath(c: Context): boolean {
  return new URL(c.req.url).pathname.startsWith('/_sim');
}

export const adminNotFound = (c: Context) =>
  adminError(c, 'NOT_FOUND', `no admin route ${c.req.method} ${new URL(c.req.url).pathname}`);

export const adminFailure = (c: Context, error: Error) => adminError(c, 'INTERNAL', error.message);
