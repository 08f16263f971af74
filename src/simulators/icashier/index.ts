import { diagnose } from './diagnose.js';
import { defineSimulator } from '../../core/simulator.js';
import { TransportFailure } from '../../core/transport.js';
import { ACTIONS, productOf } from './actions.js';
import { ICASHIER_CODES } from './codes.js';
import { signRequestMessage } from './envelope.js';
import { IcashierError } from './errors.js';
import { announce, BACK_CHANNEL, backChannel } from './notify.js';
import { browserReturn, choose, describe } from './page.js';
import { failureResponse } from './request.js';
import { icashierRoutes } from './routes.js';

/**
 * 数据管理平台 收银台 v1.0.0 (seed 004): a cashier page behind a base64 + MD5
 * envelope — submit (POST `api/icashier`, GET `apis/icashier`), front and back
 * notifications, and the order query (POST `api/query`).
 */
/** The engine's generic field names as §3.1 spells them. */
const FIELD_NAMES: Record<string, string> = { notifyUrl: 'backurl', returnUrl: 'fronturl' };

export default defineSimulator({
  id: 'icashier',
  title: '数据管理平台 收银台 (cashier)',
  mount: '/icashier',
  routes: icashierRoutes,
  products: ACTIONS.flatMap((action) => [productOf(action, false), productOf(action, true)]),
  errors: {
    // The document defines no system error: a respcode other than 00 is a refusal (§3.4.4). Magic
    // amount 2004 (and a scenario's fail-queries) is a lost answer, the order placed; query it.
    system: () => new TransportFailure('the cashier defines no system error: the answer is lost; query the order'),
    duplicate: (existing) => new IcashierError('DUPLICATE_ORDER', existing.number),
    internal: () => new IcashierError('INTERNAL'),
    malformed: (reason) => new IcashierError('BAD_FIELD', `req（${reason}）`),
    badField: (field, reason) => new IcashierError('BAD_FIELD', FIELD_NAMES[field] ?? field, reason),
  },
  errorResponse: (c, error) => failureResponse(c, error as IcashierError, null),
  // The document prints no test merchant or key (DMP-2): the sandbox issues its own.
  merchants: [
    {
      merchantId: '880000000000001',
      md5Key: '4e9b7c2d0a1f36e58c7d2b9a0f1e3c5d',
      name: '收银台测试商户',
      settings: { actions: ['Bank', 'WeiXin', 'AliPay'], bindCard: true },
    },
    {
      merchantId: '880000000000002',
      md5Key: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      name: '收银台单通道商户',
      settings: { actions: ['WeiXin'], bindCard: false },
    },
  ],
  notifications: { [BACK_CHANNEL]: backChannel },
  announce,
  page: { describe, browserReturn, choose },
  /**
   * `POST /_sim/sign/icashier?merchantId=… {"action":"WeiXin","txnamt":100,…}` →
   * `{req, sign}`, ready to send as form fields (URL-encode them) to
   * /icashier/api/icashier, /icashier/apis/icashier or /icashier/api/query.
   * merid defaults to the signing merchant's; a different merid gets a warning,
   * since the sign is made with the merchant's key, not merid's.
   */
  signRequest(input, merchant) {
    const message = input.merid === undefined ? { ...input, merid: merchant.merchantId } : input;
    const signed = signRequestMessage(message, merchant.md5Key ?? '');
    if (message.merid !== merchant.merchantId) {
      return {
        ...signed,
        warning: `signed with the key of ${merchant.merchantId}, but merid is ${String(message.merid)}: add ?merchantId=${String(message.merid)}`,
      };
    }
    return signed;
  },
  diagnose,
  codes: ICASHIER_CODES,
});
