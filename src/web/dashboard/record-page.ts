import { html } from 'hono/html';
import { diagnoseEntry, journalFilterFor } from '../../admin/requests.js';
import type { SignatureDiagnosis } from '../../core/diagnosis.js';
import type { SimRecord } from '../../core/domain.js';
import type { JournalEntry } from '../../core/store/journal.js';
import type { DeliveryAttempt, OutboxItem } from '../../core/store/outbox.js';
import type { SandboxParts } from '../../parts.js';
import { badge, CAUSES, cstTime, pretty, yuan, type Html } from './format.js';
import { smsLine } from './records-page.js';
import { requestDetail, verdictBadge } from './request-view.js';

interface TimelineItem {
  at: number;
  /** Tie-break at the same instant (a frozen clock): the request, then what it changed, then what was sent. */
  rank: number;
  seq: number;
  /** The record's own creation (placed right after its creating request). */
  creation?: boolean;
  html: Html;
}

const RANK = { request: 0, state: 1, attempt: 2, future: 3 } as const;

const NOUN: Record<string, string> = { order: 'Order', refund: 'Refund', payout: 'Payout', binding: 'Card binding', sms: 'SMS challenge', preauth: 'Pre-authorisation', account: 'Account' };
export const kindNoun = (kind: string) => NOUN[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);

function attemptVerdict(attempt: DeliveryAttempt, item: OutboxItem, acknowledgement: string | undefined, last: boolean): Html {
  const reply = attempt.httpStatus === null ? null : `HTTP ${attempt.httpStatus}${attempt.replyBody ? ` “${attempt.replyBody.length > 120 ? `${attempt.replyBody.slice(0, 120)}…` : attempt.replyBody}”` : ' with an empty body'}`;
  const next = attempt.nextAttemptAt !== null ? html` Next attempt ${cstTime(attempt.nextAttemptAt)}.` : last && item.status === 'exhausted' ? ' No attempts left: the provider gives up (exhausted).' : '';
  if (attempt.verdict === 'acked') {
    return html`<strong>Acknowledged</strong>: the merchant answered ${reply}, which the provider takes as receipt${acknowledgement ? ` (${acknowledgement})` : ''}; no more attempts.`;
  }
  if (attempt.verdict === 'rejected') {
    return html`<strong>Not acknowledged</strong>: the merchant answered ${reply}, which is not the acknowledgement${acknowledgement ? ` — the provider wants ${acknowledgement}` : ''}.${next}`;
  }
  return html`<strong>No answer</strong>: ${attempt.error ?? 'the delivery failed'}.${next}`;
}

function notificationCard(parts: SandboxParts, items: { item: OutboxItem; attempts: DeliveryAttempt[] }[]): Html | string {
  if (items.length === 0) return html`<p class="muted">No notification was sent about this record.</p>`;
  return html`<div class="table-wrap"><table class="notifications">
    <thead><tr><th>#</th><th>about</th><th>to</th><th>status</th><th>attempts</th><th>next attempt</th><th></th></tr></thead>
    <tbody>${items.map(
      ({ item, attempts }) => html`<tr data-notification="${item.id}">
        <td>${item.id}</td>
        <td>${item.recordKind} · ${item.channel}${item.flags.wrongSignature ? html` ${badge('error', 'signed with a wrong key (scenario)')}` : ''}</td>
        <td class="mono">${item.url}</td>
        <td>${badge(item.status)}</td>
        <td class="attempt-chips">${attempts.map((attempt) => badge(attempt.verdict, `#${attempt.attemptNo} ${attempt.verdict}${attempt.httpStatus ? ` ${attempt.httpStatus}` : ''}`))}</td>
        <td>${cstTime(item.nextAttemptAt)}</td>
        <td><button class="small secondary" data-action="replay" data-id="${item.id}">replay now</button></td>
      </tr>`,
    )}</tbody></table></div>
    <p class="muted">Retry cadence: ${items
      .map(({ item }) => {
        const schedule = parts.simulators.get(item.provider)?.notifications[item.channel]?.schedule ?? [];
        return `${item.channel}: ${schedule.join(', ')} s`;
      })
      .filter((text, index, all) => all.indexOf(text) === index)
      .join(' · ')}</p>`;
}

function actionsCard(parts: SandboxParts, record: SimRecord): Html | string {
  if (record.kind !== 'order') return '';
  const simulator = parts.simulators.get(record.provider);
  const kind = simulator?.kinds?.find((candidate) => candidate.name === 'order');
  const can = (to: string) => kind?.transitions[record.state]?.includes(to) ?? false;
  const data = (verb: string) => html`data-action="payer" data-verb="${verb}" data-provider="${record.provider}" data-order-no="${record.number}" data-merchant-id="${record.merchantId}"`;
  const payer = [
    can('paid') ? html`<button ${data('pay')}>Pay</button>` : '',
    can('failed') ? html`<button class="danger" ${data('fail')}>Fail</button>` : '',
    can('closed') ? html`<button class="secondary" ${data('close')}>Close</button>` : '',
  ];
  const refundable = simulator?.refunds && (record.state === 'paid' || record.state === 'partially_refunded');
  const left = (record.amount ?? 0) - record.consumedAmount;
  return html`<div class="actions" id="order-actions">
    ${payer}
    ${can('paid') && record.scenarioState.hold ? html`<label style="display:flex;gap:4px;align-items:center;color:inherit"><input type="checkbox" id="force" style="width:auto" /> force (override scenario ${record.scenarioId})</label>` : ''}
    ${refundable
      ? html`<input type="text" id="refund-amount" inputmode="decimal" placeholder="${(left / 100).toFixed(2)}" aria-label="refund amount in yuan" />
          <button class="secondary" data-action="refund" data-provider="${record.provider}" data-order-no="${record.number}" data-merchant-id="${record.merchantId}">Refund</button>`
      : ''}
    ${simulator?.page ? html`<a class="button secondary" href="/pay/${record.provider}/${record.platformNumber}" target="_blank" rel="noopener">open the pay page</a>` : ''}
  </div>`;
}

function scenarioCard(parts: SandboxParts, record: SimRecord, scheduled: { at: number; to: string | null; job: string }[]): Html | string {
  const scenario = record.scenarioId ? parts.scenarios.get(record.scenarioId) : undefined;
  const state = record.scenarioState;
  const facts: [string, string][] = [];
  if (state.hold) facts.push(['holds the payer’s action', 'yes: Pay and Fail leave the order as the scenario says (force overrides)']);
  if (state.queryErrors) facts.push(['queries still to fail', String(state.queryErrors)]);
  if (state.notify && state.notify !== 'normal') facts.push(['notifications', state.notify]);
  if (state.http?.length) facts.push(['HTTP effects left', state.http.map((effect) => JSON.stringify(effect)).join(' ')]);
  return html`<h2>Scenario</h2>
    ${record.scenarioId
      ? html`<p><span class="badge plain">${record.scenarioId}</span> <span class="muted">${scenario?.description ?? ''}</span></p>
          ${scenario ? html`<ol class="steps">${scenario.steps.map((step) => html`<li class="mono">${JSON.stringify(step)}</li>`)}</ol>` : ''}`
      : html`<p class="muted">No scenario: the happy path.</p>`}
    ${facts.length ? html`<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>` : ''}
    ${scheduled.length
      ? html`<h3>Still to come</h3><ul>${scheduled.map((job) => html`<li>${cstTime(job.at)} — ${job.job === 'record.expire' ? 'expiry' : job.job === 'record.become' ? 'scenario step' : 'timer'}${job.to ? html` → ${badge(job.to)}` : ''}</li>`)}</ul>`
      : ''}`;
}

/** An order's page is its timeline; any other record's too (a refund, a payout…). */
export async function recordPage(parts: SandboxParts, record: SimRecord): Promise<Html> {
  const { store, simulators } = parts;
  const simulator = simulators.get(record.provider);
  const merchant = store.merchants.get(record.provider, record.merchantId);
  const parent = record.parentId !== null ? store.records.get(record.parentId) : undefined;
  const children = store.records.list({ parentId: record.id, limit: 500 });
  const family = [record, ...children];

  const entries: JournalEntry[] = store.journal.list({ ...journalFilterFor(parts, record), limit: 500 });
  const diagnoses = new Map<number, SignatureDiagnosis | null>();
  for (const entry of entries) diagnoses.set(entry.id, await diagnoseEntry(parts, entry));
  const notifications = family.flatMap((member) => store.outbox.list({ recordId: member.id }).map((item) => ({ item, attempts: store.outbox.attempts(item.id) })));
  notifications.sort((a, b) => a.item.id - b.item.id);
  // An expiry job stays queued after payment and does nothing then: only the ones that still can apply are shown.
  const expires = (member: SimRecord) =>
    simulator?.kinds?.find((kind) => kind.name === member.kind)?.expiry?.from.includes(member.state) ?? false;
  const scheduled = family.flatMap((member) =>
    store.jobs.pendingFor(member.id).filter((job) => job.kind !== 'record.expire' || expires(member)).map((job) => ({
      at: job.dueAt,
      job: job.kind,
      member,
      to: typeof job.payload.state === 'string' ? job.payload.state : typeof job.payload.to === 'string' ? job.payload.to : null,
    })),
  );

  // The provider's own name of each state (PAYSTATE 2 付款中), where it has one.
  const wire = (member: SimRecord, state: string): Html | string => {
    const text = simulator?.stateLabel?.(member, state);
    return text ? html` <span class="wire-state mono">${text}</span>` : '';
  };
  const items: TimelineItem[] = [];
  let seq = 0;
  for (const entry of entries.slice().reverse()) {
    const diagnosis = diagnoses.get(entry.id) ?? null;
    const bad = diagnosis?.verdict === 'invalid' || diagnosis?.verdict === 'missing';
    items.push({
      at: entry.at,
      rank: RANK.request,
      seq: seq++,
      html: html`<li class="t-request${bad ? ' t-bad' : ''}" data-request="${entry.id}">
        <span class="when">${cstTime(entry.at)}</span><span class="kindtag">request</span>
        <strong class="mono">${entry.method} ${entry.path.split('?')[0]}</strong> ${entry.operation ?? ''} · HTTP ${entry.responseStatus} ${verdictBadge(diagnosis)}
        ${entry.note ? html`<div class="muted">${entry.note.length > 160 ? `${entry.note.slice(0, 160)}…` : entry.note}</div>` : ''}
        <details id="request-${entry.id}"${bad ? ' open' : ''}><summary>request, answer${diagnosis ? ', signature' : ''}</summary>${requestDetail(entry, diagnosis)}</details>
      </li>`,
    });
  }
  for (const member of family) {
    const label = member.id === record.id ? '' : `${member.kind} ${member.number}: `;
    for (const event of store.records.events(member.id)) {
      items.push({
        at: event.at,
        rank: RANK.state,
        seq: seq++,
        creation: event.from === null && member.id === record.id,
        html: html`<li class="t-state" data-event="${event.to}">
          <span class="when">${cstTime(event.at)}</span><span class="kindtag">state</span>
          ${label}${event.from ? html`${badge(event.from)} → ` : ''}${badge(event.to)}${wire(member, event.to)} <span class="muted">${CAUSES[event.cause] ?? event.cause}${event.cause === 'scenario' && member.scenarioId ? ` ${member.scenarioId}` : ''}</span>
        </li>`,
      });
    }
  }
  for (const { item, attempts } of notifications) {
    const acknowledgement = simulators.get(item.provider)?.notifications[item.channel]?.acknowledgement;
    attempts.forEach((attempt, index) => {
      items.push({
        at: attempt.at,
        rank: RANK.attempt,
        seq: seq++,
        html: html`<li class="t-attempt${attempt.verdict === 'acked' ? '' : ' t-bad'}" data-attempt="${attempt.verdict}">
          <span class="when">${cstTime(attempt.at)}</span><span class="kindtag">notification</span>
          #${item.id} attempt ${attempt.attemptNo}${attempt.trigger === 'replay' ? ' (replayed by the operator)' : ''}: <span class="mono">${attempt.method} ${attempt.url}</span> ${badge(attempt.verdict)}
          <div>${attemptVerdict(attempt, item, acknowledgement, index === attempts.length - 1)}</div>
          <details id="attempt-${item.id}-${attempt.attemptNo}"><summary>what was sent and answered</summary>
            <h3>Sent <span class="muted">${attempt.requestCharset ? `charset ${attempt.requestCharset}` : ''}</span></h3><pre class="raw">${attempt.requestBody || '(no body: the fields are in the URL)'}</pre>
            ${pretty(attempt.requestBody) !== attempt.requestBody ? html`<details><summary>formatted</summary><pre>${pretty(attempt.requestBody)}</pre></details>` : ''}
            <h3>Reply ${attempt.httpStatus !== null ? `HTTP ${attempt.httpStatus}` : ''} <span class="muted">${attempt.durationMs} ms</span></h3><pre class="raw reply">${attempt.replyBody ?? attempt.error ?? ''}</pre>
          </details>
        </li>`,
      });
    });
    if (item.status === 'pending' && item.nextAttemptAt !== null) {
      items.push({
        at: item.nextAttemptAt,
        rank: RANK.future,
        seq: seq++,
        html: html`<li class="t-future"><span class="when">${cstTime(item.nextAttemptAt)}</span><span class="kindtag">due</span> notification #${item.id} attempt ${item.attemptCount + 1} to <span class="mono">${item.url}</span></li>`,
      });
    }
  }
  for (const job of scheduled) {
    items.push({
      at: job.at,
      rank: RANK.future,
      seq: seq++,
      html: html`<li class="t-future"><span class="when">${cstTime(job.at)}</span><span class="kindtag">due</span> ${job.member.id === record.id ? '' : `${job.member.kind} ${job.member.number}: `}${job.job === 'record.expire' ? 'expiry' : job.job === 'record.become' ? `scenario ${job.member.scenarioId ?? ''} step` : 'timer'}${job.to ? html` → ${badge(job.to)}` : ''}</li>`,
    });
  }
  // A record's creation follows the request that created it, before any later request of the same instant.
  for (const item of items) {
    if (!item.creation) continue;
    const creator = items.find((other) => other.rank === RANK.request && other.at === item.at);
    if (creator) {
      item.rank = RANK.request;
      item.seq = creator.seq + 0.5;
    }
  }
  items.sort((a, b) => a.at - b.at || a.rank - b.rank || a.seq - b.seq);

  const facts: [string, Html | string][] = [
    ['provider', `${simulator?.title ?? record.provider} (${record.provider})`],
    ['merchant', `${merchant?.name ?? ''} ${record.merchantId}`],
    ['merchant’s number', record.number],
    ['platform number', record.platformNumber],
    ['amount', `${yuan(record.amount)}${record.consumedAmount ? ` (${yuan(record.consumedAmount)} refunded or reserved)` : ''}`],
    ['product', record.product ?? ''],
    ['created', cstTime(record.createdAt)],
    ['updated', cstTime(record.updatedAt)],
  ];
  if (record.expiresAt) facts.push(['expires', cstTime(record.expiresAt)]);
  if (record.completedAt) facts.push(['completed', cstTime(record.completedAt)]);
  if (record.closedAt) facts.push(['closed', cstTime(record.closedAt)]);
  if (record.notifyUrl) facts.push(['notify URL', record.notifyUrl]);
  if (record.returnUrl) facts.push(['return URL', record.returnUrl]);

  // The live region's own attributes are not refreshed, so the state travels on an element inside it.
  return html`<div id="record" data-live><div class="record" data-record="${record.id}" data-state="${record.state}">
    <div class="card">
      <div class="actions"><h1 style="margin:0">${kindNoun(record.kind)} <span class="mono">${record.number}</span></h1> ${badge(record.state)}${wire(record, record.state)} ${smsLine(parts.store, record)} <span class="muted">${record.provider}</span></div>
      ${parent ? html`<p class="muted">belongs to ${parent.kind} <a href="/dashboard/records/${parent.id}">${parent.number}</a></p>` : ''}
      <div class="grid2">
        <dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
        <div>${scenarioCard(parts, record, scheduled)}</div>
      </div>
      ${actionsCard(parts, record)}
      <details id="attributes"><summary class="muted">provider attributes</summary><pre>${JSON.stringify(record.attributes, null, 2)}</pre></details>
    </div>
    ${children.length
      ? html`<div class="card"><h2>${record.kind === 'order' ? 'Refunds and other records of this order' : 'Records under this one'}</h2><div class="table-wrap"><table>
          <thead><tr><th>kind</th><th>number</th><th>platform number</th><th>amount</th><th>state</th><th>created</th></tr></thead>
          <tbody>${children.map((child) => html`<tr><td>${child.kind}</td><td><a href="/dashboard/records/${child.id}">${child.number}</a></td><td class="mono">${child.platformNumber}</td><td class="num">${yuan(child.amount)}</td><td>${badge(child.state)}</td><td>${cstTime(child.createdAt)}</td></tr>`)}</tbody>
        </table></div></div>`
      : ''}
    <div class="card"><h2>Notifications</h2>${notificationCard(parts, notifications)}</div>
    <div class="card">
      <h2>Timeline <span class="muted">China time (UTC+08:00); hover a time for the UTC instant</span></h2>
      ${items.length ? html`<ol class="timeline">${items.map((item) => item.html)}</ol>` : html`<p class="muted">Nothing yet.</p>`}
    </div>
  </div></div>`;
}
