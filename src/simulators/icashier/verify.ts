import type { Context } from 'hono';
import { annotate } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { signOf, verifySign } from './envelope.js';
import { IcashierError } from './errors.js';
import { MERID } from './fields.js';
import { merchantOf, type Envelope, type VerifiedEnvelope } from './request.js';

/**
 * Resolves the merchant, then checks `sign` = md5(req + key). An unknown or
 * malformed merid is a 前置性错误 (§2.2): no key, so the reply's sign is empty.
 */
export function verifyEnvelope(envelope: Envelope, sim: SimulatorContext, c: Context): VerifiedEnvelope {
  const merid = envelope.body.merid;
  const checked = MERID.safeParse(merid);
  if (!checked.success) {
    if (merid === undefined || merid === null || merid === '') throw new IcashierError('MISSING_FIELD', 'merid');
    throw new IcashierError('BAD_FIELD', `merid${checked.error.issues[0]?.message ?? ''}`);
  }
  // The order the request names, so a refused one (a bad sign) still shows on that order's timeline.
  const named = envelope.body.orderid ?? envelope.body.queryid;
  annotate(c, { merchantId: checked.data, ...(typeof named === 'string' && named !== '' ? { orderNo: named } : {}) });
  const merchant = merchantOf(sim, envelope.body);
  if (!merchant) throw new IcashierError('UNKNOWN_MERCHANT', checked.data);
  const key = merchant.md5Key!;
  if (envelope.sign === undefined || envelope.sign === '') throw new IcashierError('MISSING_FIELD', 'sign');
  if (!verifySign(envelope.req, key, envelope.sign)) {
    throw new IcashierError(
      'BAD_SIGN',
      undefined,
      `expected sign ${signOf(envelope.req, key)} = md5(req + key), over the raw Base64 text before URL-encoding`,
    );
  }
  return { ...envelope, merchant, key };
}
