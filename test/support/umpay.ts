import iconv from 'iconv-lite';
import forge from 'node-forge';

/**
 * A merchant that speaks UMPay 4.0 to the sandbox, written apart from the
 * simulator: node-forge for RSA (the sandbox uses node:crypto), the public
 * Node SDK's way of reading the META answer, iconv for GBK.
 */

export const MER_ID = '60000100';
/** A merchant with only the H5 cashier (no quick pay). */
export const H5_MER_ID = '60000200';
export const GATEWAY = '/umpay/spay/pay/payservice.do';

/** The shared test cards (core/test-cards.ts), as a merchant's user would type them. */
export const CARDS = {
  icbcDebit: { card_id: '6222021307418529630', card_holder: '张三', identity_code: '110105199003071239', media_id: '13800138000', gate_id: 'ICBC', pay_type: 'DEBITCARD' },
  ccbDebit: { card_id: '6217001307418529634', card_holder: '李四', identity_code: '310104198506122348', media_id: '13900139000', gate_id: 'CCB', pay_type: 'DEBITCARD' },
  bocCredit: { card_id: '4563517307418529', card_holder: '赵六', identity_code: '510107198808094561', media_id: '13600136000', gate_id: 'BOC', pay_type: 'CREDITCARD', valid_date: '3012', cvv2: '123' },
  commDeclined: { card_id: '6222600307418529639', card_holder: '周八', identity_code: '320102198701016785', media_id: '13400134000', gate_id: 'COMM', pay_type: 'DEBITCARD' },
  cmbInsufficient: { card_id: '6214830307418529638', card_holder: '吴九', identity_code: '420106199304157895', media_id: '13300133000', gate_id: 'CMB', pay_type: 'DEBITCARD' },
  cmbcExpired: { card_id: '6226090307418521', card_holder: '郑十', identity_code: '120101198001018903', media_id: '13200132000', gate_id: 'CMBC', pay_type: 'CREDITCARD', valid_date: '2401', cvv2: '789' },
} as const;
export type TestCard = (typeof CARDS)[keyof typeof CARDS];

export const SENSITIVE = ['card_id', 'valid_date', 'cvv2', 'card_holder', 'identity_code', 'pass_wd'];

export interface UmpayKeys {
  merchantPrivateKey: string;
  merchantPublicKey: string;
  platformCertificate: string;
  platformPublicKey: string;
}

/** The keys as `GET /_sim/keys` serves them. */
export async function loadKeys(get: (path: string) => Promise<any>, merId = MER_ID): Promise<UmpayKeys> {
  const keys = await get('/_sim/keys');
  const merchant = keys.merchants.find((m: { provider: string; merchantId: string }) => m.provider === 'umpay' && m.merchantId === merId);
  return {
    merchantPrivateKey: merchant.privateKey,
    merchantPublicKey: merchant.publicKey,
    platformCertificate: keys.platform.umpay.certificate,
    platformPublicKey: keys.platform.umpay.publicKey,
  };
}

/** The sorted `k=v&…` without sign and sign_type. */
export function plain(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

const bytesOf = (text: string, encoding: 'utf8' | 'gbk') => (encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8'));

/** SHA1withRSA with node-forge, base64. */
export function rsaSign(text: string, privateKeyPem: string, encoding: 'utf8' | 'gbk' = 'utf8'): string {
  const md = forge.md.sha1.create();
  md.update(bytesOf(text, encoding).toString('binary'));
  return forge.util.encode64((forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey).sign(md));
}

export function rsaVerify(bytes: Buffer, sign: string, publicKeyOrCertPem: string): boolean {
  const key = publicKeyOrCertPem.includes('CERTIFICATE')
    ? (forge.pki.certificateFromPem(publicKeyOrCertPem).publicKey as forge.pki.rsa.PublicKey)
    : (forge.pki.publicKeyFromPem(publicKeyOrCertPem) as forge.pki.rsa.PublicKey);
  const md = forge.md.sha1.create();
  md.update(bytes.toString('binary'));
  try {
    return key.verify(md.digest().bytes(), forge.util.decode64(sign));
  } catch {
    return false;
  }
}

/** What an SDK does to a sensitive field: PKCS#1 v1.5 with the platform certificate's key, over GBK, base64. */
export function encrypt(value: string, certificatePem: string): string {
  const key = forge.pki.certificateFromPem(certificatePem).publicKey as forge.pki.rsa.PublicKey;
  return forge.util.encode64(key.encrypt(iconv.encode(value, 'gbk').toString('binary'), 'RSAES-PKCS1-V1_5'));
}

/** Form encoding of the bytes of `charset` (a GBK form writes 中 as %D6%D0). */
export function formEncode(fields: Record<string, string>, charset = 'UTF-8'): string {
  const enc = (text: string) =>
    [...(charset === 'UTF-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, charset))]
      .map((b) => (/[A-Za-z0-9*\-._]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
      .join('');
  return Object.entries(fields)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
}

/**
 * The answer read the way the public Node SDK reads it (research brief §5):
 * from the first `CONTENT` + 9 characters to `</head`, cut at `">`, items split
 * on `&` and at their first `=`, then verified over the GBK bytes of the
 * sorted items without sign and sign_type.
 */
export function readMeta(html: string, platformCertificate: string): { fields: Record<string, string>; signValid: boolean } {
  let meta = html.substring(html.indexOf('CONTENT') + 9, html.indexOf('</head'));
  meta = meta.substring(0, meta.indexOf('">'));
  const fields: Record<string, string> = {};
  for (const item of meta.split('&')) {
    const at = item.indexOf('=');
    if (at > 0) fields[item.slice(0, at)] = item.slice(at + 1);
  }
  const signValid = fields.sign !== undefined && rsaVerify(iconv.encode(plain(fields), 'gbk'), fields.sign, platformCertificate);
  return { fields, signValid };
}

export interface Answer {
  status: number;
  contentType: string;
  html: string;
  fields: Record<string, string>;
  signValid: boolean;
  location: string | null;
}

export interface SendOptions {
  method?: 'GET' | 'POST';
  charset?: string;
  /** Bytes the merchant signs: the Node SDK signs UTF-8, the Java one GBK. */
  signWith?: 'utf8' | 'gbk';
  /** Leave sensitive fields in plaintext (a bad request). */
  plaintext?: boolean;
  /** Change fields after signing (tampering). */
  after?: (fields: Record<string, string>) => void;
  merId?: string;
  keys?: UmpayKeys;
}

/** A merchant's UMPay client against the sandbox. */
export function umpayClient(base: string, keys: UmpayKeys) {
  /** The signed parameters of a request, as an SDK builds them. */
  function build(service: string, params: Record<string, string>, options: SendOptions = {}): Record<string, string> {
    const use = options.keys ?? keys;
    const charset = options.charset ?? 'UTF-8';
    const fields: Record<string, string> = { service, charset, mer_id: options.merId ?? MER_ID, sign_type: 'RSA', res_format: 'HTML', version: '4.0' };
    for (const [k, v] of Object.entries(params)) {
      fields[k] = SENSITIVE.includes(k) && !options.plaintext ? encrypt(v, use.platformCertificate) : v;
    }
    fields.sign = rsaSign(plain(fields), use.merchantPrivateKey, options.signWith ?? (charset === 'UTF-8' ? 'utf8' : 'gbk'));
    options.after?.(fields);
    return fields;
  }

  async function send(fields: Record<string, string>, options: SendOptions = {}): Promise<Answer> {
    const charset = options.charset ?? fields.charset ?? 'UTF-8';
    const method = options.method ?? 'POST';
    const url = `${base}${GATEWAY}`;
    const response =
      method === 'GET'
        ? await fetch(`${url}?${formEncode(fields, 'UTF-8')}`, { redirect: 'manual' })
        : await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: formEncode(fields, ['UTF-8', 'GBK', 'GB2312', 'GB18030'].includes(charset) ? charset : 'UTF-8'),
            redirect: 'manual',
          });
    const bytes = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? '';
    const responseCharset = /charset=([^;]+)/i.exec(contentType)?.[1] ?? 'UTF-8';
    const html = iconv.decode(bytes, responseCharset);
    const meta = html.includes('MobilePayPlatform') ? readMeta(html, keys.platformCertificate) : { fields: {}, signValid: false };
    return { status: response.status, contentType, html, ...meta, location: response.headers.get('location') };
  }

  return {
    build,
    send,
    call: (service: string, params: Record<string, string>, options: SendOptions = {}) => send(build(service, params, options), options),
  };
}

export type UmpayClient = ReturnType<typeof umpayClient>;

let sequence = 0;
/** A merchant order number unique within the run. */
export const orderId = (prefix = 'U') => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36).padStart(3, '0')}`.toUpperCase();

/** mer_date of the sandbox's clock (China date). */
export async function merDateOf(get: (path: string) => Promise<any>): Promise<string> {
  const { now } = await get('/_sim/health');
  return new Date(Date.parse(now) + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The elements an SMS request sends for a card, for the tags payElements listed. */
export function elementsFor(card: TestCard, payElements: string): Record<string, string> {
  const out: Record<string, string> = { media_id: card.media_id, media_type: 'MOBILE' };
  const all: Record<string, string | undefined> = {
    card_id: card.card_id,
    card_holder: card.card_holder,
    identity_type: 'IDENTITY_CARD',
    identity_code: card.identity_code,
    valid_date: 'valid_date' in card ? card.valid_date : undefined,
    cvv2: 'cvv2' in card ? card.cvv2 : undefined,
  };
  for (const tag of payElements.split(',').filter(Boolean)) {
    const value = all[tag.trim()];
    if (value !== undefined) out[tag.trim()] = value;
  }
  return out;
}

/** A merchant's acknowledgement of a notification: the META page with its own signed answer. */
export function ackPage(fields: Record<string, string>, privateKeyPem: string, options: { terminator?: string; encoding?: 'utf8' | 'gbk' } = {}): string {
  const sign = rsaSign(plain(fields), privateKeyPem, options.encoding ?? 'utf8');
  const content = [...Object.entries(fields), ['sign_type', 'RSA'], ['sign', sign]].map(([k, v]) => `${k}=${v}`).join('&');
  return `<html><head><META NAME="MobilePayPlatform" CONTENT="${content}"${options.terminator ?? ' />'}</head><body></body></html>`;
}

/** Quick-pay steps, from the order to the confirm, for tests that need a paid (or placed) order. */
export function quickPay(client: UmpayClient, sim: { get: (path: string) => Promise<any> }) {
  async function place(card: TestCard, params: Record<string, string> = {}, options: SendOptions = {}) {
    const mer_date = params.mer_date ?? (await merDateOf(sim.get));
    const order_id = params.order_id ?? orderId();
    const answer = await client.call(
      'apply_pay_shortcut',
      { order_id, mer_date, amount: '100', amt_type: 'RMB', pay_type: card.pay_type, gate_id: card.gate_id, ...params },
      options,
    );
    return { order_id, mer_date, orderNo: `${order_id}:${mer_date}`, answer, trade_no: answer.fields.trade_no ?? '', payElements: answer.fields.payElements ?? '' };
  }
  async function sms(card: TestCard, placed: { trade_no: string; payElements: string }, extra: Record<string, string> = {}, options: SendOptions = {}) {
    return client.call('sms_req_shortcut', { trade_no: placed.trade_no, ...elementsFor(card, placed.payElements), ...extra }, options);
  }
  async function smsCode(orderNo: string): Promise<string> {
    const [order] = await sim.get(`/_sim/orders?provider=umpay&orderNo=${encodeURIComponent(orderNo)}`);
    return order.smsCode;
  }
  async function confirm(card: TestCard, placed: { trade_no: string; orderNo: string }, extra: Record<string, string> = {}, options: SendOptions = {}) {
    const verify_code = extra.verify_code ?? (await smsCode(placed.orderNo));
    return client.call('confirm_pay_shortcut', { trade_no: placed.trade_no, verify_code, media_id: card.media_id, media_type: 'MOBILE', ...extra }, options);
  }
  /** Order, SMS and confirm: answers the three answers and the order's identity. */
  async function pay(card: TestCard, params: Record<string, string> = {}) {
    const placed = await place(card, params);
    const smsAnswer = await sms(card, placed);
    const confirmAnswer = await confirm(card, placed);
    return { ...placed, smsAnswer, confirmAnswer };
  }
  return { place, sms, smsCode, confirm, pay };
}
