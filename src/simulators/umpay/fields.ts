import { UmpayError } from './errors.js';

/**
 * Field rules of the public SDKs' pre-validation (`regexTypes`, research brief
 * §2), which mirror the platform's: a value that breaks one answers 00990003
 * naming the field.
 */
const RULES: Record<string, { pattern: RegExp; hint: string }> = {
  service: { pattern: /^[a-zA-Z0-9_]{1,32}$/, hint: '字母、数字或下划线，至多32位' },
  mer_id: { pattern: /^[0-9]{1,8}$/, hint: '至多8位数字' },
  mer_date: { pattern: /^[12][0-9]{7}$/, hint: 'YYYYMMDD' },
  amount: { pattern: /^[1-9][0-9]{0,12}$/, hint: '以分为单位的正整数，至多13位' },
  org_amount: { pattern: /^[1-9][0-9]{0,12}$/, hint: '以分为单位的正整数，至多13位' },
  refund_amount: { pattern: /^[1-9][0-9]{0,12}$/, hint: '以分为单位的正整数，至多13位' },
  amt_type: { pattern: /^RMB$/, hint: '须为RMB' },
  expire_time: { pattern: /^[0-9]{1,8}$/, hint: '分钟数' },
  order_id: { pattern: /^\S{1,32}$/, hint: '1至32位，不含空白' },
  trade_no: { pattern: /^\S{1,16}$/, hint: '1至16位' },
  refund_no: { pattern: /^\S{1,16}$/, hint: '1至16位，不含空白' },
  media_type: { pattern: /^(MOBILE|EMAIL|MERUSERID)$/, hint: 'MOBILE、EMAIL或MERUSERID' },
  pay_type: { pattern: /^(CREDITCARD|DEBITCARD)$/, hint: 'CREDITCARD或DEBITCARD' },
  gate_id: { pattern: /^[A-Z]{2,16}$/, hint: '银行简码，如ICBC' },
  mer_cust_id: { pattern: /^\S{1,32}$/, hint: '1至32位，不含空白' },
  usr_busi_agreement_id: { pattern: /^\S{1,64}$/, hint: '1至64位' },
  usr_pay_agreement_id: { pattern: /^\S{1,64}$/, hint: '1至64位' },
  verify_code: { pattern: /^[0-9]{4,8}$/, hint: '短信验证码' },
  notify_url: { pattern: /^https?:\/\/\S{1,120}$/, hint: 'http(s)地址，至多128位' },
  ret_url: { pattern: /^https?:\/\/\S{1,120}$/, hint: 'http(s)地址，至多128位' },
  goods_id: { pattern: /^.{1,8}$/, hint: '至多8位' },
  goods_inf: { pattern: /^.{1,64}$/s, hint: '至多64位' },
  mer_priv: { pattern: /^.{1,128}$/s, hint: '至多128位' },
  expand: { pattern: /^.{1,128}$/s, hint: '至多128位' },
  user_ip: { pattern: /^.{1,16}$/, hint: '至多16位' },
  identity_type: { pattern: /^IDENTITY_CARD$/, hint: '目前仅支持IDENTITY_CARD（身份证）' },
  // Decrypted sensitive values.
  card_id: { pattern: /^[0-9]{12,19}$/, hint: '12至19位数字' },
  valid_date: { pattern: /^[0-9]{2}(0[1-9]|1[0-2])$/, hint: 'YYMM' },
  cvv2: { pattern: /^[0-9]{3}$/, hint: '3位数字' },
  identity_code: { pattern: /^[0-9]{17}[0-9Xx]$/, hint: '18位身份证号' },
  card_holder: { pattern: /^.{1,32}$/, hint: '至多32位' },
};

/** The value of a field the request must carry: 00990002 when absent or empty, 00990003 when malformed. */
export function required(values: Readonly<Record<string, string>>, name: string): string {
  const value = values[name];
  if (value === undefined || value === '') throw new UmpayError('MISSING', name);
  return checked(name, value);
}

/** The value of an optional field, undefined when absent or empty; 00990003 when malformed. */
export function optional(values: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = values[name];
  if (value === undefined || value === '') return undefined;
  return checked(name, value);
}

function checked(name: string, value: string): string {
  const rule = RULES[name];
  if (rule && !rule.pattern.test(value)) throw new UmpayError('BAD_FIELD', `${name}（${rule.hint}）`);
  return value;
}

/** A YYYYMMDD that is a real calendar date. */
export function merDate(values: Readonly<Record<string, string>>, name = 'mer_date'): string {
  const value = required(values, name);
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(4, 6));
  const d = Number(value.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new UmpayError('BAD_FIELD', `${name}（不是有效日期）`);
  }
  return value;
}

/** A fen amount field as a number. */
export function fen(values: Readonly<Record<string, string>>, name: string): number {
  return Number(required(values, name));
}
