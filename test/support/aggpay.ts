import { callbackSign, requestSign } from '../../src/simulators/aggpay/signature.js';

export const AGG_APPID = 'gpu10000000';
export const AGG_SECRET = 'c1277xxxxxxxxx';

let sequence = 0;
export const aggOrderNo = () => `AG${Date.now().toString(36)}${(sequence++).toString(36)}`.toUpperCase().slice(0, 20);

export function unifiedParams(notifyUrl: string, overrides: Record<string, string> = {}) {
  return {
    appid: AGG_APPID,
    order_no: aggOrderNo(),
    amount: '10000',
    product_name: 'onlinepay',
    bank_code: '912',
    notify_url: notifyUrl,
    return_url: 'https://shop.example/return',
    ...overrides,
  };
}

export const signed = (params: Record<string, string>, secret = AGG_SECRET) => ({ ...params, sign: requestSign(params, secret) });

/** A merchant's client: form POST for the unified order, GET for the query. */
export function aggClient(url: string) {
  return {
    unified: async (params: Record<string, string>) => {
      const response = await fetch(`${url}/aggpay/api/order/unified`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
      return { status: response.status, text: await response.clone().text(), json: (await response.json()) as any };
    },
    query: async (params: Record<string, string>) => {
      const response = await fetch(`${url}/aggpay/api/order/check_order?${new URLSearchParams(params)}`);
      return { status: response.status, text: await response.clone().text(), json: (await response.json()) as any };
    },
  };
}

/** Verifies a form the platform sent (notification or sync return) with the callback rule. */
export function callbackValid(form: Record<string, string>, secret = AGG_SECRET): boolean {
  return form.sign === callbackSign(form, secret);
}
