import { defineSimulator } from '../../core/simulator.js';
import { PRODUCTS } from './attributes.js';
import { ALLINPAY_CODES } from './codes.js';
import { diagnose } from './diagnose.js';
import { GatewayError } from './errors.js';
import {
  BATCH_FIELDS,
  CANCEL_FIELDS,
  CONFIRM_FIELDS,
  INTERNATIONAL_FIELDS,
  QUERY_FIELDS,
  REFUND_FIELDS,
  REFUND_QUERY_FIELDS,
  WEB_ORDER_SIGNED,
  WEB_ORDER_V2_SIGNED,
  type Fields,
} from './fields.js';
import { KINDS } from './kinds.js';
import { announce, RECEIVE_CHANNEL, receiveChannel } from './notify.js';
import { describe } from './page.js';
import { errorAnswer, namedCharset, textResponse } from './request.js';
import { allinpayRoutes, noteRefusal } from './routes.js';
import { ext1Digest, md5Sign } from './signature.js';

/** Which fields a request of each version signs (the order form's list covers payData's, a subsequence of it). */
const SIGNED_BY_VERSION: Record<string, readonly string[]> = {
  'v1.0': WEB_ORDER_SIGNED,
  'v2.0': WEB_ORDER_V2_SIGNED,
  'v1.5': QUERY_FIELDS,
  'v1.6': BATCH_FIELDS,
  'v2.3': REFUND_FIELDS,
  'v2.4': REFUND_QUERY_FIELDS,
  'v1.8': CANCEL_FIELDS,
  'v1.9': CONFIRM_FIELDS,
};

/**
 * 通联支付 移动支付控件 v2.7 (seed 003): payData orders (POST /mobile/pay) and the
 * web gateway form, the payment control page, notifications to receiveUrl
 * (MD5 or certificate), the single and batch queries, refunds, the refund
 * status query and the international card pre-authorisation, all on the
 * document's paths below `/allinpay`.
 */
/** The engine's generic field names as §2.1 spells them. */
const FIELD_NAMES: Record<string, string> = { notifyUrl: 'receiveUrl', returnUrl: 'pickupUrl' };

export default defineSimulator({
  id: 'allinpay',
  title: '通联支付 移动支付控件 (Allinpay)',
  mount: '/allinpay',
  routes: allinpayRoutes,
  products: PRODUCTS,
  kinds: KINDS,
  errors: {
    system: () => new GatewayError('SYSTEM', '交易结果未知，请查询订单'),
    // A paid order's number answers ZF30002 订单已经支付成功, any other ZF30003 不能重复提交订单.
    duplicate: (existing) =>
      existing.kind === 'order' && ['paid', 'partially_refunded', 'refunded'].includes(existing.state)
        ? new GatewayError('PAID', existing.number)
        : new GatewayError('DUPLICATE', existing.number),
    internal: () => new GatewayError('INTERNAL'),
    malformed: (reason) => new GatewayError('MALFORMED', reason),
    badField: (field, reason) => new GatewayError('MALFORMED', FIELD_NAMES[field] ?? field, reason),
  },
  // Outside a request's phases (a body over the limit, an unknown path): the server interfaces' text form.
  errorResponse: (c, error) => {
    const failure = error as GatewayError;
    noteRefusal(c, failure);
    // The engine's refusals (oversized body, unknown path) name their reason after the text, as the other providers do.
    return textResponse(c, errorAnswer(failure.code, failure.message));
  },
  // §2.1's payData example reproduces with 100020091218001 and key 1234567890 (PROVIDERS.md E2).
  merchants: [
    {
      merchantId: '100020091218001',
      md5Key: '1234567890',
      name: '通联支付测试商户',
      settings: { crossBorder: true, international: true },
    },
    {
      // The refund query example's merchant (§3.8); its key is not printed, so the sandbox chose one.
      merchantId: '100020091218010',
      md5Key: 'sandbox0987654321',
      name: '通联支付人民币商户',
      settings: { crossBorder: false, international: false },
    },
  ],
  // signType 1 answers are signed with "通联的公钥证书" (§5.3): 1024-bit, as the real one's 128-byte signatures.
  keys: { platform: { bits: 1024, certificate: true } },
  notifications: { [RECEIVE_CHANNEL]: receiveChannel },
  announce,
  page: { describe },
  /**
   * `POST /_sim/sign/allinpay?merchantId=…&format=form {"version":"v1.5",…}` →
   * the fields with signMsg, MD5 in the table order of the version's interface.
   * merchantId defaults to the signing merchant's; for an international
   * payment (payType 30) without ext1, ext1 is the §5.4 digest of the fields sent.
   */
  signRequest(input, merchant) {
    const fields: Fields = {};
    for (const [name, value] of Object.entries(input)) if (value !== null && value !== undefined) fields[name] = String(value);
    fields.merchantId ??= merchant.merchantId;
    if (fields.payType === '30' && !fields.ext1 && fields.ship_to_country) fields.ext1 = ext1Digest(fields, INTERNATIONAL_FIELDS);
    const version = fields.version ?? '';
    const signed = Object.hasOwn(SIGNED_BY_VERSION, version) ? SIGNED_BY_VERSION[version] : undefined;
    if (!signed) return { error: `version must be one of ${Object.keys(SIGNED_BY_VERSION).join(', ')}` };
    const charset = namedCharset(fields.inputCharset) ?? 'UTF-8';
    return { ...fields, signMsg: md5Sign(fields, signed, merchant.md5Key ?? '', charset) };
  },
  diagnose,
  codes: ALLINPAY_CODES,
});
