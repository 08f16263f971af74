import { html, raw } from 'hono/html';
import type { Merchant, Order, SimRecord } from '../../core/domain.js';
import type { BrowserReturn, KeyPairPem, PageModel } from '../../core/simulator.js';
import { cstCompact, cstDateTime } from '../../core/time-format.js';
import { layout } from '../../web/layout.js';
import { allinpayAttributes, isInternational, succeeded } from './attributes.js';
import { PAGE_ERRORS } from './codes.js';
import { currencyOf } from './currency.js';
import type { CardInput } from './pay.js';
import { resultForm, signedResult } from './results.js';

/**
 * The SDK's synchronous result (§2.2.2), acceptance only: iOS `payResult`
 * 0 accepted / 1 failed / -1 cancelled, Android `allinpay_pay_res`
 * success / fail, with payAmount, payTime (to the second) and payOrderId.
 */
export function syncResult(order: Order) {
  const accepted = order.state === 'pending' || order.state === 'processing' || order.state === 'held' || succeeded(order.state);
  const failed = order.state === 'failed' || order.state === 'closed' || order.state === 'reversed';
  const payResult = accepted ? 0 : failed ? 1 : -1;
  const at = order.paidAt ?? order.closedAt;
  const payTime = accepted || failed ? cstCompact(at ?? order.updatedAt) : '';
  return {
    ios: { payResult, payAmount: order.amount, payTime, payOrderId: order.platformOrderNo },
    android: {
      allinpay_pay_res: accepted ? 'allinpay_pay_success' : 'allinpay_pay_fail',
      payAmount: String(order.amount),
      payTime,
      payOrderId: order.platformOrderNo,
    },
  };
}

const STATE_LABEL: Record<string, string> = {
  created: '待支付',
  pending: '支付处理中',
  paid: '支付成功',
  partially_refunded: '支付成功（部分退款）',
  refunded: '支付成功（已退款）',
  failed: '支付失败',
  closed: '订单已关闭',
  reversed: '预授权已撤销',
};

function money(order: Order): string {
  const code = allinpayAttributes(order)?.orderCurrency ?? '156';
  const currency = currencyOf(code);
  const minor = currency?.minor ?? 100;
  const value = (order.amount / minor).toFixed(minor === 1 ? 0 : 2);
  return currency?.alpha === 'CNY' ? `¥${value}` : `${value} ${currency?.alpha ?? code}`;
}

/** What a decided order shows the payer: a failed payment (P00002_100003), an expired order (EM0001_000059). */
function outcomeError(order: Order): PageState['error'] {
  const failure = typeof order.attributes.failure === 'string' ? order.attributes.failure : undefined;
  const entry = order.state === 'failed' ? PAGE_ERRORS.DECLINED : order.state === 'closed' ? PAGE_ERRORS.EXPIRED : undefined;
  return entry && { code: entry.code, hint: entry.hint, ...(order.state === 'failed' && failure ? { detail: failure } : {}) };
}

export interface PageState {
  order: Order;
  /** The page's own path (`…/mobile/pay/{paymentOrderId}`), whatever the mount: the forms post below it. */
  path: string;
  merchant: Merchant;
  /** What the payer typed, kept across a failed attempt or an SMS request. */
  input?: Partial<CardInput>;
  /** A refusal to show: the EM… code and its front-end hint. */
  error?: { code: string; hint: string; detail?: string };
  /** The SMS just sent: the page says where, and shows the sandbox's code. */
  sms?: SimRecord;
  /** Member mode: the member's saved cards, the newest first; the control offers the first. */
  saved?: { cardNo: string; phone: string; bank: string }[];
}

/**
 * The hosted "payment control" (ALP-1: the SDK's own pages are not
 * documented): card number (pre-filled from payData's cardNo), the card
 * holder's elements, reserved phone and SMS code; an international payment
 * asks for a credit card's valid date and CVV2 instead. Once the order is
 * decided it shows the control's synchronous result.
 */
export function controlPage(state: PageState) {
  const { order, merchant, path, input = {}, sms } = state;
  const attributes = allinpayAttributes(order)!;
  const error = state.error ?? outcomeError(order);
  const international = isInternational(attributes.payType);
  const open = order.state === 'created';
  const result = syncResult(order);
  const saved = international ? undefined : state.saved?.[0];
  const value = (name: keyof CardInput, fallback = '') => input[name] ?? fallback;
  const member = attributes.memberId ? html`<dt>会员</dt><dd>${attributes.memberId}</dd>` : '';

  const form = html`<form method="post" action="${path}/pay" class="control" autocomplete="off">
    ${saved ? html`<p id="saved-card" class="muted">常用卡：${saved.bank} 尾号${saved.cardNo.slice(-4)}</p>` : ''}
    <label>银行卡号<input name="cardNo" inputmode="numeric" value="${value('cardNo', attributes.cardNo ?? saved?.cardNo ?? '')}" /></label>
    ${international
      ? html`<label>有效期（MMYY）<input name="validDate" inputmode="numeric" value="${value('validDate')}" /></label>
          <label>CVV2<input name="cvv2" inputmode="numeric" value="${value('cvv2')}" /></label>`
      : html`<label>持卡人姓名（选填）<input name="holder" value="${value('holder')}" /></label>
          <label>身份证号（选填）<input name="idNumber" value="${value('idNumber')}" /></label>
          <label>信用卡有效期 MMYY（信用卡必填）<input name="validDate" inputmode="numeric" value="${value('validDate')}" /></label>
          <label>信用卡 CVV2（信用卡必填）<input name="cvv2" inputmode="numeric" value="${value('cvv2')}" /></label>
          <label>银行预留手机号<input name="phone" inputmode="numeric" value="${value('phone', saved?.phone ?? '')}" /></label>
          <label>短信验证码<input name="smsCode" inputmode="numeric" value="" /></label>
          <button class="small" type="submit" formaction="${path}/sms">获取验证码</button>`}
    <button class="primary" id="pay" type="submit">确认支付 / Pay</button>
  </form>
  <form method="post" action="${path}/cancel"><button class="secondary" type="submit">取消支付 / Cancel</button></form>`;

  return layout(
    `通联支付 · ${merchant.name ?? merchant.merchantId}`,
    html`<div class="card pay" data-state="${order.state}" data-provider="allinpay" data-kind="control">
      <p class="muted product">通联支付 · ${international ? '外卡支付' : attributes.channel === 'web' ? '网关支付' : '移动支付控件'}（沙箱）</p>
      <p class="muted">商户名称</p>
      <h1 class="merchant">${merchant.name ?? merchant.merchantId}</h1>
      <p class="muted">订单金额</p>
      <div class="amount">${money(order)}</div>
      <p class="goods">商品名称：${attributes.productName}</p>
      <p><span class="badge ${order.state}" id="state">${STATE_LABEL[order.state] ?? order.state}</span></p>
      ${error
        ? html`<p class="error" id="error" data-code="${error.code}"><strong>${error.hint}</strong><br /><span class="muted">${error.code}${error.detail ? ` · ${error.detail}` : ''}</span></p>`
        : ''}
      ${sms
        ? html`<p id="sms" class="muted">验证码已发送至 ${String(sms.attributes.phone).replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2')}，5分钟内有效。沙箱验证码：<strong id="sms-code">${String(sms.attributes.code)}</strong></p>`
        : ''}
      ${open ? form : ''}
      ${open
        ? ''
        : html`<h2>控件同步结果 / SDK result</h2>
            <p class="muted">iOS APayResult:</p>
            <pre id="ios-result">${JSON.stringify(result.ios)}</pre>
            <p class="muted">Android onActivityResult "result":</p>
            <pre id="android-result">${JSON.stringify(result.android)}</pre>
            <script type="application/json" id="apay-result">${raw(JSON.stringify(result).replace(/</g, '\\u003c'))}</script>`}
      <dl>
        <dt>商户号</dt><dd>${order.merchantId}</dd>
        <dt>商户订单号</dt><dd class="order-no">${order.orderNo}</dd>
        <dt>通联订单号</dt><dd>${order.platformOrderNo}</dd>
        <dt>下单时间</dt><dd>${cstDateTime(order.createdAt)}</dd>
        ${order.expiresAt ? html`<dt>失效时间</dt><dd>${cstDateTime(order.expiresAt)}</dd>` : ''}
        ${member}
      </dl>
      <p class="muted">测试卡 / test cards: <a href="/_sim/cards">/_sim/cards</a></p>
    </div>
    <style>
      .control label { display: block; text-align: left; margin: 8px 0; font-size: 13px; color: #374151; }
      .control input { display: block; width: 100%; padding: 10px; border: 1px solid #d1d5db; border-radius: 8px; font: inherit; }
      .error { color: #991b1b; }
    </style>`,
    { mobile: true },
  );
}

/**
 * The web form's pickupUrl: "the browser comes back with the same field set
 * and signature" as the notification (research brief §5), as an auto-submitted
 * POST; the document does not say GET or POST and servlets read both.
 */
export function pickupReturn(order: Order, merchant: Merchant, platformKeys: KeyPairPem | null, now: number): BrowserReturn | null {
  if (!order.returnUrl || !allinpayAttributes(order)) return null;
  return { method: 'POST', url: order.returnUrl, fields: resultForm(signedResult(order, merchant, platformKeys, now)) };
}

/** The engine's generic page (`/pay/allinpay/{paymentOrderId}`, the admin's pay/fail buttons). */
export function describe(order: Order, merchant: Merchant): PageModel {
  const attributes = allinpayAttributes(order);
  return {
    kind: 'h5',
    productLabel: `通联支付 · ${attributes?.channel === 'web' ? '网关支付' : '移动支付控件'}`,
    goods: attributes?.productName ?? '',
    merchantName: merchant.name ?? merchant.merchantId,
    // payData's and the result's own names (§2.1, §2.2.3): productName, orderAmount, orderNo, paymentOrderId.
    labels: { merchant: '商户名称', goods: '商品名称', amount: '订单金额', orderNo: '商户订单号', platformOrderNo: '通联订单号', createdAt: '下单时间', expiresAt: '失效时间' },
  };
}
