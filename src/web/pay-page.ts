import { Hono, type Context } from 'hono';
import { html, raw } from 'hono/html';
import { isAwaitingPayment, type Order } from '../core/domain.js';
import { isSandboxError } from '../core/errors.js';
import { publicOrigin } from '../core/public-origin.js';
import { cstDateTime } from '../core/time-format.js';
import type { SandboxParts } from '../parts.js';
import type { PageLabel, PageModel } from '../core/simulator.js';
import { autoSubmitForm, layout } from './layout.js';

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

const STATE_LABEL: Record<string, string> = {
  created: '待支付',
  pending: '支付中',
  processing: '处理中',
  held: '协查中',
  paid: '支付成功',
  failed: '支付失败',
  closed: '已关闭',
  reversed: '已撤销',
  partially_refunded: '部分退款',
  refunded: '已退款',
};

/** The chooser's choices under their headings: the model's groups (choices they leave out come last), or one group without heading. */
function choiceGroups(model: PageModel): { label: string; entries: [string, string][] }[] {
  const choices = model.choices ?? {};
  const grouped = (model.choiceGroups ?? []).map((group) => ({
    label: group.label,
    entries: group.values.filter((value) => Object.hasOwn(choices, value)).map((value): [string, string] => [value, choices[value]!]),
  }));
  const placed = new Set(grouped.flatMap((group) => group.entries.map(([value]) => value)));
  const rest = Object.entries(choices).filter(([value]) => !placed.has(value));
  return [...grouped, ...(rest.length ? [{ label: '', entries: rest }] : [])].filter((group) => group.entries.length > 0);
}

/**
 * The hosted pay page every order with a URL to open points at: merchant,
 * goods, amount, a real QR code of the page's own address (so a phone on the
 * same network can open it) and Pay / Fail buttons.
 */
export function payPageRoutes({ store, payments, simulators, config, keys }: SandboxParts) {
  const app = new Hono();

  const find = (c: Context) => {
    const simulator = simulators.get(c.req.param('provider') ?? '');
    const order = simulator ? store.orders.findByPlatformNo(simulator.id, c.req.param('platformOrderNo') ?? '') : undefined;
    const merchant = order ? store.merchants.get(order.provider, order.merchantId) : undefined;
    return simulator && order && merchant ? { simulator, order, merchant } : undefined;
  };

  const notFound = (c: Context) =>
    c.html(layout('订单不存在', html`<div class="card pay"><h1>订单不存在</h1><p class="muted">No such order.</p></div>`), 404);

  app.get('/:provider/:platformOrderNo', async (c) => {
    const found = find(c);
    if (!found) return notFound(c);
    const { simulator, order, merchant } = found;
    const model = simulator.page?.describe(order, merchant) ?? {
      kind: 'h5' as const,
      productLabel: order.product,
      goods: '',
      merchantName: merchant.name ?? merchant.merchantId,
    };
    const selfUrl = `${publicOrigin(c, config.publicUrl)}${new URL(c.req.url).pathname}`;
    const actionBase = `${new URL(c.req.url).pathname}`;
    const open = isAwaitingPayment(order.state);
    // Loaded on the first QR page rather than at start (it weighs ~10 MiB).
    const qr = model.kind === 'qr' && open ? await (await import('qrcode')).toString(selfUrl, { type: 'svg', margin: 1 }) : '';
    // The simulator's describe() alone says whether the payer still has to choose (as /choose and /pay ask it).
    const chooser = model.kind === 'chooser' && open;

    const label = (key: PageLabel, fallback: string) => model.labels?.[key] ?? fallback;
    const accent = model.accent && /^#[0-9a-fA-F]{3,8}$/.test(model.accent) ? model.accent : null;

    return c.html(
      layout(
        `${model.merchantName} · ${model.productLabel}`,
        html`${accent ? html`<style>.pay .amount { color: ${accent}; } .pay button.primary { background: ${accent}; }</style>` : ''}
        <div class="card pay" data-state="${order.state}" data-provider="${order.provider}" data-kind="${model.kind}">
          <p class="muted product">${model.productLabel}</p>
          <p class="muted">${label('merchant', '收款方')}</p>
          <h1 class="merchant">${model.merchantName}</h1>
          <p class="muted">${label('amount', '订单金额')}</p>
          <div class="amount">${yuan(order.amount)}</div>
          ${model.goods ? html`<p class="goods">${label('goods', '商品')}：${model.goods}</p>` : ''}
          <p><span class="badge ${order.state}" id="state">${STATE_LABEL[order.state] ?? order.state}</span></p>
          ${qr ? html`<div class="qr">${raw(qr)}</div><p class="muted">${label('scanHint', '用手机扫码打开本页 / scan to open this page on a phone')}</p>` : ''}
          ${chooser
            ? html`<form method="post" action="${actionBase}/choose" class="choices">
                ${choiceGroups(model).map(
                  (group) => html`${group.label ? html`<h2 class="choice-group">${group.label}</h2>` : ''}
                    <div class="choice-list${group.entries.length > 4 ? ' grid' : ''}">${group.entries.map(
                      ([value, choiceLabel]) => html`<button name="choice" value="${value}" type="submit">${choiceLabel}</button>`,
                    )}</div>`,
                )}
              </form>`
            : open
              ? html`<form method="post" action="${actionBase}/pay"><button class="primary" id="pay" type="submit">${label('pay', model.kind === 'bank' ? '网银支付' : '确认支付')} / Pay</button></form>
                <form method="post" action="${actionBase}/fail"><button class="secondary" id="fail" type="submit">${label('fail', '支付失败')} / Fail</button></form>`
              : ''}
          <dl>
            ${(model.details ?? []).map((row) => html`<dt>${row.label}</dt><dd>${row.value}</dd>`)}
            <dt>${label('orderNo', '商户订单号')}</dt><dd class="order-no">${order.orderNo}</dd>
            <dt>${label('platformOrderNo', '平台订单号')}</dt><dd>${order.platformOrderNo}</dd>
            <dt>${label('createdAt', '下单时间')}</dt><dd>${cstDateTime(order.createdAt)}</dd>
            ${order.expiresAt ? html`<dt>${label('expiresAt', '失效时间')}</dt><dd>${cstDateTime(order.expiresAt)}</dd>` : ''}
          </dl>
        </div>`,
        { mobile: model.kind !== 'bank' },
      ),
    );
  });

  /** The payer's choice on a chooser page (e.g. the cashier's Arbi). */
  app.post('/:provider/:platformOrderNo/choose', async (c) => {
    const found = find(c);
    if (!found) return notFound(c);
    let form: Record<string, unknown> = {};
    try {
      form = await c.req.parseBody();
    } catch {
      form = {};
    }
    const choice = typeof form.choice === 'string' ? form.choice : '';
    const model = found.simulator.page?.describe(found.order, found.merchant);
    // Only while the page offers a choice, and only one it offers: `in` would also accept `toString` and its kin.
    const offered = model?.kind === 'chooser' && isAwaitingPayment(found.order.state) && model.choices !== undefined && Object.hasOwn(model.choices, choice);
    if (!found.simulator.page?.choose || !offered) {
      return c.html(layout('无效选择', html`<div class="card pay"><h1>无效选择</h1></div>`), 400);
    }
    payments.updateAttributes(found.order.id, { ...found.simulator.page.choose(found.order, choice), chosen: choice });
    return c.redirect(new URL(c.req.url).pathname.replace(/\/choose$/, ''), 303);
  });

  app.post('/:provider/:platformOrderNo/:action{pay|fail}', (c) => {
    const found = find(c);
    if (!found) return notFound(c);
    const target = c.req.param('action') === 'pay' ? 'paid' : 'failed';
    if (found.simulator.page?.describe(found.order, found.merchant).kind === 'chooser') {
      return c.html(layout('请先选择支付方式', html`<div class="card pay"><h1>请先选择支付方式</h1><p class="muted">Choose a payment method first.</p></div>`), 409);
    }
    let order: Order;
    try {
      // A scenario holding the order (2001, 2002) decides the outcome: the page then shows it still paying.
      order = payments.payerAction(found.order.id, target).order;
    } catch (error) {
      if (!isSandboxError(error, 'INVALID_TRANSITION')) throw error;
      return c.html(
        layout(
          '无法完成',
          html`<div class="card pay"><h1>订单${STATE_LABEL[found.order.state] ?? found.order.state}</h1><p class="muted">This order can no longer be paid.</p></div>`,
        ),
        409,
      );
    }
    const back = found.simulator.page?.browserReturn?.(order, found.merchant, { platformKeys: keys.platform(found.simulator.id) });
    if (back?.method === 'GET') {
      // Appended rather than submitted as a GET form, which would drop a query string already on the URL.
      const target = new URL(back.url);
      for (const [name, value] of Object.entries(back.fields)) target.searchParams.set(name, value);
      return c.redirect(target.toString(), 303);
    }
    if (back) return c.html(layout('返回商户', autoSubmitForm('POST', back.url, back.fields)));
    return c.redirect(new URL(c.req.url).pathname.replace(/\/(pay|fail)$/, ''), 303);
  });

  return app;
}
