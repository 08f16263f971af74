import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { cstDateTime, parseCstDateTime } from '../../core/time-format.js';
import { diffText } from '../diff.js';

/** What every render function returns: hono's escaped HTML (interpolated values are escaped). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * A time as the providers write it — China time, `2026-03-01 10:00:00` — with
 * the UTC instant on hover and in `datetime`.
 */
export function cstTime(ms: number | null | undefined, id?: string): Html | string {
  if (ms === null || ms === undefined) return '';
  const iso = new Date(ms).toISOString();
  return html`<time ${id ? html`id="${id}" ` : ''}datetime="${iso}" title="${iso} (UTC)">${cstDateTime(ms)}</time>`;
}

export const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '' : `¥${(fen / 100).toFixed(2)}`);

const GOOD = new Set(['paid', 'succeeded', 'delivered', 'acked', 'valid', 'bound', 'verified', 'active', 'redeemed', 'refunded']);
const BAD = new Set(['failed', 'closed', 'exhausted', 'rejected', 'error', 'invalid', 'reversed', 'expired', 'unbound', 'missing', 'unknown-merchant']);
const WAIT = new Set(['created', 'pending', 'processing', 'held', 'accepted', 'partially_refunded', 'sent']);

/** A state, status or verdict as a coloured badge; `data-state` lets tests wait on it. */
export function badge(value: string | null | undefined, label?: string): Html | string {
  if (!value) return '';
  const tone = GOOD.has(value) ? 'good' : BAD.has(value) ? 'bad' : WAIT.has(value) ? 'wait' : 'plain';
  return html`<span class="badge ${tone}" data-state="${value}">${label ?? value.replaceAll('_', ' ')}</span>`;
}

/** Why a record changed, spelled out. */
export const CAUSES: Record<string, string> = {
  create: 'created by the merchant’s request',
  payer: 'the payer acted (hosted page or payer action)',
  admin: 'the operator (dashboard or admin API)',
  scenario: 'a scenario step',
  expiry: 'it expired',
  merchant: 'the merchant’s request (close, cancel, refund…)',
  timer: 'its kind’s timer',
};

/** A highlighted diff: what the sandbox signs (struck out where it differs) against what the merchant signed (inserted). */
export function diffView(expected: string, actual: string): Html {
  return html`<pre class="diff">${diffText(expected, actual).map((part) =>
    part.op === '=' ? part.text : part.op === '-' ? html`<del>${part.text}</del>` : html`<ins>${part.text}</ins>`,
  )}</pre>`;
}

/** Query-string helper for filter links: keeps the current filters, changes some. */
export function withQuery(path: string, query: Record<string, string | undefined>, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...changes })) if (value !== undefined && value !== '') params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** `2026-03-01 10:00[:00]` (or with a `T`, or a bare date: its start) in China time → epoch ms; undefined when not a real time. */
export function fromLocalInput(value: string | undefined): number | undefined {
  return value ? parseCstDateTime(value, { bareDate: 'start', loose: true }) : undefined;
}

/** Epoch ms → `2026-03-01 10:00` in China time, for a filter input. */
export function toLocalInput(ms: number | undefined): string {
  return ms === undefined ? '' : cstDateTime(ms).slice(0, 16);
}

/** Pretty JSON when the text is JSON, else the text. */
export function pretty(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return text;
  }
}

/** A URL-encoded form or query shown one field per line, decoded; null when it is not one. */
export function formFields(text: string): [string, string][] | null {
  const trimmed = text.trim();
  if (!trimmed || !/^[^=&\s]+=[^\s]*$/.test(trimmed)) return null;
  try {
    return [...new URLSearchParams(trimmed).entries()];
  } catch {
    return null;
  }
}
