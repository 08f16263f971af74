import { html } from 'hono/html';
import type { SandboxParts } from '../../parts.js';
import { badge, yuan, type Html } from './format.js';

/**
 * What a developer looks up while integrating, on one page: the test merchants
 * with their keys (and files to download), the scenario each merchant's next
 * order gets, the platform keys and certificates, the test cards, the magic
 * amounts and every scenario, and the providers with their retry cadence.
 */
export function referencePage(parts: SandboxParts): Html {
  const { store, simulators, scenarios, keys } = parts;
  const merchants = store.merchants.list();
  const all = scenarios.list();
  const magic = all.filter((scenario) => scenario.source === 'builtin' && typeof scenario.match.amount === 'number');
  const cards = store.cards.list();
  const forOrders = all.filter((scenario) => scenario.match.kind === undefined || [scenario.match.kind].flat().includes('order'));

  return html`<div class="card" id="merchants" data-live>
      <h1>Merchants</h1>
      <div class="table-wrap"><table class="merchants">
        <thead><tr><th>provider</th><th>merchant</th><th>terminal</th><th>MD5 key / secret</th><th>RSA keys</th><th>next order’s scenario</th></tr></thead>
        <tbody>${merchants.map((merchant, index) => {
          const armed = scenarios.nextFor(merchant.provider, merchant.merchantId) ?? '';
          const fits = forOrders.filter((scenario) => scenario.match.provider === undefined || [scenario.match.provider].flat().includes(merchant.provider));
          const base = `/_sim/keys/${encodeURIComponent(merchant.provider)}/merchants/${encodeURIComponent(merchant.merchantId)}`;
          return html`<tr data-merchant="${merchant.merchantId}">
            <td>${merchant.provider}</td>
            <td class="mono">${merchant.merchantId}<div class="muted">${merchant.name ?? ''} · ${merchant.source}</div></td>
            <td class="mono">${merchant.terminalId ?? ''}</td>
            <td class="mono">${merchant.md5Key ?? ''}</td>
            <td>${merchant.publicKey ? html`<a href="${base}/public.pem">public.pem</a> · <a href="${base}/private.pem">private.pem</a>` : html`<span class="muted">none</span>`}</td>
            <td><div class="actions">
              <select id="next-${index}" aria-label="scenario for the next order of ${merchant.merchantId}">
                <option value="">${armed ? 'none (clear)' : 'as matched (amount…)'}</option>
                ${fits.map((scenario) => html`<option value="${scenario.id}"${scenario.id === armed ? ' selected' : ''}>${scenario.id}</option>`)}
              </select>
              <button class="small" data-action="nextScenario" data-select="next-${index}" data-provider="${merchant.provider}" data-merchant-id="${merchant.merchantId}">set</button>
              ${armed ? badge('pending', `armed: ${armed}`) : ''}
            </div></td>
          </tr>`;
        })}</tbody>
      </table></div>
      <p class="muted">Add merchants in <code>DATA_DIR/merchants.json</code> or with <code>POST /_sim/merchants</code>. A scenario chosen here applies to that merchant’s next order only, whatever its amount.</p>
    </div>
    <div class="card">
      <h2>Platform keys and certificates</h2>
      ${keys.providersWithKeys().length
        ? html`<div class="table-wrap"><table><thead><tr><th>provider</th><th>public key</th><th>certificate</th></tr></thead><tbody>${keys.providersWithKeys().map((provider) => {
            const pair = keys.platform(provider)!;
            const base = `/_sim/keys/${encodeURIComponent(provider)}`;
            return html`<tr><td>${provider}</td><td><a href="${base}/platform.pem">platform.pem</a></td>
              <td>${pair.certificate ? html`<a href="${base}/platform.cer">platform.cer</a> (DER) · <a href="${base}/platform-cert.pem">platform-cert.pem</a>` : html`<span class="muted">the provider hands out none</span>`}</td></tr>`;
          })}</tbody></table></div>`
        : html`<p class="muted">No provider here signs with RSA.</p>`}
      <p class="muted">Everything, private keys included, as JSON: <a href="/_sim/keys">/_sim/keys</a>. This is a sandbox: never use these keys anywhere else.</p>
    </div>
    <div class="card">
      <h2>Magic amounts</h2>
      <div class="table-wrap"><table><thead><tr><th>amount</th><th>scenario</th><th>what happens</th></tr></thead>
        <tbody>${magic
          .slice()
          .sort((a, b) => Number(a.match.amount) - Number(b.match.amount))
          .map((scenario) => html`<tr><td class="num mono">${scenario.match.amount} fen<div class="muted">${yuan(Number(scenario.match.amount))}</div></td><td class="mono">${scenario.id}${scenario.match.provider ? html`<div class="muted">${[scenario.match.provider].flat().join(', ')} only</div>` : ''}</td><td>${scenario.description ?? ''}</td></tr>`)}</tbody>
      </table></div>
    </div>
    <div class="card">
      <h2>Test cards</h2>
      <div class="table-wrap"><table><thead><tr><th>number</th><th>type</th><th>bank</th><th>holder</th><th>ID number</th><th>phone</th><th>valid / CVV2</th><th>behaviour</th></tr></thead>
        <tbody>${cards.map((card) => html`<tr><td class="mono">${card.number}</td><td>${card.type}</td><td>${card.bank} <span class="muted">${card.bankCode}</span></td><td>${card.holder}</td><td class="mono">${card.idNumber}</td><td class="mono">${card.phone}</td><td class="mono">${card.validDate ?? ''} ${card.cvv2 ?? ''}</td><td>${badge(card.behaviour === 'ok' ? 'paid' : 'failed', card.behaviour)}<div class="muted">${card.note ?? ''}</div></td></tr>`)}</tbody>
      </table></div>
    </div>
    <div class="card">
      <h2>Scenarios</h2>
      <div class="table-wrap"><table><thead><tr><th>id</th><th>source</th><th>matches</th><th>steps</th></tr></thead>
        <tbody>${all.map((scenario) => html`<tr><td class="mono">${scenario.id}<div class="muted">${scenario.description ?? ''}</div></td><td>${scenario.source}</td><td class="mono">${JSON.stringify(scenario.match)}</td><td class="mono">${scenario.steps.map((step) => html`<div>${JSON.stringify(step)}</div>`)}</td></tr>`)}</tbody>
      </table></div>
    </div>
    <div class="card">
      <h2>Providers</h2>
      <div class="table-wrap"><table><thead><tr><th>id</th><th>mount</th><th>notifications (retry gaps in seconds)</th></tr></thead>
        <tbody>${simulators.all().map((simulator) => html`<tr><td>${simulator.id}<div class="muted">${simulator.title}</div></td><td class="mono">${simulator.mount}</td><td>${Object.entries(simulator.notifications).map(([name, channel]) => html`<div><span class="mono">${name}</span>: ${channel.schedule.join(', ')}${channel.acknowledgement ? html`<div class="muted">acknowledged by ${channel.acknowledgement}</div>` : ''}</div>`)}</td></tr>`)}</tbody>
      </table></div>
      <p><button class="danger" data-action="reset">Empty the sandbox</button> <span class="muted">records, notifications and the journal; merchants, keys, scenarios and the clock stay</span></p>
    </div>`;
}
