import { html } from 'hono/html';
import { diagnosePasted } from '../../admin/requests.js';
import type { SandboxParts } from '../../parts.js';
import type { Html } from './format.js';
import { diagnosisView } from './request-view.js';

export interface WorkbenchInput {
  provider: string;
  merchantId: string;
  request: string;
  method: string;
  path: string;
  contentType: string;
}

export const EMPTY_WORKBENCH: WorkbenchInput = { provider: 'auto', merchantId: '', request: '', method: '', path: '', contentType: '' };

/** The workbench filled from a journal row (`?request=id`): the body, or the URL of a GET. */
export function workbenchFromJournal(parts: SandboxParts, id: number): WorkbenchInput | undefined {
  const entry = parts.store.journal.get(id);
  if (!entry) return undefined;
  const isGet = entry.method === 'GET';
  return {
    provider: entry.provider ?? 'auto',
    merchantId: '',
    request: isGet ? entry.path : entry.requestBody,
    method: entry.method,
    path: isGet ? '' : entry.path,
    contentType: entry.requestHeaders['content-type'] ?? '',
  };
}

/**
 * The signature workbench: paste a request of any provider — a JSON envelope,
 * a form body, a query string or a whole URL — and see the canonical string,
 * the expected signature for the chosen merchant and the verdict, with the
 * usual mistakes that would explain a mismatch.
 */
export async function workbenchPage(parts: SandboxParts, input: WorkbenchInput, submitted: boolean): Promise<Html> {
  const providers = parts.simulators.all().filter((simulator) => simulator.diagnose);
  const merchants = parts.store.merchants.list().filter((m) => input.provider === 'auto' || m.provider === input.provider);
  const option = (value: string, label: string, current: string) => html`<option value="${value}"${value === current ? ' selected' : ''}>${label}</option>`;
  let result: Html | string = '';
  if (submitted && input.request.trim()) {
    const diagnosis = await diagnosePasted(parts, input.provider, {
      request: input.request,
      ...(input.merchantId ? { merchantId: input.merchantId } : {}),
      ...(input.method ? { method: input.method } : {}),
      ...(input.path ? { path: input.path } : {}),
      ...(input.contentType ? { contentType: input.contentType } : {}),
    });
    result = diagnosis
      ? html`<div class="card" id="workbench-result">${diagnosisView(diagnosis)}
          ${diagnosis.operation ? html`<p class="muted">read as ${diagnosis.provider} ${diagnosis.operation}${diagnosis.orderNo ? `, about order ${diagnosis.orderNo}` : ''}</p>` : ''}</div>`
      : html`<div class="card" id="workbench-result"><p><strong>No ${input.provider === 'auto' ? 'provider' : input.provider} reads a signed request in this text.</strong> Paste the body exactly as sent (JSON envelope, form body), or the whole URL of a GET.</p></div>`;
  }
  return html`<div class="card">
      <h1>Signature workbench</h1>
      <p class="muted">Paste a request as your integration sends it: an MMSP JSON envelope (or the gateway's <code>web_api=…</code> form, or a payout's <code>{"ENCRYPT","SIGN"}</code>), an aggpay form or query, a cashier <code>req=…&amp;sign=…</code>, a UMPay form, an Allinpay payData or form, or the whole URL of a GET. The sandbox shows the exact string it signs, the signature it expects from the chosen merchant (for RSA: when it holds the merchant's private key; otherwise it verifies yours with the public key), and which usual mistakes would give yours.</p>
      <form method="post" action="/dashboard/workbench" id="workbench">
        <div class="filters">
          <label>provider<select name="provider">${option('auto', 'recognise it', input.provider)}${providers.map((s) => option(s.id, `${s.id} · ${s.title}`, input.provider))}</select></label>
          <label>merchant<select name="merchantId">${option('', 'the one the request names', input.merchantId)}${merchants.map((m) => option(m.merchantId, `${m.provider} · ${m.merchantId}${m.name ? ` ${m.name}` : ''}`, input.merchantId))}</select></label>
        </div>
        <label style="margin-top:8px">request<textarea name="request" spellcheck="false" required>${input.request}</textarea></label>
        <details id="workbench-more"${input.path || input.method || input.contentType ? ' open' : ''}><summary class="muted">method, path and content type (optional)</summary>
          <div class="filters">
            <label>method<input type="text" name="method" value="${input.method}" placeholder="POST" /></label>
            <label>path<input type="text" name="path" value="${input.path}" placeholder="/aggpay/api/order/unified" /></label>
            <label>content type<input type="text" name="contentType" value="${input.contentType}" placeholder="application/x-www-form-urlencoded" /></label>
          </div>
        </details>
        <p><button type="submit">Check the signature</button></p>
      </form>
    </div>
    ${result}`;
}
