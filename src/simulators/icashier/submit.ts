import type { Context } from 'hono';
import type { Order } from '../../core/domain.js';
import { annotate } from '../../core/exchange.js';
import { sequenceNumber } from '../../core/numbers.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { permissionsOf, productOf } from './actions.js';
import { maskId, maskName, type CashierAttributes } from './attributes.js';
import { IcashierError } from './errors.js';
import { parseFields, submitSchema, withUrlAliases } from './fields.js';
import type { VerifiedEnvelope } from './request.js';

/** The document states no expiry (DMP-12): unpaid orders close after 24 h. */
export const ORDER_TTL_MS = 24 * 60 * 60 * 1000;

/** queryid (交易流水号) is the platform order number: 20 digits, the China date then the order sequence. */
export const QUERYID_LENGTH = 20;

/**
 * 3.1 交易提交接口: checks the fields and the merchant's permissions, then
 * places the order. Its answer is the cashier page (the caller redirects);
 * the document defines no synchronous business reply (DMP-8).
 */
export function submitOrder(request: VerifiedEnvelope, sim: SimulatorContext, c: Context): Order {
  const fields = parseFields(submitSchema, withUrlAliases(request.body));
  annotate(c, { orderNo: fields.orderid });
  const permissions = permissionsOf(request.merchant);
  if (fields.action === 'Arbi') {
    // "Arbi:由商户选择(开通两个以上交易权限有效)".
    if (permissions.channels.length < 2) throw new IcashierError('ACTION_DISABLED', 'Arbi需开通两个以上交易权限');
  } else if (!permissions.channels.includes(fields.action)) {
    // "需提前开交易权限".
    throw new IcashierError('ACTION_DISABLED', fields.action);
  }
  // DMP-4 REC: accname + accno present selects 绑卡付, which needs the 鉴权 permission (§3.1.3 备注).
  const bindCard = fields.accname !== undefined && fields.accno !== undefined;
  if (bindCard && !permissions.bindCard) throw new IcashierError('BINDCARD_DISABLED');

  const now = sim.clock.now();
  const attributes: CashierAttributes = {
    family: 'icashier',
    action: fields.action,
    choices: fields.action === 'Arbi' ? permissions.channels : [],
    bindCard: bindCard ? { accname: maskName(fields.accname!), accno: maskId(fields.accno!) } : null,
  };
  // "商户订单号 … 必需唯一": a used orderid answers the provider's duplicate error (index.ts).
  return sim.placeOrder(c, {
    provider: 'icashier',
    merchantId: request.merchant.merchantId,
    orderNo: fields.orderid,
    product: productOf(fields.action, bindCard),
    amount: fields.txnamt,
    notifyUrl: fields.backurl,
    returnUrl: fields.fronturl ?? null,
    attributes: attributes as unknown as Record<string, unknown>,
    expiresAt: now + ORDER_TTL_MS,
    natural: 'awaiting',
    platformOrderNo: (sequence, at) => sequenceNumber(at, sequence, { length: QUERYID_LENGTH, stamp: 'date' }),
  });
}
