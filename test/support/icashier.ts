import { createHash } from 'node:crypto';

/** The sandbox's default cashier merchants (PROVIDERS.md DMP-2: the document prints none). */
export const ICASHIER_MERCHANT = '880000000000001';
export const ICASHIER_KEY = '4e9b7c2d0a1f36e58c7d2b9a0f1e3c5d';
/** Only WeiXin enabled, no bind-card permission. */
export const SINGLE_MERCHANT = '880000000000002';
export const SINGLE_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** `req` = base64(JSON), `sign` = md5(req + key), written independently of the simulator's codec. */
export function signed(message: unknown, key = ICASHIER_KEY): { req: string; sign: string } {
  const req = Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
  return { req, sign: md5(req + key) };
}

let sequence = 0;
/** A merchant order number unique within the test run: 8–32 letters and digits. */
export const orderId = (prefix = 'T') => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36).padStart(3, '0')}`.toUpperCase().slice(0, 32);

export function submitBody(backurl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { action: 'WeiXin', txnamt: 100, merid: ICASHIER_MERCHANT, orderid: orderId(), backurl, ...overrides };
}

export interface Sealed {
  resp: string;
  sign: string;
  /** The decoded `resp`. */
  message: Record<string, any>;
}

/** Decodes a `{resp, sign}` pair. */
export function unseal(resp: string, sign: string): Sealed {
  return { resp, sign, message: JSON.parse(Buffer.from(resp, 'base64').toString('utf8')) };
}

/** True when `sign` is md5(resp + key), lower case as the sandbox emits it. */
export const sealValid = (sealed: { resp: string; sign: string }, key = ICASHIER_KEY) => sealed.sign === md5(sealed.resp + key);

/** A form body for `req` and `sign`, URL-encoded as the document says. */
export const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** A client that speaks the cashier envelope to the sandbox. */
export function icashierClient(base: string) {
  const postForm = (path: string, params: Record<string, string>) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(params),
      redirect: 'manual',
    });
  const readSealed = async (response: Response): Promise<Sealed & { status: number }> => {
    const status = response.status;
    const body = (await response.json()) as { resp: string; sign: string };
    return { status, ...unseal(body.resp, body.sign) };
  };
  return {
    postForm,
    /** POST /icashier/api/icashier; answers the raw response (a 303 on success). */
    submit: (message: Record<string, unknown>, key = ICASHIER_KEY) => postForm('/icashier/api/icashier', signed(message, key)),
    /** GET /icashier/apis/icashier?req=…&sign=…. */
    submitGet: (message: Record<string, unknown>, key = ICASHIER_KEY) =>
      fetch(`${base}/icashier/apis/icashier?${form(signed(message, key))}`, { redirect: 'manual' }),
    /** POST /icashier/api/query; answers the decoded reply. */
    query: async (message: Record<string, unknown>, key = ICASHIER_KEY) =>
      readSealed(await postForm('/icashier/api/query', signed(message, key))),
    readSealed,
  };
}
