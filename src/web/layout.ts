import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Content = HtmlEscapedString | Promise<HtmlEscapedString> | string;

const STYLE = `
  :root { color-scheme: light; --accent: #1677ff; --ok: #07c160; --bad: #e5484d; --muted: #6b7280; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; background: #f5f6f8; color: #111827; }
  main { max-width: 960px; margin: 0 auto; padding: 24px 16px; }
  .card { background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.08); padding: 20px; margin-bottom: 16px; }
  .pay { max-width: 420px; margin: 0 auto; text-align: center; }
  .amount { font-size: 36px; font-weight: 600; margin: 8px 0; }
  .muted { color: var(--muted); font-size: 13px; }
  .badge { display: inline-block; padding: 2px 8px; border-radius: 999px; font-size: 12px; background: #eef2ff; color: #3730a3; }
  .badge.paid, .badge.delivered, .badge.acked { background: #dcfce7; color: #166534; }
  .badge.failed, .badge.closed, .badge.exhausted, .badge.rejected, .badge.error, .badge.reversed { background: #fee2e2; color: #991b1b; }
  button { font: inherit; border: 0; border-radius: 8px; padding: 12px 20px; cursor: pointer; }
  button.primary { background: var(--ok); color: #fff; width: 100%; margin-top: 12px; }
  button.secondary { background: #fff; color: var(--bad); border: 1px solid var(--bad); width: 100%; margin-top: 8px; }
  button.small { padding: 4px 10px; font-size: 13px; background: #eef2ff; color: #3730a3; }
  table { width: 100%; border-collapse: collapse; font-size: 13px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
  th { color: var(--muted); font-weight: 500; }
  pre { white-space: pre-wrap; word-break: break-all; font-size: 12px; background: #f8fafc; padding: 8px; border-radius: 6px; max-height: 240px; overflow: auto; }
  .qr svg { width: 220px; height: 220px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; text-align: left; font-size: 14px; }
  dt { color: var(--muted); }
  dd { margin: 0; word-break: break-all; }
  .choices button { width: 100%; margin-top: 8px; background: #eef2ff; color: #1e3a8a; }
  .choices .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 8px; margin-top: 8px; }
  .choices .grid button { margin-top: 0; padding: 10px 8px; font-size: 14px; }
  .choices .choice-group { margin: 16px 0 0; text-align: left; font-size: 14px; color: var(--muted); }
  h1 { font-size: 20px; margin: 0 0 12px; }
  h2 { font-size: 16px; margin: 0 0 8px; }
`;

/** A complete HTML page in the sandbox's style. */
export function layout(title: string, body: Content, options: { mobile?: boolean } = {}) {
  return html`<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1${options.mobile ? ', maximum-scale=1' : ''}" />
    <title>${title}</title>
    <style>${raw(STYLE)}</style>
  </head>
  <body>
    <main>${body}</main>
  </body>
</html>`;
}

/** An HTML form that submits itself: how a provider sends a browser somewhere with POSTed fields. */
export function autoSubmitForm(method: 'GET' | 'POST', action: string, fields: Record<string, string>) {
  return html`<form id="sandbox-redirect" method="${method.toLowerCase()}" action="${action}" accept-charset="UTF-8">
  ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
  <noscript><button type="submit">继续 / Continue</button></noscript>
</form>
<script>document.getElementById('sandbox-redirect').submit();</script>`;
}
