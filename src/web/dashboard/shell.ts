import { html, raw } from 'hono/html';
import type { SandboxParts } from '../../parts.js';
import { cstTime, type Html } from './format.js';

/**
 * The dashboard's frame: navigation, the sandbox clock with its advance
 * buttons, the live switch and a toast for action results. Every page is
 * rendered on the server; `SCRIPT` only refreshes the regions marked
 * `data-live` when the sandbox changes (server-sent events on /_sim/live) and
 * sends the action buttons' admin calls. Nothing user-supplied reaches the
 * script: values travel in escaped data attributes.
 */

const STYLE = `
:root { color-scheme: light; --accent: #1d4ed8; --ok: #15803d; --bad: #b91c1c; --warn: #a16207; --muted: #6b7280; --line: #e5e7eb; --bg: #f4f5f7; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; background: var(--bg); color: #111827; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
header.top { background: #111827; color: #f9fafb; padding: 8px 16px; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; position: sticky; top: 0; z-index: 5; }
header.top a { color: #e5e7eb; } header.top a.active { color: #fff; font-weight: 600; border-bottom: 2px solid #60a5fa; }
header.top .brand { font-weight: 700; color: #fff; margin-right: 8px; }
header.top nav { display: flex; flex-wrap: wrap; gap: 4px 14px; }
header.top .clock { margin-left: auto; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 13px; }
header.top .clock button { background: #374151; color: #f9fafb; border: 0; border-radius: 6px; padding: 3px 8px; font: inherit; cursor: pointer; }
header.top .clock input[type=number] { width: 72px; border-radius: 6px; border: 0; padding: 3px 6px; font: inherit; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: #9ca3af; }
.dot.on { background: #22c55e; } .dot.off { background: #ef4444; }
main { max-width: 1280px; margin: 0 auto; padding: 16px; }
.card { background: #fff; border-radius: 10px; box-shadow: 0 1px 2px rgba(0,0,0,.06); padding: 16px; margin-bottom: 14px; }
h1 { font-size: 20px; margin: 0 0 10px; } h2 { font-size: 16px; margin: 0 0 10px; } h3 { font-size: 14px; margin: 12px 0 6px; }
.muted { color: var(--muted); font-size: 12px; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 500; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; }
pre { white-space: pre-wrap; word-break: break-all; font-size: 12px; background: #f8fafc; border: 1px solid var(--line); padding: 8px; border-radius: 6px; max-height: 320px; overflow: auto; margin: 4px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; background: #e0e7ff; color: #3730a3; white-space: nowrap; }
.badge.good { background: #dcfce7; color: #166534; } .badge.bad { background: #fee2e2; color: #991b1b; } .badge.wait { background: #fef9c3; color: #854d0e; } .badge.plain { background: #f3f4f6; color: #374151; }
form.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; align-items: end; }
label { display: block; font-size: 12px; color: var(--muted); }
input, select, textarea { font: inherit; padding: 5px 8px; border: 1px solid #d1d5db; border-radius: 6px; width: 100%; background: #fff; }
textarea { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; min-height: 140px; }
button, .button { font: inherit; border: 1px solid transparent; border-radius: 6px; padding: 5px 12px; cursor: pointer; background: var(--accent); color: #fff; display: inline-block; }
button.secondary { background: #fff; color: var(--accent); border-color: #bfdbfe; }
button.danger { background: #fff; color: var(--bad); border-color: #fecaca; }
button.small { padding: 2px 8px; font-size: 12px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.actions input[type=text] { width: 110px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; word-break: break-all; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
ol.timeline { list-style: none; margin: 0; padding: 0 0 0 14px; border-left: 2px solid var(--line); }
ol.timeline > li { position: relative; margin: 0 0 12px; padding-left: 12px; overflow-wrap: anywhere; }
td.mono, dd.mono { overflow-wrap: anywhere; }
ol.timeline > li::before { content: ""; position: absolute; left: -21px; top: 5px; width: 10px; height: 10px; border-radius: 50%; background: #9ca3af; border: 2px solid #fff; }
ol.timeline > li.t-request::before { background: #3b82f6; } ol.timeline > li.t-state::before { background: #8b5cf6; }
ol.timeline > li.t-attempt::before { background: #f59e0b; } ol.timeline > li.t-future::before { background: #fff; border-color: #9ca3af; }
ol.timeline > li.t-bad::before { background: #ef4444; }
.when { font-size: 12px; color: var(--muted); margin-right: 6px; font-variant-numeric: tabular-nums; }
.kindtag { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin-right: 6px; }
details > summary { cursor: pointer; }
.diagnosis { border: 1px solid #fecaca; background: #fffafa; border-radius: 8px; padding: 10px; margin: 6px 0; }
.diagnosis.ok { border-color: #bbf7d0; background: #f7fef9; }
.diff { white-space: pre-wrap; word-break: break-all; }
.diff del { background: #fecaca; color: #7f1d1d; text-decoration: line-through; }
.diff ins { background: #bbf7d0; color: #14532d; text-decoration: none; }
.pager { display: flex; gap: 10px; align-items: center; margin-top: 10px; }
.toast { position: fixed; right: 16px; bottom: 16px; max-width: 420px; background: #111827; color: #fff; padding: 10px 14px; border-radius: 8px; opacity: 0; pointer-events: none; transition: opacity .2s; z-index: 10; }
.toast.show { opacity: 1; } .toast.bad { background: var(--bad); }
@media (max-width: 760px) {
  main { padding: 10px; } .grid2 { grid-template-columns: 1fr; }
  header.top { position: static; }
  header.top .clock { margin-left: 0; }
  th.wide-only, td.wide-only { display: none; }
}
`;

/** Only static code: values come from data attributes and JSON, and reach the page through textContent. */
const SCRIPT = `
(() => {
  const $ = (selector, root = document) => root.querySelector(selector);
  const toast = (text, bad) => {
    const el = $('#toast');
    el.textContent = text;
    el.className = 'toast show' + (bad ? ' bad' : '');
    clearTimeout(el.hideTimer);
    el.hideTimer = setTimeout(() => { el.className = 'toast'; }, 5000);
  };
  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    const res = await fetch('/_sim' + path, init);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) throw new Error(data && data.error ? data.error.code + ': ' + data.error.message : 'HTTP ' + res.status);
    return { data, held: res.headers.get('x-sandbox-held') };
  }

  // Live regions: re-rendered by the server, swapped in place; open <details> stay open.
  let running = null;
  let pending = false;
  async function refresh() {
    if (running) { pending = true; return running; }
    running = (async () => {
      const res = await fetch(location.href, { credentials: 'same-origin' });
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const state = new Map([...document.querySelectorAll('details[id]')].map((d) => [d.id, d.open]));
      for (const region of document.querySelectorAll('[data-live]')) {
        const fresh = doc.getElementById(region.id);
        if (fresh) region.innerHTML = fresh.innerHTML;
      }
      for (const d of document.querySelectorAll('details[id]')) if (state.has(d.id)) d.open = state.get(d.id);
      const clock = $('#clock', doc);
      if (clock) syncClock(Number(clock.dataset.now), Number(clock.dataset.scale));
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
    })();
    try { await running; } catch (e) { /* the next change retries */ } finally {
      running = null;
      if (pending) { pending = false; refresh(); }
    }
  }

  // The sandbox clock: China time, ticking at SIM_TIME_SCALE between updates.
  let base = 0, baseAt = 0, scale = 0;
  const pad = (n) => String(n).padStart(2, '0');
  function show() {
    const el = $('#now');
    if (!el) return;
    const ms = base + (Date.now() - baseAt) * scale;
    const d = new Date(ms + 8 * 3600 * 1000);
    el.textContent = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
    el.title = new Date(ms).toISOString() + ' (UTC)';
    el.dateTime = new Date(ms).toISOString();
  }
  function syncClock(now, s) { if (!Number.isFinite(now)) return; base = now; baseAt = Date.now(); scale = Number.isFinite(s) ? s : 0; show(); }
  const clock = $('#clock');
  if (clock) syncClock(Number(clock.dataset.now), Number(clock.dataset.scale));
  setInterval(() => { if (scale > 0) show(); }, 1000);

  const live = $('#live');
  const dot = $('#live-dot');
  let first = true;
  if (window.EventSource) {
    const source = new EventSource('/_sim/live');
    source.onopen = () => { dot.className = 'dot on'; };
    source.onerror = () => { dot.className = 'dot off'; };
    source.addEventListener('change', (event) => {
      const data = JSON.parse(event.data);
      syncClock(Date.parse(data.now), scale);
      if (first) { first = false; return; }
      if (live.checked) refresh();
    });
  }
  live && live.addEventListener('change', () => { if (live.checked) refresh(); });

  const fen = (text) => Math.round(Number(String(text).trim()) * 100);
  const actions = {
    async payer(b) {
      const force = $('#force') && $('#force').checked;
      const r = await api('POST', '/orders/' + encodeURIComponent(b.dataset.provider) + '/' + encodeURIComponent(b.dataset.orderNo) + '/' + b.dataset.verb + '?merchantId=' + encodeURIComponent(b.dataset.merchantId), force ? { force: true } : {});
      return r.held ? 'Held by the scenario: ' + r.held : 'Order ' + r.data.orderNo + ' is ' + r.data.state;
    },
    async refund(b) {
      const input = $('#refund-amount');
      const body = input && input.value.trim() ? { amount: fen(input.value) } : {};
      const r = await api('POST', '/orders/' + encodeURIComponent(b.dataset.provider) + '/' + encodeURIComponent(b.dataset.orderNo) + '/refund?merchantId=' + encodeURIComponent(b.dataset.merchantId), body);
      return 'Refund ' + r.data.refund.refundNo + ' of ¥' + (r.data.refund.amount / 100).toFixed(2) + ': ' + r.data.refund.state;
    },
    async replay(b) {
      const r = await api('POST', '/notifications/' + encodeURIComponent(b.dataset.id) + '/replay', {});
      const last = r.data.attempts[r.data.attempts.length - 1];
      return 'Replayed: ' + (last ? last.verdict : r.data.status);
    },
    async advance(b) {
      const seconds = b.dataset.seconds ? Number(b.dataset.seconds) : Number($('#advance-seconds').value);
      await api('POST', '/clock/advance', { seconds });
      return 'Clock advanced ' + seconds + ' s';
    },
    async nextScenario(b) {
      const select = document.getElementById(b.dataset.select);
      const path = '/merchants/' + encodeURIComponent(b.dataset.provider) + '/' + encodeURIComponent(b.dataset.merchantId) + '/next-scenario';
      if (!select.value) { await api('DELETE', path); return 'No scenario for the next order'; }
      await api('PUT', path, { scenario: select.value });
      return 'The next order of ' + b.dataset.merchantId + ' gets ' + select.value;
    },
    async reset() {
      if (!confirm('Empty every record, notification and the journal?')) return 'Cancelled';
      await api('POST', '/reset', {});
      return 'Sandbox emptied';
    },
  };
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('[data-action]');
    if (!button || !actions[button.dataset.action]) return;
    event.preventDefault();
    button.disabled = true;
    try {
      toast(await actions[button.dataset.action](button));
      await refresh();
    } catch (error) {
      toast(error.message, true);
    } finally {
      button.disabled = false;
    }
  });
})();
`;

export type NavKey = 'records' | 'requests' | 'workbench' | 'reference';

const NAV: [NavKey, string, string][] = [
  ['records', '/dashboard', 'Records'],
  ['requests', '/dashboard/requests', 'Requests'],
  ['workbench', '/dashboard/workbench', 'Signature workbench'],
  ['reference', '/dashboard/reference', 'Merchants, keys & cards'],
];

/** A complete dashboard page. */
export function shell(parts: SandboxParts, title: string, active: NavKey | null, body: Html): Html {
  const now = parts.clock.now();
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} · Payment sandbox</title>
    <style>${raw(STYLE)}</style>
  </head>
  <body>
    <header class="top">
      <a class="brand" href="/dashboard">Payment sandbox</a>
      <nav>${NAV.map(([key, href, label]) => html`<a href="${href}" class="${key === active ? 'active' : ''}">${label}</a>`)}</nav>
      <div class="clock" id="clock" data-now="${now}" data-scale="${parts.clock.scale}">
        <span title="Sandbox time, China time (UTC+08:00) as the providers write it">sandbox time ${cstTime(now, 'now')} <span class="muted" style="color:#9ca3af">+08:00</span></span>
        <button data-action="advance" data-seconds="60" title="Advance the sandbox clock one minute">+1 min</button>
        <button data-action="advance" data-seconds="3600">+1 h</button>
        <button data-action="advance" data-seconds="86400">+24 h</button>
        <input id="advance-seconds" type="number" min="0" value="15" aria-label="seconds to advance" />
        <button data-action="advance" id="advance">+ s</button>
        <label style="color:#e5e7eb;display:flex;gap:4px;align-items:center"><input id="live" type="checkbox" checked style="width:auto" /> live <span id="live-dot" class="dot"></span></label>
      </div>
    </header>
    <main>${body}</main>
    <div id="toast" class="toast" role="status" aria-live="polite"></div>
    <script>${raw(SCRIPT)}</script>
  </body>
</html>`;
}
