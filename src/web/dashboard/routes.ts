import { Hono, type MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { foreignHost, isAuthorised, sameToken, TOKEN_COOKIE } from '../../admin/guard.js';
import type { SandboxParts } from '../../parts.js';
import { layout } from '../layout.js';
import { recordPage } from './record-page.js';
import { recordsPage } from './records-page.js';
import { referencePage } from './reference-page.js';
import { requestPage, requestsPage } from './requests-page.js';
import { shell } from './shell.js';
import { EMPTY_WORKBENCH, workbenchFromJournal, workbenchPage, type WorkbenchInput } from './workbench-page.js';

/**
 * With SIM_ADMIN_TOKEN set the dashboard shows keys and drives the sandbox, so
 * it needs the token as much as /_sim does: a browser signs in once and keeps
 * it in an HttpOnly, SameSite=Strict cookie that /_sim accepts too. Without a
 * token, it answers only requests addressed to a loopback name or PUBLIC_URL's
 * host, as /_sim does (admin/guard.ts `foreignHost`).
 */
function dashboardGuard(parts: SandboxParts): MiddlewareHandler {
  return async (c, next) => {
    const foreign = foreignHost(c, parts.config);
    if (foreign) return foreign;
    const token = parts.config.adminToken;
    if (!token || isAuthorised(c, token) || new URL(c.req.url).pathname === '/dashboard/login') return next();
    return c.redirect(`/dashboard/login?next=${encodeURIComponent(new URL(c.req.url).pathname + new URL(c.req.url).search)}`, 303);
  };
}

const safeNext = (value: unknown) => (typeof value === 'string' && /^\/dashboard(?:[/?]|$)/.test(value) ? value : '/dashboard');

function loginPage(next: string, failed: boolean) {
  return layout(
    'Sign in · Payment sandbox',
    html`<div class="card pay">
      <h1>Payment sandbox</h1>
      <p class="muted">This sandbox has an admin token (SIM_ADMIN_TOKEN). Enter it once; this browser keeps it in a cookie.</p>
      ${failed ? html`<p style="color:#b91c1c">That is not the token.</p>` : ''}
      <form method="post" action="/dashboard/login">
        <input type="hidden" name="next" value="${next}" />
        <input type="password" name="token" autocomplete="current-password" aria-label="admin token" style="width:100%;padding:10px;font:inherit" autofocus />
        <button class="primary" type="submit">Sign in</button>
      </form>
    </div>`,
  );
}

/** The dashboard at `/dashboard`: records, one record's timeline, the request journal, the workbench and the reference page. */
export function dashboardRoutes(parts: SandboxParts): Hono {
  const app = new Hono();
  app.use('*', dashboardGuard(parts));

  app.get('/login', (c) => c.html(loginPage(safeNext(c.req.query('next')), false)));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === 'string' ? form.token : '';
    const next = safeNext(form.next);
    const expected = parts.config.adminToken;
    if (!expected) return c.redirect(next, 303);
    if (!token || !sameToken(token, expected)) return c.html(loginPage(next, true), 401);
    setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect(next, 303);
  });

  app.get('/', (c) => c.html(shell(parts, 'Records', 'records', recordsPage(parts, c.req.query()))));

  app.get('/records/:id{[0-9]+}', async (c) => {
    const record = parts.store.records.get(Number(c.req.param('id')));
    if (!record) return c.html(shell(parts, 'Not found', null, html`<div class="card"><h1>No record ${c.req.param('id')}</h1><p><a href="/dashboard">all records</a></p></div>`), 404);
    return c.html(shell(parts, `${record.kind} ${record.number}`, 'records', await recordPage(parts, record)));
  });

  app.get('/requests', async (c) => c.html(shell(parts, 'Requests', 'requests', await requestsPage(parts, c.req.query()))));

  app.get('/requests/:id{[0-9]+}', async (c) => {
    const entry = parts.store.journal.get(Number(c.req.param('id')));
    if (!entry) return c.html(shell(parts, 'Not found', null, html`<div class="card"><h1>No request ${c.req.param('id')} in the journal</h1><p class="muted">It may have been trimmed (JOURNAL_LIMIT).</p></div>`), 404);
    return c.html(shell(parts, `Request ${entry.id}`, 'requests', await requestPage(parts, entry)));
  });

  app.get('/workbench', async (c) => {
    const from = Number(c.req.query('request'));
    const input = (Number.isInteger(from) && workbenchFromJournal(parts, from)) || EMPTY_WORKBENCH;
    return c.html(shell(parts, 'Signature workbench', 'workbench', await workbenchPage(parts, input, input !== EMPTY_WORKBENCH)));
  });

  app.post('/workbench', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const field = (name: keyof WorkbenchInput) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    const input: WorkbenchInput = {
      provider: field('provider') || 'auto',
      merchantId: field('merchantId'),
      request: field('request'),
      method: field('method'),
      path: field('path'),
      contentType: field('contentType'),
    };
    return c.html(shell(parts, 'Signature workbench', 'workbench', await workbenchPage(parts, input, true)));
  });

  app.get('/reference', (c) => c.html(shell(parts, 'Merchants, keys & cards', 'reference', referencePage(parts))));

  return app;
}
