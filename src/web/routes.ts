import { Hono } from 'hono';
import type { SandboxParts } from '../parts.js';
import { dashboardPage } from './dashboard.js';
import { payPageRoutes } from './pay-page.js';

/** The dashboard at `/` and the hosted pay pages at `/pay/{provider}/{platformOrderNo}`. */
export function webRoutes(parts: SandboxParts): Hono {
  const app = new Hono();
  app.get('/', (c) => c.html(dashboardPage()));
  app.route('/pay', payPageRoutes(parts));
  return app;
}
