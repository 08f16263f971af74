import { Hono, type Context } from 'hono';
import type { SimRecord } from '../core/domain.js';
import { MAX_PAGE, type RecordFilter } from '../core/store/records.js';
import type { SandboxParts } from '../parts.js';
import { isoTime, parseOffsetTime } from '../core/time-format.js';
import { adminError } from './respond.js';
import { notificationView, recordEventView, recordView } from './views.js';

/** Reads `?from=` / `?to=` (ISO-8601 with an offset, or epoch ms) and paging; a message for the first bad one. */
function readFilter(c: Context): RecordFilter | string {
  const query = c.req.query();
  const filter: RecordFilter = {};
  for (const key of ['provider', 'kind', 'merchantId', 'state', 'q'] as const) {
    if (query[key]) filter[key] = query[key];
  }
  for (const key of ['from', 'to'] as const) {
    const raw = query[key];
    if (!raw) continue;
    const at = /^\d+$/.test(raw) ? Number(raw) : parseOffsetTime(raw);
    if (at === undefined || !Number.isFinite(at)) return `${key} must be an ISO-8601 time with an offset (2026-03-01T10:00:00+08:00) or epoch milliseconds`;
    filter[key] = at;
  }
  for (const [key, max] of [['limit', MAX_PAGE], ['offset', Number.MAX_SAFE_INTEGER]] as const) {
    const raw = query[key];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < (key === 'limit' ? 1 : 0) || value > max) {
      return `${key} must be an integer from ${key === 'limit' ? 1 : 0} to ${max}`;
    }
    filter[key] = value;
  }
  return filter;
}

/**
 * `GET /_sim/records`: every kind of record (orders, refunds, payouts,
 * bindings, SMS challenges…), filtered, newest first, paged; the total is in
 * `X-Total-Count`. `GET /_sim/records/{id}` adds its timeline, children and notifications.
 */
export function recordRoutes({ store }: SandboxParts) {
  const app = new Hono();

  const orderNoOf = (record: SimRecord, parents: Map<number, SimRecord | undefined>): string | null => {
    if (record.kind === 'order') return record.number;
    if (record.parentId === null) return null;
    if (!parents.has(record.parentId)) parents.set(record.parentId, store.records.get(record.parentId));
    const parent = parents.get(record.parentId);
    return parent?.kind === 'order' ? parent.number : null;
  };

  app.get('/', (c) => {
    const filter = readFilter(c);
    if (typeof filter === 'string') return adminError(c, 'INVALID_QUERY', filter);
    const rows = store.records.list({ ...filter, limit: filter.limit ?? 100 });
    const parents = new Map<number, SimRecord | undefined>();
    c.header('x-total-count', String(store.records.count({ ...filter, limit: undefined, offset: undefined })));
    return c.json(rows.map((record) => recordView(record, orderNoOf(record, parents))));
  });

  app.get('/:id{[0-9]+}', (c) => {
    const record = store.records.get(Number(c.req.param('id')));
    if (!record) return adminError(c, 'RECORD_NOT_FOUND', `no record ${c.req.param('id')}`);
    const parents = new Map<number, SimRecord | undefined>();
    const children = store.records.list({ parentId: record.id, limit: MAX_PAGE });
    const notifications = store.outbox.list({ recordId: record.id });
    return c.json({
      ...recordView(record, orderNoOf(record, parents)),
      events: store.records.events(record.id).map(recordEventView),
      // State changes still to come: expiry, scenario steps, the kind's timers.
      scheduled: store.jobs.pendingFor(record.id).map((job) => ({
        at: isoTime(job.dueAt),
        job: job.kind,
        to: typeof job.payload.state === 'string' ? job.payload.state : typeof job.payload.to === 'string' ? job.payload.to : null,
      })),
      children: children.map((child) => recordView(child, orderNoOf(child, parents))),
      notifications: notifications.map((item) => notificationView(item, store.outbox.attempts(item.id))),
    });
  });

  return app;
}
