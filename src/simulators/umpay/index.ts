import { createSign } from 'node:crypto';
import { BINDING_KIND, SMS_KIND } from '../../core/kinds.js';
import { encodeText } from '../../core/codec/charset.js';
import { defineSimulator } from '../../core/simulator.js';
import { UMPAY_CODES } from './codes.js';
import { diagnose } from './diagnose.js';
import { UmpayError, umpaySystemError } from './errors.js';
import { PAYMENT_KIND, UMPAY_REFUND_KIND } from './kinds.js';
import { announce, PAY_CHANNEL, payChannel, REFUND_CHANNEL, refundChannel } from './notify.js';
import { browserReturn, choose, describe } from './page.js';
import { failurePage, umpayRoutes } from './routes.js';
import { encryptField, isSensitive } from './sensitive.js';
import { signingString } from './signature.js';

/**
 * UMPay 联动优势 v4.0 (seed 000): quick pay (下单, SMS, confirm; 支付+签约 and
 * 协议支付), unbind, agreement and bank lists, order query, cancel, refund and
 * refund query, and the H5 cashier, on UMPay's own gateway path, RSA-signed
 * both ways, answers in META pages, GET notifications acknowledged with a
 * signed META.
 */
/** The engine's generic field names as UMPay spells them (§3). */
const FIELD_NAMES: Record<string, string> = { notifyUrl: 'notify_url', returnUrl: 'ret_url' };

export default defineSimulator({
  id: 'umpay',
  title: 'UMPay 联动优势 (快捷支付, H5收银台)',
  mount: '/umpay',
  routes: umpayRoutes,
  products: ['quick.pay', 'quick.bind', 'quick.agreement', 'h5.cashier'],
  kinds: [PAYMENT_KIND, UMPAY_REFUND_KIND, BINDING_KIND, SMS_KIND],
  errors: {
    system: () => umpaySystemError(),
    duplicate: (existing) => {
      const [orderId, merDate] = [existing.attributes.orderId, existing.attributes.merDate];
      return new UmpayError('DUPLICATE_ORDER', typeof orderId === 'string' ? `order_id=${orderId}，mer_date=${String(merDate)}` : existing.number);
    },
    internal: () => new UmpayError('INTERNAL'),
    malformed: (reason) => new UmpayError('BAD_FIELD', reason),
    badField: (field, reason) => new UmpayError('BAD_FIELD', FIELD_NAMES[field] ?? field, reason),
  },
  errorResponse: (c, error, { platformKeys }) => failurePage(c, error as UmpayError, platformKeys),
  // The document prints no test merchant (UMP-4); 60000100 is the public SDKs' demo merchant.
  merchants: [
    { merchantId: '60000100', name: '联动优势测试商户', rsaBits: 1024, settings: { products: ['quick', 'h5'] } },
    { merchantId: '60000200', name: '联动优势H5商户（未开通快捷支付）', rsaBits: 1024, settings: { products: ['h5'] } },
  ],
  // The platform certificate the SDKs embed is 1024-bit (research brief §3); served as PEM and .cer.
  keys: { platform: { bits: 1024, certificate: true } },
  notifications: { [PAY_CHANNEL]: payChannel, [REFUND_CHANNEL]: refundChannel },
  announce,
  page: { describe, browserReturn, choose },
  /**
   * `POST /_sim/sign/umpay?merchantId=60000100 {"service":"query_order","order_id":"…","mer_date":"…"}`
   * → every parameter to send: the protocol ones filled in (charset UTF-8,
   * sign_type RSA, res_format HTML, version 4.0, mer_id), sensitive fields
   * encrypted with the platform key, and `sign` over the UTF-8 bytes — as the
   * Node SDK sends them. `?format=form` gives the form body.
   */
  signRequest(input, merchant, { platformKeys }) {
    const fields: Record<string, string> = { charset: 'UTF-8', sign_type: 'RSA', res_format: 'HTML', version: '4.0', mer_id: merchant.merchantId };
    for (const [name, value] of Object.entries(input)) {
      if (value === undefined || value === null || name === 'sign') continue;
      const text = String(value);
      fields[name] = isSensitive(name) && platformKeys ? encryptField(text, platformKeys.certificate ?? platformKeys.publicKey) : text;
    }
    // A merchant registered with only its public key: the sandbox cannot sign for it.
    if (!merchant.privateKey) return { ...fields, warning: `the sandbox holds no private key of ${merchant.merchantId}: sign it yourself` };
    const sign = createSign('RSA-SHA1').update(encodeText(signingString(fields), fields.charset)).sign(merchant.privateKey, 'base64');
    return { ...fields, sign };
  },
  diagnose,
  codes: UMPAY_CODES,
});
