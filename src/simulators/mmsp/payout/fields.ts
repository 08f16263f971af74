import type { RetcodeName } from './codes.js';
import { PayoutError } from './errors.js';
import { isProvince } from './banks.js';

/**
 * The request tables of 代付 §5.1.2, §5.2.2 and §5.3.2 as rules, in table
 * order (the first broken rule answers). A value may be a JSON string or a
 * number (the examples send `"CMDID": "4097"` for an int, PROVIDERS.md §2.2);
 * "" and null count as not sent. A required field that is missing answers
 * 1001 参数错误; a malformed one answers its own code where §6.2 has one.
 * Lengths follow the tables; where an example contradicts them the longer
 * wins (PROVIDERS.md MMSP-9). Fields the tables do not list are ignored
 * (MMSP-10, e.g. the 4098 example's QRYTYPE).
 */
export interface FieldRule {
  required: boolean;
  max: number;
  /** The RETCODE of a malformed value. */
  code: RetcodeName;
  /** What a well-formed value looks like, for the answer's RETMSG. */
  shape?: string;
  valid?: (value: string) => boolean;
}

const rule = <Required extends boolean>(
  required: Required,
  max: number,
  code: RetcodeName,
  shape?: string,
  valid?: (value: string) => boolean,
): FieldRule & { required: Required } => ({
  required,
  max,
  code,
  ...(shape ? { shape } : {}),
  ...(valid ? { valid } : {}),
});

const digits = (value: string) => /^\d+$/.test(value);

/** `YYYYMMDDhhmmss`, a real date and time. */
export function isCompactTime(value: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return false;
  const [, Y, M, D, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(Y!, M! - 1, D!));
  return date.getUTCMonth() === M! - 1 && date.getUTCDate() === D! && h! < 24 && mi! < 60 && s! < 60;
}

/** An 18-character resident ID with its GB 11643 check character. */
export function isResidentId(value: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(value)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, i) => total + weight * Number(value[i]), 0);
  return '10X98765432'[sum % 11] === value[17]!.toUpperCase();
}

/** 代付 §6.3 业务类型定义. */
export const BUSINESS_TYPES: Record<string, string> = {
  '001': '业务往来款',
  '002': '员工工资',
  '003': '报销',
  '004': '合作款项',
  '005': '赔付保金',
  '999': '其他',
};

/** A payee name: no digits, no control characters (a personal name or a company's). */
const isName = (value: string) => !/[\d\p{Cc}]/u.test(value);

/** 5.1.2 单笔代付 (CMDID, VERSION and MERNO are checked before, with the envelope). */
export const PAYOUT_RULES = {
  ORDERNO: rule(true, 32, 'PARAM', '纯数字，最长32位', digits),
  REQTIME: rule(true, 14, 'PARAM', 'YYYYMMDDhhmmss', isCompactTime),
  AMT: rule(true, 12, 'AMOUNT', '以分为单位的正整数，不大于一千万', (v) => /^[1-9]\d*$/.test(v) && Number(v) <= 10_000_000),
  BUSIYPE: rule(true, 3, 'BUSINESS', `取值${Object.keys(BUSINESS_TYPES).join('、')}`, (v) => Object.hasOwn(BUSINESS_TYPES, v)),
  ACCNAME: rule(true, 20, 'NAME', '收款人银行卡户名，不含数字', isName),
  ACCNO: rule(true, 20, 'ACCOUNT_NO', '纯数字', digits),
  MEMO: rule(true, 64, 'PARAM'),
  PAYTYPE: rule(false, 1, 'PARAM', '1余额支付、2企业网银或3垫资支付', (v) => ['1', '2', '3'].includes(v)),
  ACCTYPE: rule(true, 1, 'ACCOUNT_TYPE', '0借记卡或2对公账号（暂不支持1贷记卡）', (v) => ['0', '1', '2'].includes(v)),
  CVV2: rule(false, 3, 'PARAM', '3位数字', (v) => /^\d{3}$/.test(v)),
  MOBILE: rule(true, 11, 'MOBILE', '11位手机号码', (v) => /^1\d{10}$/.test(v)),
  BANKNAME: rule(true, 40, 'BANK_NAME'),
  // string(10) in the table, yet 联行号 have 12 digits (MMSP-9).
  BANKSETTLENO: rule(false, 12, 'SETTLE_NO', '10至12位数字的联行号', (v) => /^\d{10,12}$/.test(v)),
  BANKBRANCHNAME: rule(false, 32, 'PARAM'),
  BANKPROV: rule(false, 16, 'PROVINCE', '省份名称，直辖市写北京、上海、重庆、天津，其他写XX省', isProvince),
  BANKCITY: rule(false, 32, 'PARAM'),
  IDCARD: rule(false, 32, 'ID_TYPE', '18位居民身份证号码', isResidentId),
  CHLNO: rule(false, 32, 'PARAM'),
  CHLMERNO: rule(false, 32, 'PARAM'),
} satisfies Record<string, FieldRule>;

/** 5.2.2 单笔代付结果查询: ORDERNO or BSORDERNO (both empty: 1027, checked by the command). */
export const QUERY_RULES = {
  ORDERNO: rule(false, 32, 'PARAM', '纯数字，最长32位', digits),
  BSORDERNO: rule(false, 32, 'PARAM', '纯数字', digits),
  REQTIME: rule(true, 14, 'PARAM', 'YYYYMMDDhhmmss', isCompactTime),
} satisfies Record<string, FieldRule>;

/** 5.3.2 账户余额查询: "目前只支持查询商户余额" — QRYTYPE 1 only. */
export const BALANCE_RULES = {
  QRYTYPE: rule(true, 1, 'PARAM', '1（目前只支持查询商户余额）', (v) => v === '1'),
  ORDERNO: rule(true, 32, 'PARAM', '纯数字（余额查询流水）', digits),
  REQTIME: rule(true, 14, 'PARAM', 'YYYYMMDDhhmmss', isCompactTime),
} satisfies Record<string, FieldRule>;

type Values<R extends Record<string, FieldRule>> = {
  [K in keyof R]: R[K]['required'] extends true ? string : string | undefined;
};

/** A JSON value as the text the tables mean: strings as they are, finite numbers in decimal; anything else is malformed. */
function asText(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * Reads the fields of a table from the plaintext, or throws the RETCODE of the
 * first broken rule, with a RETMSG naming the field.
 */
export function readFields<R extends Record<string, FieldRule>>(rules: R, plaintext: Record<string, unknown>): Values<R> {
  const out: Record<string, string | undefined> = {};
  for (const [field, r] of Object.entries(rules)) {
    const value = asText(plaintext[field]);
    if (value === undefined) {
      if (r.required) throw new PayoutError('PARAM', `缺少必填字段${field}`);
      out[field] = undefined;
      continue;
    }
    const shape = r.shape ? `，应为${r.shape}` : '';
    if (value === null) throw new PayoutError(r.code, `${field}必须为字符串${shape}`);
    if ([...value].length > r.max) throw new PayoutError(r.code, `${field}长度不能超过${r.max}${shape}`);
    if (r.valid && !r.valid(value)) throw new PayoutError(r.code, `${field}格式错误${shape}`);
    out[field] = value;
  }
  return out as Values<R>;
}

/**
 * The document's own spellings and their corrections (PROVIDERS.md MMSP-8):
 * requests may use either; the first one present wins.
 */
export function withAliases(plaintext: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...plaintext };
  const alias = (field: string, ...others: string[]) => {
    if (asText(copy[field]) !== undefined) return;
    const found = others.find((other) => asText(copy[other]) !== undefined);
    if (found) copy[field] = copy[found];
  };
  alias('MERNO', 'MERNNO', 'MERN0');
  alias('BUSIYPE', 'BUSITYPE');
  return copy;
}

/** The CMDID as a number: an int, or its decimal string as the examples send it. */
export function commandIdOf(plaintext: Record<string, unknown>): number | undefined {
  const text = asText(plaintext.CMDID);
  return text && /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}

/** The text of a header field (MERNO, VERSION), undefined when absent or not text. */
export function headerText(plaintext: Record<string, unknown>, field: string): string | undefined {
  return asText(plaintext[field]) ?? undefined;
}
