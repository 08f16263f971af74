import type { Context } from 'hono';
import type { Merchant } from '../../core/domain.js';
import { annotate } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { MESSAGES } from './codes.js';
import { AggError } from './errors.js';
import { requestSign, signingString } from './signature.js';

export interface Verified {
  params: Record<string, string>;
  merchant: Merchant;
}

/** The merchant, then the sign (§4 请求支付签名: empty values removed, lower-case MD5, compared exactly). */
export function verify(params: Record<string, string>, sim: SimulatorContext, c: Context): Verified {
  annotate(c, { merchantId: params.appid, orderNo: params.order_no });
  if (!params.appid) throw new AggError('缺少参数appid');
  const merchant = sim.store.merchants.get('aggpay', params.appid);
  if (!merchant) throw new AggError(MESSAGES.UNKNOWN_MERCHANT);
  if (!params.sign) throw new AggError('缺少参数sign');
  const expected = requestSign(params, merchant.md5Key ?? '');
  if (params.sign !== expected) {
    throw new AggError(MESSAGES.BAD_SIGN, `expected sign ${expected} (lower case) over: ${signingString(params, '<secret>', false)}`);
  }
  return { params, merchant };
}
