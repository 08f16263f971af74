const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A merchant's checkout page that submits itself to the provider, as the
 * documents print it (网关 §5.1.2: `<form id='demosubmit' … method='POST'>` and
 * `document.forms['demosubmit'].submit()`): the browser, not the merchant's
 * server, carries the request, so the provider's redirect lands in it.
 */
export function checkoutPage(action: string, fields: Record<string, string>, method: 'GET' | 'POST' = 'POST'): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>商户收银台</title></head><body>
<form id="demosubmit" name="demosubmit" action="${escapeHtml(action)}" method="${method}" accept-charset="UTF-8">
${inputs}
<input type="submit" value="ok" style="display:none;">
</form>
<script>document.forms['demosubmit'].submit();</script>
</body></html>`;
}
