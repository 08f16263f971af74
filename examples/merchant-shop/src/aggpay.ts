import { createHash } from 'node:crypto';

/**
 * The shop's client of the aggregated pay platform (综合支付平台), from its
 * document: form requests signed with md5 over the sorted `k=v` pairs plus
 * `secret`, lower case; empty values dropped from requests, kept in what the
 * platform sends.
 */
export interface AggpayConfig {
  /** The platform's base URL: the provider's, or `${sandbox.url}/aggpay`. */
  baseUrl: string;
  appid: string;
  secret: string;
  timeoutMs?: number;
}

export function aggpaySign(params: Record<string, string>, secret: string, keepEmpty: boolean): string {
  const text = Object.entries({ ...params, secret })
    .filter(([k, v]) => k !== 'sign' && (keepEmpty || v !== ''))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export interface AggAnswer {
  status: string;
  message: string;
  data: Record<string, unknown>;
}

export class AggpayUnreachable extends Error {}

export function aggpayClient(config: AggpayConfig) {
  const request = async (path: string, params: Record<string, string>, method: 'GET' | 'POST'): Promise<AggAnswer> => {
    const fields = { ...params, appid: config.appid };
    const signed = new URLSearchParams({ ...fields, sign: aggpaySign(fields, config.secret, false) });
    try {
      const response = await fetch(method === 'GET' ? `${config.baseUrl}${path}?${signed}` : `${config.baseUrl}${path}`, {
        method,
        ...(method === 'POST' ? { body: signed, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
        signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
      });
      if (!response.ok) throw new AggpayUnreachable(`HTTP ${response.status}`);
      return (await response.json()) as AggAnswer;
    } catch (error) {
      throw error instanceof AggpayUnreachable ? error : new AggpayUnreachable((error as Error).message);
    }
  };
  return {
    unified: (params: Record<string, string>) => request('/api/order/unified', params, 'POST'),
    checkOrder: (orderNo: string) => request('/api/order/check_order', { order_no: orderNo }, 'GET'),
    /** A notification's or sync return's sign: the callback rule keeps empty values (§4, "不删除空值"). */
    callbackValid: (fields: Record<string, string>) => fields.sign === aggpaySign(fields, config.secret, true),
  };
}
