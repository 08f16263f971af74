import { html } from 'hono/html';
import { diagnoseEntry } from '../../admin/requests.js';
import type { SimRecord } from '../../core/domain.js';
import type { JournalEntry, JournalFilter } from '../../core/store/journal.js';
import type { SandboxParts } from '../../parts.js';
import { cstTime, withQuery, type Html } from './format.js';
import { PAGE_SIZES } from './records-page.js';
import { requestDetail, verdictBadge } from './request-view.js';

/** The record a journal row is about, by the merchant's number or the platform's. */
export function recordOf(parts: SandboxParts, entry: JournalEntry): SimRecord | undefined {
  if (!entry.provider || !entry.orderNo) return undefined;
  const { records } = parts.store;
  if (entry.merchantId) {
    const own = records.findByNumber(entry.provider, 'order', entry.merchantId, entry.orderNo);
    if (own) return own;
  }
  const byPlatform = records.findByPlatformNumber(entry.provider, 'order', entry.orderNo);
  if (byPlatform) return byPlatform;
  return records.list({ provider: entry.provider, number: entry.orderNo, ...(entry.merchantId ? { merchantId: entry.merchantId } : {}), limit: 1 })[0];
}

/** The request journal: every request to a provider mount, its answer and its signature verdict. */
export async function requestsPage(parts: SandboxParts, query: Record<string, string>): Promise<Html> {
  const { store, simulators } = parts;
  const size = PAGE_SIZES.includes(Number(query.size)) ? Number(query.size) : 50;
  const page = Math.max(1, Math.floor(Number(query.page)) || 1);
  const filter: JournalFilter = {};
  if (query.provider) filter.provider = query.provider;
  if (query.merchantId) filter.merchantId = query.merchantId;
  if (query.orderNo?.trim()) filter.orderNo = query.orderNo.trim();
  if (query.noted === 'on') filter.noted = true;
  const total = store.journal.countMatching(filter);
  const pages = Math.max(1, Math.ceil(total / size));
  const rows = store.journal.list({ ...filter, limit: size, offset: (page - 1) * size });
  const option = (value: string, label: string, current: string | undefined) =>
    html`<option value="${value}"${value === (current ?? '') ? ' selected' : ''}>${label}</option>`;
  const rendered: Html[] = [];
  for (const entry of rows) {
    const diagnosis = await diagnoseEntry(parts, entry);
    const record = recordOf(parts, entry);
    rendered.push(html`<tr data-request="${entry.id}">
      <td>${cstTime(entry.at)}</td>
      <td>${entry.provider ?? ''}</td>
      <td><a class="mono" href="/dashboard/requests/${entry.id}">${entry.method} ${entry.path.split('?')[0]}</a><div class="muted">${entry.operation ?? ''}</div></td>
      <td>${record ? html`<a href="/dashboard/records/${record.id}" class="mono">${entry.orderNo}</a>` : html`<span class="mono">${entry.orderNo ?? ''}</span>`}</td>
      <td class="num">${entry.responseStatus}</td>
      <td>${verdictBadge(diagnosis)}</td>
      <td class="wide-only">${entry.note ? (entry.note.length > 140 ? `${entry.note.slice(0, 140)}…` : entry.note) : ''}</td>
    </tr>`);
  }
  return html`<div class="card">
      <h1>Requests</h1>
      <form class="filters" method="get" action="/dashboard/requests">
        <label>order number<input type="search" name="orderNo" value="${query.orderNo ?? ''}" placeholder="merchant’s or platform’s" /></label>
        <label>provider<select name="provider">${option('', 'every provider', query.provider)}${simulators.all().map((s) => option(s.id, s.id, query.provider))}</select></label>
        <label>merchant<input type="text" name="merchantId" value="${query.merchantId ?? ''}" /></label>
        <label style="display:flex;gap:6px;align-items:center"><input type="checkbox" name="noted" style="width:auto"${query.noted === 'on' ? ' checked' : ''} /> refused or explained only</label>
        <div class="actions"><button type="submit">Filter</button> <a href="/dashboard/requests">clear</a></div>
      </form>
    </div>
    <div class="card" id="requests" data-live>
      <p class="muted">${total} request${total === 1 ? '' : 's'} · newest first</p>
      <div class="table-wrap"><table>
        <thead><tr><th>at</th><th>provider</th><th>request</th><th>order</th><th>HTTP</th><th>signature</th><th class="wide-only">note</th></tr></thead>
        <tbody>${rendered.length ? rendered : html`<tr><td colspan="7" class="muted">No request yet.</td></tr>`}</tbody>
      </table></div>
      <div class="pager">
        ${page > 1 ? html`<a href="${withQuery('/dashboard/requests', query, { page: String(page - 1) })}">← newer</a>` : ''}
        <span class="muted">page ${page} / ${pages}</span>
        ${page < pages ? html`<a href="${withQuery('/dashboard/requests', query, { page: String(page + 1) })}">older →</a>` : ''}
      </div>
    </div>`;
}

/** One request on its own page, everything open. */
export async function requestPage(parts: SandboxParts, entry: JournalEntry): Promise<Html> {
  const diagnosis = await diagnoseEntry(parts, entry);
  const record = recordOf(parts, entry);
  return html`<div class="card" id="request" data-live data-request="${entry.id}">
    <div class="actions"><h1 style="margin:0"><span class="mono">${entry.method} ${entry.path.split('?')[0]}</span></h1> ${verdictBadge(diagnosis)}</div>
    <p class="muted">${cstTime(entry.at)} · ${entry.provider ?? ''} · ${entry.operation ?? ''} · merchant ${entry.merchantId ?? '—'}
      ${record ? html` · about <a href="/dashboard/records/${record.id}">${record.kind} ${record.number}</a>` : entry.orderNo ? ` · about ${entry.orderNo}` : ''}</p>
    ${requestDetail(entry, diagnosis)}
  </div>`;
}
