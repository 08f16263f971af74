import { Hono } from 'hono';
import type { SandboxParts } from '../sandbox.js';
import { merchantRoutes } from './merchants.js';
import { notificationRoutes } from './notifications.js';
import { orderRoutes } from './orders.js';
import { adminError } from './respond.js';
import { scenarioRoutes } from './scenarios.js';
import { systemRoutes } from './system.js';

/** The `/_sim` admin API (DESIGN.md, the external contract). JSON in and out. */
export function adminRoutes(parts: SandboxParts): Hono {
  const app = new Hono();
  app.route('/', systemRoutes(parts));
  app.route('/orders', orderRoutes(parts));
  app.route('/notifications', notificationRoutes(parts));
  app.route('/scenarios', scenarioRoutes(parts));
  app.route('/merchants', merchantRoutes(parts));
  app.notFound((c) => adminError(c, 404, 'NOT_FOUND', `no admin route ${c.req.method} ${new URL(c.req.url).pathname}`));
  app.onError((error, c) => {
    console.error('[admin]', error);
    return adminError(c, 500, 'INTERNAL', error.message);
  });
  return app;
}
