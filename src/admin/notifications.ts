import { Hono } from 'hono';
import type { SandboxParts } from '../parts.js';
import { adminError, limitParam } from './respond.js';
import { notificationView } from './views.js';

/** `GET /_sim/notifications` with every attempt, and `POST /_sim/notifications/{id}/replay`. */
export function notificationRoutes({ store, dispatcher }: SandboxParts) {
  const app = new Hono();

  app.get('/', (c) => {
    const { provider, orderNo, merchantId, status } = c.req.query();
    const items = store.outbox.list({ provider, orderNo, merchantId, status, limit: limitParam(c, 500) });
    return c.json(items.map((item) => notificationView(item, store.outbox.attempts(item.id))));
  });

  app.get('/:id', (c) => {
    const item = store.outbox.get(Number(c.req.param('id')));
    if (!item) return adminError(c, 'NOTIFICATION_NOT_FOUND', `no notification ${c.req.param('id')}`);
    return c.json(notificationView(item, store.outbox.attempts(item.id)));
  });

  /** One extra attempt now, whatever the notification's status; recorded with trigger "replay". */
  app.post('/:id/replay', async (c) => {
    const id = Number(c.req.param('id'));
    const item = Number.isInteger(id) ? await dispatcher.replay(id) : undefined;
    if (!item) return adminError(c, 'NOTIFICATION_NOT_FOUND', `no notification ${c.req.param('id')}`);
    return c.json(notificationView(item, store.outbox.attempts(item.id)));
  });

  return app;
}
