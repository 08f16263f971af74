import { Hono, type Context } from 'hono';
import { looksLikeUrl, type DiagnoseRequest, type SignatureDiagnosis } from '../core/diagnosis.js';
import type { SimRecord } from '../core/domain.js';
import type { JournalEntry, JournalFilter } from '../core/store/journal.js';
import type { SandboxParts } from '../parts.js';
import { adminError, jsonBody, limitParam } from './respond.js';
import { journalView } from './views.js';

/** The journal rows about a record: its order's numbers (its own and the platform's) and those of the order's children. */
export function journalFilterFor(parts: SandboxParts, record: SimRecord): JournalFilter {
  const { store } = parts;
  const order = record.parentId !== null ? (store.records.get(record.parentId) ?? record) : record;
  const family = [order, ...store.records.list({ parentId: order.id, limit: 500 })];
  const numbers = [...new Set(family.flatMap((member) => [member.number, member.platformNumber]))];
  return { provider: order.provider, merchantId: order.merchantId, orderNos: numbers };
}

/** Runs the provider's diagnosis on a journal row, with the exact bytes received; null when it has none to give. */
export async function diagnoseEntry(parts: SandboxParts, entry: JournalEntry): Promise<SignatureDiagnosis | null> {
  const simulator = entry.provider ? parts.simulators.get(entry.provider) : undefined;
  if (!simulator?.diagnose) return null;
  const request: DiagnoseRequest = {
    method: entry.method,
    path: entry.path,
    contentType: entry.requestHeaders['content-type'] ?? null,
    bytes: parts.store.journal.requestBytes(entry.id) ?? new Uint8Array(0),
    charset: entry.requestCharset,
  };
  try {
    return await simulator.diagnose(request, {
      merchant: (id) => parts.store.merchants.get(simulator.id, id),
      platformKeys: () => parts.keys.platform(simulator.id),
    });
  } catch {
    // A diagnosis is a reading aid: a request it cannot read has none.
    return null;
  }
}

/**
 * Diagnoses a pasted request (the signature workbench): `provider` may be
 * `auto`, which asks every provider and keeps the first that reads it.
 */
export async function diagnosePasted(
  parts: SandboxParts,
  provider: string,
  input: { request: string; method?: string; path?: string; contentType?: string; merchantId?: string },
): Promise<SignatureDiagnosis | null> {
  const candidates = provider === 'auto' ? parts.simulators.all() : [parts.simulators.get(provider)].filter((s) => s !== undefined);
  const text = input.request.trim();
  const isUrl = looksLikeUrl(text);
  const path = isUrl ? text.replace(/^https?:\/\/[^/]+/, '') : (input.path ?? '');
  const request: DiagnoseRequest = {
    method: input.method ?? (isUrl ? 'GET' : 'POST'),
    path,
    contentType: input.contentType ?? (text.startsWith('{') ? 'application/json' : isUrl ? null : 'application/x-www-form-urlencoded'),
    bytes: Buffer.from(isUrl ? '' : text, 'utf8'),
    charset: null,
  };
  for (const simulator of candidates) {
    if (!simulator.diagnose) continue;
    try {
      const result = await simulator.diagnose(request, {
        merchant: (id) => parts.store.merchants.get(simulator.id, id),
        platformKeys: () => parts.keys.platform(simulator.id),
        ...(input.merchantId ? { merchantId: input.merchantId } : {}),
      });
      // With `auto`, a provider that read it but knows no such merchant is a weak match: keep looking.
      if (result && (provider !== 'auto' || result.verdict !== 'unknown-merchant')) return result;
    } catch {
      continue;
    }
  }
  return null;
}

function readJournalFilter(parts: SandboxParts, c: Context): JournalFilter | string {
  const { provider, orderNo, merchantId, recordId, noted, offset } = c.req.query();
  const filter: JournalFilter = { limit: limitParam(c, 100) };
  if (provider) filter.provider = provider;
  if (orderNo) filter.orderNo = orderNo;
  if (merchantId) filter.merchantId = merchantId;
  if (noted === 'true') filter.noted = true;
  if (offset !== undefined && offset !== '') {
    const value = Number(offset);
    if (!Number.isInteger(value) || value < 0) return 'offset must be an integer >= 0';
    filter.offset = value;
  }
  if (recordId !== undefined && recordId !== '') {
    const record = /^\d+$/.test(recordId) ? parts.store.records.get(Number(recordId)) : undefined;
    if (!record) return `no record ${recordId}`;
    Object.assign(filter, journalFilterFor(parts, record));
  }
  return filter;
}

/**
 * The request journal: `GET /_sim/requests` (filters, paging, `X-Total-Count`;
 * `recordId` selects every request about a record's order, refused ones
 * included), `GET /_sim/requests/{id}`, its signature diagnosis, and the
 * workbench's `POST /_sim/diagnose/{provider|auto}`.
 */
export function requestRoutes(parts: SandboxParts) {
  const app = new Hono();
  const { store, simulators } = parts;

  app.get('/requests', (c) => {
    const filter = readJournalFilter(parts, c);
    if (typeof filter === 'string') return adminError(c, 'INVALID_QUERY', filter);
    c.header('x-total-count', String(store.journal.countMatching(filter)));
    return c.json(store.journal.list(filter).map(journalView));
  });

  app.get('/requests/:id{[0-9]+}', (c) => {
    const entry = store.journal.get(Number(c.req.param('id')));
    return entry ? c.json(journalView(entry)) : adminError(c, 'REQUEST_NOT_FOUND', `no request ${c.req.param('id')} in the journal`);
  });

  app.get('/requests/:id{[0-9]+}/diagnosis', async (c) => {
    const entry = store.journal.get(Number(c.req.param('id')));
    if (!entry) return adminError(c, 'REQUEST_NOT_FOUND', `no request ${c.req.param('id')} in the journal`);
    const diagnosis = await diagnoseEntry(parts, entry);
    return diagnosis ? c.json(diagnosis) : adminError(c, 'NOTHING_TO_DIAGNOSE', `request ${entry.id} carries no signature ${entry.provider ?? ''} checks`);
  });

  /** `{"request": "<body, query string or URL>", "merchantId"?, "method"?, "path"?, "contentType"?}`. */
  app.post('/diagnose/:provider', async (c) => {
    const provider = c.req.param('provider');
    if (provider !== 'auto' && !simulators.get(provider)?.diagnose) {
      return adminError(c, 'UNKNOWN_PROVIDER', `no signature diagnosis for ${provider}`);
    }
    const body = (await jsonBody(c)) as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.request !== 'string') {
      return adminError(c, 'INVALID_JSON', 'body must be {"request": "<body, query string or URL>", "merchantId"?: "…"}');
    }
    const optional = (name: string) => (typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : undefined);
    const input = {
      request: body.request,
      ...(optional('merchantId') ? { merchantId: optional('merchantId') } : {}),
      ...(optional('method') ? { method: optional('method') } : {}),
      ...(optional('path') ? { path: optional('path') } : {}),
      ...(optional('contentType') ? { contentType: optional('contentType') } : {}),
    };
    const diagnosis = await diagnosePasted(parts, provider, input);
    return diagnosis ? c.json(diagnosis) : adminError(c, 'NOTHING_TO_DIAGNOSE', `no ${provider === 'auto' ? 'provider' : provider} reads a signed request in that text`);
  });

  return app;
}
