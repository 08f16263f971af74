import { html } from 'hono/html';
import type { SignatureDiagnosis } from '../../core/diagnosis.js';
import type { JournalEntry } from '../../core/store/journal.js';
import { badge, diffView, formFields, pretty, type Html } from './format.js';

const VERDICT_LABEL: Record<SignatureDiagnosis['verdict'], string> = {
  valid: 'signature valid',
  invalid: 'signature invalid',
  missing: 'no signature',
  'unknown-merchant': 'unknown merchant',
};

/** The verdict of a request's signature as a badge, or nothing when the request carries none the provider checks. */
export function verdictBadge(diagnosis: SignatureDiagnosis | null): Html | string {
  return diagnosis ? badge(diagnosis.verdict, VERDICT_LABEL[diagnosis.verdict]) : '';
}

/**
 * What a developer with a mismatch needs: the string the sandbox signed, the
 * signature it expected and the one it got, and — when one of the usual
 * mistakes reproduces the merchant's signature — that mistake and a
 * highlighted diff of the two strings.
 */
export function diagnosisView(diagnosis: SignatureDiagnosis): Html {
  const matched = diagnosis.variants.find((variant) => variant.matches);
  const singles = diagnosis.variants.filter((variant) => variant.mistakes.length === 1 && !variant.matches);
  const ok = diagnosis.verdict === 'valid';
  return html`<div class="diagnosis${ok ? ' ok' : ''}" data-verdict="${diagnosis.verdict}">
    <div class="actions">
      <strong>Signature</strong> ${verdictBadge(diagnosis)}
      <span class="muted">${diagnosis.provider} · merchant ${diagnosis.merchantId ?? '—'} · compared ${diagnosis.comparison}</span>
    </div>
    <p class="muted">${diagnosis.rule}</p>
    ${diagnosis.canonical === null
      ? html`<p>The sandbox knows no ${diagnosis.provider} merchant ${diagnosis.merchantId ?? ''} with a key, so there is nothing to check against.</p>`
      : html`<h3>The string the sandbox signed</h3>
          <pre class="canonical">${diagnosis.canonical}</pre>
          <dl class="facts">
            <dt>expected</dt><dd class="mono expected">${diagnosis.expected ?? html`<span class="muted">not computed: the sandbox holds no private key of this merchant, so it verifies the given signature with the merchant’s public key</span>`}</dd>
            <dt>given</dt><dd class="mono given">${diagnosis.given ?? '(none)'}</dd>
          </dl>`}
    ${matched
      ? html`<div class="explained">
          <h3>What went wrong</h3>
          <p>The merchant’s signature is exactly what the sandbox gets when it signs with ${matched.mistakes.length === 1 ? 'this mistake' : 'these mistakes'}:</p>
          <ul class="mistakes">${matched.mistakes.map((mistake) => html`<li>${mistake}</li>`)}</ul>
          ${matched.canonical === diagnosis.canonical
            ? html`<p class="muted">The string is the same; what differs is how it became the signature (the mistake above): <span class="mono">${matched.signature}</span>.</p>`
            : html`<p class="muted">Difference: <del>struck out</del> is signed by the sandbox only, <ins>inserted</ins> by the merchant only.</p>${diffView(diagnosis.canonical ?? '', matched.canonical)}`}
        </div>`
      : diagnosis.verdict === 'invalid'
        ? html`<p><strong>None of the usual mistakes reproduces the given signature</strong> (alone or up to three together): check the key or secret the merchant signs with, and the exact bytes it signs.</p>`
        : ''}
    ${singles.length
      ? html`<details>
          <summary>What each usual mistake would have signed</summary>
          ${singles.map(
            (variant) => html`<h3>${variant.mistakes[0]}</h3>
              ${variant.canonical === diagnosis.canonical
                ? html`<p class="muted">Same string; signature <span class="mono">${variant.signature}</span></p>`
                : html`${diffView(diagnosis.canonical ?? '', variant.canonical)}<p class="muted mono">→ ${variant.signature}</p>`}`,
          )}
        </details>`
      : ''}
  </div>`;
}

function bodyView(label: string, body: string, charset: string | null, contentType?: string): Html {
  const fields = formFields(body);
  return html`<h3>${label} <span class="muted">${[contentType, charset ? `charset ${charset}` : 'charset not declared'].filter(Boolean).join(' · ')}</span></h3>
    <pre class="raw">${body === '' ? '(empty)' : body}</pre>
    ${fields
      ? html`<details><summary>decoded fields</summary><div class="table-wrap"><table>${fields.map(([k, v]) => html`<tr><th>${k}</th><td class="mono">${v}</td></tr>`)}</table></div></details>`
      : pretty(body) !== body
        ? html`<details><summary>formatted</summary><pre>${pretty(body)}</pre></details>`
        : ''}`;
}

/** One journal row: the request as received (bytes decoded in its charset), the answer, the note and the diagnosis. */
export function requestDetail(entry: JournalEntry, diagnosis: SignatureDiagnosis | null): Html {
  return html`${bodyView('Request body, as received', entry.requestBody, entry.requestCharset, entry.requestHeaders['content-type'])}
    ${entry.path.includes('?') ? html`<h3>Query string</h3><pre>${decodeURIComponentSafe(entry.path.slice(entry.path.indexOf('?') + 1))}</pre>` : ''}
    ${bodyView(`Answer: HTTP ${entry.responseStatus}`, entry.responseBody, entry.responseCharset)}
    ${entry.note ? html`<h3>Why the sandbox answered so</h3><pre class="note">${entry.note}</pre>` : ''}
    ${diagnosis ? diagnosisView(diagnosis) : ''}
    <p class="muted"><a href="/dashboard/requests/${entry.id}">request #${entry.id}</a> · <a href="/dashboard/workbench?request=${entry.id}">open in the signature workbench</a> · ${entry.durationMs} ms</p>`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return text
      .split('&')
      .map((pair) => decodeURIComponent(pair.replaceAll('+', ' ')))
      .join('\n');
  } catch {
    return text;
  }
}
