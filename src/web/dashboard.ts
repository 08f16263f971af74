import { html, raw } from 'hono/html';
import { layout } from './layout.js';

/**
 * The dashboard at `/`: orders (with their provider attributes, card data as
 * the providers mask it), the notification timeline of each, the request
 * journal, and the buttons a demo needs (pay, fail, close, replay, advance the
 * clock). It is a static page over the `/_sim` API, refreshed every two seconds.
 */
const SCRIPT = `
const $ = (s) => document.querySelector(s);
// Order numbers come from merchants: everything is escaped, quotes included, and actions read data attributes.
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const fmt = (iso) => iso ? new Date(iso).toLocaleString() : '';
// With SIM_ADMIN_TOKEN set, /_sim needs it: asked once and kept in this browser.
function authHeaders() {
  const token = localStorage.getItem('simAdminToken');
  return token ? { authorization: 'Bearer ' + token } : {};
}
async function api(path, body) {
  const init = body === undefined ? { headers: authHeaders() } : { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: JSON.stringify(body) };
  const res = await fetch('/_sim' + path, init);
  if (res.status === 401) {
    const token = prompt('This sandbox needs its admin token (SIM_ADMIN_TOKEN):');
    if (token) { localStorage.setItem('simAdminToken', token); return api(path, body); }
  }
  return res.json();
}
async function act(button) {
  const { provider, orderNo, merchantId, action } = button.dataset;
  const res = await api('/orders/' + encodeURIComponent(provider) + '/' + encodeURIComponent(orderNo) + '/' + action + '?merchantId=' + encodeURIComponent(merchantId), {});
  if (res.error) alert(res.error.message);
  refresh();
}
async function replay(id) { await api('/notifications/' + id + '/replay', {}); refresh(); }
async function advance() { await api('/clock/advance', { seconds: Number($('#seconds').value) || 0 }); refresh(); }
async function refresh() {
  const [health, orders, notes, requests] = await Promise.all([api('/health'), api('/orders?limit=50'), api('/notifications?limit=100'), api('/requests?limit=30')]);
  $('#now').textContent = fmt(health.now);
  const byOrder = {};
  for (const n of notes) (byOrder[n.provider + '|' + n.merchantId + '|' + n.orderNo] ||= []).push(n);
  $('#orders').innerHTML = orders.map((o) => {
    const ns = byOrder[o.provider + '|' + o.merchantId + '|' + o.orderNo] || [];
    const open = o.state === 'created' || o.state === 'pending';
    return '<tr><td>' + esc(o.provider) + '<br><span class="muted">' + esc(o.product) + '</span></td>'
      + '<td>' + esc(o.orderNo) + '<br><a class="muted" href="/pay/' + esc(o.provider) + '/' + esc(o.platformOrderNo) + '">' + esc(o.platformOrderNo) + '</a>'
      + (Object.keys(o.attributes || {}).length ? '<details><summary class="muted">attributes</summary><pre>' + esc(JSON.stringify(o.attributes, null, 1)) + '</pre></details>' : '') + '</td>'
      + '<td>' + (o.amount / 100).toFixed(2) + '</td>'
      + '<td><span class="badge ' + esc(o.state) + '">' + esc(o.state) + '</span>' + (o.scenario ? '<br><span class="muted">' + esc(o.scenario) + '</span>' : '') + (o.smsCode ? '<br><span class="muted sms">SMS ' + esc(o.smsCode) + '</span>' : '') + '</td>'
      + '<td>' + fmt(o.createdAt) + '</td>'
      + '<td>' + ns.map((n) => '<div><span class="badge ' + esc(n.status) + '">' + esc(n.status) + '</span> ' + n.attempts.length + ' tries '
        + n.attempts.map((a) => '<span class="badge ' + esc(a.verdict) + '" title="' + esc(fmt(a.at) + ' HTTP ' + (a.httpStatus ?? '-') + ' ' + (a.replyBody ?? a.error ?? '')) + '">' + esc(a.verdict[0]) + '</span>').join('')
        + ' <button class="small" onclick="replay(' + n.id + ')">replay</button></div>').join('') + '</td>'
      + '<td>' + (open ? ['pay', 'fail', 'close'].map((a) => '<button class="small" onclick="act(this)" data-provider="' + esc(o.provider) + '" data-order-no="' + esc(o.orderNo) + '" data-merchant-id="' + esc(o.merchantId) + '" data-action="' + a + '">' + a + '</button>').join(' ') : '') + '</td></tr>';
  }).join('') || '<tr><td colspan="7" class="muted">No orders yet.</td></tr>';
  $('#requests').innerHTML = requests.map((r) => '<tr><td>' + fmt(r.at) + '</td><td>' + esc(r.method) + ' ' + esc(r.path) + '<br><span class="muted">' + esc(r.operation) + '</span></td><td>' + r.responseStatus + '</td>'
    + '<td><details><summary>bodies</summary><pre>' + esc(r.requestBody) + '</pre><pre>' + esc(r.responseBody) + '</pre>' + (r.note ? '<pre>' + esc(r.note) + '</pre>' : '') + '</details></td></tr>').join('');
}
refresh();
setInterval(refresh, 2000);
`;

export function dashboardPage() {
  return layout(
    'Payment sandbox',
    html`<div class="card">
        <h1>Payment sandbox</h1>
        <p class="muted">
          Sandbox time <strong id="now"></strong> ·
          <input id="seconds" type="number" value="60" style="width:80px" /> s
          <button class="small" onclick="advance()">advance clock</button> ·
          <a href="/_sim/keys">keys</a> · <a href="/_sim/scenarios">scenarios</a> · <a href="/_sim/providers">providers</a>
        </p>
      </div>
      <div class="card">
        <h2>Orders</h2>
        <table>
          <thead><tr><th>provider</th><th>order</th><th>¥</th><th>state</th><th>created</th><th>notifications</th><th></th></tr></thead>
          <tbody id="orders"></tbody>
        </table>
      </div>
      <div class="card">
        <h2>Requests</h2>
        <table>
          <thead><tr><th>at</th><th>request</th><th>HTTP</th><th></th></tr></thead>
          <tbody id="requests"></tbody>
        </table>
      </div>
      <script>${raw(SCRIPT)}</script>`,
  );
}
