import { Hono } from 'hono';
import type { SandboxParts } from '../parts.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { payPageRoutes } from './pay-page.js';

/** The dashboard at `/dashboard` (`/` leads there) and the hosted pay pages at `/pay/{provider}/{platformOrderNo}`. */
export function webRoutes(parts: SandboxParts): Hono {
  const app = new Hono();
  app.get('/', (c) => c.redirect('/dashboard', 302));
  // Browsers ask for it on every page; an empty answer keeps their consoles clean.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.route('/dashboard', dashboardRoutes(parts));
  app.route('/pay', payPageRoutes(parts));
  return app;
}
