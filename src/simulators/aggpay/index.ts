import { diagnose } from './diagnose.js';
import { defineSimulator } from '../../core/simulator.js';
import { TransportFailure } from '../../core/transport.js';
import { AGGPAY_CODES, BANK_CODES, MESSAGES } from './codes.js';
import { AggError } from './errors.js';
import { announce, PAY_CHANNEL, payChannel } from './notify.js';
import { browserReturn, describe } from './page.js';
import { aggpayRoutes, reject } from './routes.js';
import { requestSign } from './signature.js';

/**
 * The aggregated payment platform (综合支付平台, seed 002): unified order,
 * order query, the async notification and the sync return, all signed with
 * sorted-parameter MD5 and a `secret` parameter.
 */
/** The engine's generic field names as §5.1 spells them. */
const FIELD_NAMES: Record<string, string> = { notifyUrl: 'notify_url', returnUrl: 'return_url' };

export default defineSimulator({
  id: 'aggpay',
  title: '综合支付平台 (aggregated pay platform)',
  mount: '/aggpay',
  routes: aggpayRoutes,
  products: Object.values(BANK_CODES).map((bank) => bank.product),
  errors: {
    // The document defines no system error (status "0" means the order was refused): magic amount 2004 is a lost answer.
    system: () => new TransportFailure('the platform defines no system error: the answer is lost; query the order'),
    duplicate: () => new AggError(MESSAGES.DUPLICATE),
    internal: () => new AggError(MESSAGES.INTERNAL),
    malformed: (reason) => new AggError(`${MESSAGES.BAD_BODY}（${reason}）`),
    badField: (field, reason) => new AggError(`参数${FIELD_NAMES[field] ?? field}格式错误`, reason),
  },
  errorResponse: (c, error) => reject(error as AggError, c),
  merchants: [
    {
      // §4's example appid; the secret is the placeholder that reproduces the example's sign
      // (PROVIDERS.md E6: "c1277" and nine x), so the document's request example is accepted as printed.
      merchantId: 'gpu10000000',
      md5Key: 'c1277xxxxxxxxx',
      name: '综合支付测试商户',
    },
  ],
  notifications: { [PAY_CHANNEL]: payChannel },
  announce,
  page: { describe, browserReturn },
  /** `POST /_sim/sign/aggpay {…parameters}` → the same parameters with their sign. */
  signRequest(input, merchant) {
    const params: Record<string, string> = { appid: merchant.merchantId };
    for (const [key, value] of Object.entries(input)) {
      if (key !== 'sign') params[key] = value === null || value === undefined ? '' : String(value);
    }
    return { ...params, sign: requestSign(params, merchant.md5Key ?? '') };
  },
  diagnose,
  codes: AGGPAY_CODES,
});
