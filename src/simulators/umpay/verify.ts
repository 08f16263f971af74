import type { Context } from 'hono';
import { annotate } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { UmpayError } from './errors.js';
import { optional, required } from './fields.js';
import type { UmpayRequest } from './params.js';
import { decryptField, isSensitive } from './sensitive.js';
import type { Product, ServiceDefinition, VerifiedRequest } from './service.js';
import { orderNumber } from './services/common.js';
import { signingString, verifyMerchantSign } from './signature.js';

/** Products a merchant has (`settings.products`); a merchant without the setting has both. */
export function productsOf(settings: Record<string, unknown>): Product[] {
  const raw = settings.products;
  return Array.isArray(raw) ? (['quick', 'h5'] as const).filter((p) => raw.includes(p)) : ['quick', 'h5'];
}

/**
 * The checks every service shares, in the order a refusal is most useful:
 * charset, service, merchant, protocol parameters, signature, product. A
 * refusal names the parameter at fault; a bad signature leaves the exact
 * string expected to be signed in the journal.
 */
export function verifyRequest(
  request: UmpayRequest,
  services: ReadonlyMap<string, ServiceDefinition>,
  sim: SimulatorContext,
  c: Context,
): VerifiedRequest {
  const { fields } = request;
  if (request.declaredCharset === undefined || request.declaredCharset === '') throw new UmpayError('MISSING', 'charset');
  if (request.charset === null) throw new UmpayError('BAD_CHARSET', `${request.declaredCharset}（支持UTF-8、GBK、GB2312、GB18030）`);
  annotate(c, { charset: request.charset });
  if (request.undecodable) {
    throw new UmpayError('BAD_CHARSET', `${request.undecodable}的内容不是合法的UTF-8编码`, 'the body is not UTF-8 although charset=UTF-8: declare the charset the bytes are in (GBK?)');
  }
  const name = required(fields, 'service');
  const service = services.get(name);
  if (!service) throw new UmpayError('UNKNOWN_SERVICE', name);
  annotate(c, { operation: `${service.name} ${service.title}` });

  const merId = required(fields, 'mer_id');
  // The order the request names, so a refused one (a bad sign) still shows on that order's timeline.
  const named = fields.order_id && fields.mer_date ? orderNumber(fields.order_id, fields.mer_date) : fields.trade_no;
  annotate(c, { merchantId: merId, ...(named ? { orderNo: named } : {}) });
  const merchant = sim.store.merchants.get('umpay', merId);
  if (!merchant) throw new UmpayError('UNKNOWN_MERCHANT', merId);
  if (required(fields, 'sign_type') !== 'RSA') throw new UmpayError('BAD_FIELD', 'sign_type（暂只支持RSA，必须大写）');
  if (required(fields, 'version') !== '4.0') throw new UmpayError('BAD_FIELD', 'version（暂定值4.0）');
  const format = optional(fields, 'res_format');
  if (format !== undefined && format !== 'HTML') throw new UmpayError('BAD_FIELD', 'res_format（暂只支持HTML）');

  const sign = required(fields, 'sign');
  const text = signingString(fields);
  if (!merchant.publicKey) throw new UmpayError('BAD_SIGN', undefined, `merchant ${merId} has no public key registered`);
  if (!verifyMerchantSign(text, sign, merchant.publicKey, request.charset)) {
    const restored = request.plusRestored.length ? `; spaces in ${request.plusRestored.join(', ')} were read as '+'` : '';
    throw new UmpayError(
      'BAD_SIGN',
      undefined,
      `SHA1withRSA over the ${request.charset}, UTF-8 or GBK bytes of: ${text}${restored}`,
    );
  }
  if (service.product && !productsOf(merchant.settings).includes(service.product)) throw new UmpayError('PRODUCT_CLOSED', service.name);

  const keys = sim.platformKeys();
  const values = { ...fields };
  for (const [field, value] of Object.entries(fields)) {
    if (!isSensitive(field) || value === '') continue;
    const plain = keys ? decryptField(value, keys.privateKey) : undefined;
    if (plain === undefined) {
      throw new UmpayError('DECRYPT', field, `${field} must be RSA (PKCS#1 v1.5) ciphertext of the GBK bytes under the platform public key, base64`);
    }
    values[field] = plain;
  }
  return { service, merchant, charset: request.charset, fields, values };
}
