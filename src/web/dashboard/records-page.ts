import { html } from 'hono/html';
import type { RecordFilter } from '../../core/store/records.js';
import type { SandboxParts } from '../../parts.js';
import { badge, cstTime, fromLocalInput, toLocalInput, withQuery, yuan, type Html } from './format.js';

export const PAGE_SIZES = [25, 50, 100, 200];

/** Every record kind and state the loaded providers declare: what the filters offer. */
export function catalogue(parts: SandboxParts) {
  const kinds = new Set<string>();
  const states = new Set<string>();
  for (const simulator of parts.simulators.all()) {
    for (const kind of simulator.kinds ?? []) {
      kinds.add(kind.name);
      for (const state of kind.states) states.add(state);
    }
  }
  return { kinds: [...kinds], states: [...states] };
}

/**
 * Every kind of record across providers, filterable by provider, kind,
 * merchant, state and time, searchable by any part of the merchant's or the
 * platform's number, paged; each row opens the record's timeline.
 */
export function recordsPage(parts: SandboxParts, query: Record<string, string>): Html {
  const { store, simulators } = parts;
  const size = PAGE_SIZES.includes(Number(query.size)) ? Number(query.size) : 50;
  const page = Math.max(1, Math.floor(Number(query.page)) || 1);
  const filter: RecordFilter = {};
  for (const key of ['provider', 'kind', 'merchantId', 'state'] as const) if (query[key]) filter[key] = query[key];
  if (query.q?.trim()) filter.q = query.q.trim();
  const from = fromLocalInput(query.from);
  const to = fromLocalInput(query.to);
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to + (/:\d{2}:\d{2}$/.test(query.to ?? '') ? 999 : /\d{2}:\d{2}$/.test(query.to ?? '') ? 59_999 : 86_399_999);
  const total = store.records.count(filter);
  const rows = store.records.list({ ...filter, limit: size, offset: (page - 1) * size });
  const pages = Math.max(1, Math.ceil(total / size));
  const { kinds, states } = catalogue(parts);
  const merchants = store.merchants.list();
  const option = (value: string, label: string, current: string | undefined) =>
    html`<option value="${value}"${value === (current ?? '') ? ' selected' : ''}>${label}</option>`;

  return html`<div class="card">
      <h1>Records</h1>
      <form class="filters" method="get" action="/dashboard" id="filters">
        <label>search numbers<input type="search" name="q" value="${query.q ?? ''}" placeholder="order or platform number" autofocus /></label>
        <label>kind<select name="kind">${option('', 'every kind', query.kind)}${kinds.map((k) => option(k, k, query.kind))}</select></label>
        <label>provider<select name="provider">${option('', 'every provider', query.provider)}${simulators.all().map((s) => option(s.id, s.id, query.provider))}</select></label>
        <label>merchant<select name="merchantId">${option('', 'every merchant', query.merchantId)}${merchants.map((m) => option(m.merchantId, `${m.provider} · ${m.merchantId}${m.name ? ` ${m.name}` : ''}`, query.merchantId))}</select></label>
        <label>state<select name="state">${option('', 'every state', query.state)}${states.map((s) => option(s, s.replaceAll('_', ' '), query.state))}</select></label>
        <label>created from (China time)<input type="text" name="from" value="${toLocalInput(from)}" placeholder="2026-03-01 10:00" pattern="\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?" /></label>
        <label>created to<input type="text" name="to" value="${toLocalInput(to)}" placeholder="2026-03-01 18:00" pattern="\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?" /></label>
        <label>per page<select name="size">${PAGE_SIZES.map((n) => option(String(n), String(n), String(size)))}</select></label>
        <div class="actions"><button type="submit">Filter</button> <a href="/dashboard">clear</a></div>
      </form>
    </div>
    <div class="card" id="records" data-live>
      <p class="muted">${total} record${total === 1 ? '' : 's'}${total ? `, page ${page} of ${pages}` : ''} · newest first</p>
      <div class="table-wrap"><table class="records">
        <thead><tr><th>created</th><th>provider</th><th>kind</th><th>number / platform number</th><th class="wide-only">merchant</th><th>amount</th><th>state</th><th class="wide-only">notifications</th></tr></thead>
        <tbody>${rows.length
          ? rows.map((record) => {
              const notifications = store.outbox.list({ recordId: record.id });
              return html`<tr data-record="${record.id}" data-number="${record.number}">
                <td>${cstTime(record.createdAt)}</td>
                <td>${record.provider}<div class="muted">${record.product ?? ''}</div></td>
                <td>${record.kind}</td>
                <td><a href="/dashboard/records/${record.id}" class="mono">${record.number}</a><div class="muted mono">${record.platformNumber}</div></td>
                <td class="wide-only">${record.merchantId}</td>
                <td class="num">${yuan(record.amount)}</td>
                <td>${badge(record.state)}${smsLine(store, record)}${record.scenarioId ? html`<div class="muted">${record.scenarioId}</div>` : ''}</td>
                <td class="wide-only">${notifications.map((item) => html`${badge(item.status, `${item.status} · ${item.attemptCount} attempt${item.attemptCount === 1 ? '' : 's'}`)} `)}</td>
              </tr>`;
            })
          : html`<tr><td colspan="8" class="muted">No record matches. Place an order with your integration, or clear the filters.</td></tr>`}</tbody>
      </table></div>
      <div class="pager">
        ${page > 1 ? html`<a href="${withQuery('/dashboard', query, { page: String(page - 1) })}">← newer</a>` : ''}
        <span class="muted">page ${page} / ${pages}</span>
        ${page < pages ? html`<a href="${withQuery('/dashboard', query, { page: String(page + 1) })}">older →</a>` : ''}
      </div>
    </div>`;
}

/** An order's open SMS code (quick pay), beside its state: what the tester types into the merchant's page next. */
export function smsLine(store: SandboxParts['store'], record: { id: number; kind: string }): Html | string {
  const code = record.kind === 'order' ? store.records.openSmsCode(record.id) : null;
  return code ? html`<div class="sms mono" title="the open SMS code">SMS ${code}</div>` : '';
}
