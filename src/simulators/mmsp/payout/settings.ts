import { z } from 'zod';
import type { Merchant } from '../../../core/domain.js';
import { describeIssue } from '../../../core/scenario-schema.js';
import { PayoutError } from './errors.js';

/** The document's test merchant (代付 §6.5 测试商户号). */
export const TEST_MERCHANT = '001440353999853';

/** Optional request fields a channel may insist on (代付 §5.1.4: "严格按照此示例填写,否则会返回不满足交易渠道要素"). */
export const CHANNEL_ELEMENTS = ['IDCARD', 'BANKPROV', 'BANKCITY', 'BANKBRANCHNAME', 'BANKSETTLENO'] as const;

const fen = z.number().int().min(0).max(1e13);

/** `09:00`, `09:00:00` or `090000` → `090000` (BEGIN_AT/END_AT, China time). */
const timeOfDay = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):?[0-5]\d(?::?[0-5]\d)?$/, 'a time of day: HH:mm, HH:mm:ss or HHmmss')
  .transform((value) => {
    const digits = value.replace(/:/g, '');
    return digits.length === 4 ? `${digits}00` : digits;
  });

/**
 * The merchant's payout channel: what 4099 answers in ACCINFO (代付 §5.3.3)
 * and what every 4097 is checked against (notes 5 and 6: the time window and
 * the single-payout limits).
 */
const channelSchema = z.strictObject({
  /** CHLNO. */
  channelNo: z.string().min(1).max(32).default('MMSPSIM01'),
  /** CHLMERNO; the merchant's own number when absent. */
  channelMerchantNo: z.string().min(1).max(32).optional(),
  /** LIMIT_DOWN / LIMIT_TOP, fen per payout. */
  limitDown: fen.min(1).default(1),
  limitTop: fen.min(1).default(5_000_000),
  /** BEGIN_AT / END_AT, China time; a window that ends before it begins runs over midnight. */
  beginAt: timeOfDay.default('000000'),
  endAt: timeOfDay.default('235959'),
  /** HOLIDAYTYPE: 0 none, 1 advance, 2 balance, 3 either (the sandbox knows no holidays). */
  holidayType: z.number().int().min(0).max(3).default(3),
  /** SETTLE_AT, the settlement hour. */
  settleAt: z.number().int().min(0).max(23).default(16),
  /** SETTLE_TYPE: 1 T1, 2 D1. */
  settleType: z.enum(['1', '2']).default('1'),
});

/**
 * `settings.payout` of an MMSP merchant (merchants.json or POST /_sim/merchants).
 * Amounts in fen. A merchant without it has no account until it is funded
 * (`POST /_sim/accounts/mmsp/{merchantId}/fund`), and then these defaults.
 *
 * @example
 * { "balance": 500000, "fee": 100, "channel": { "beginAt": "09:00", "endAt": "17:00", "limitTop": 2000000 } }
 */
export const payoutSettingsSchema = z.strictObject({
  /** The account's opening 账户余额 (BALANCEPAY), taken when the account is first created. */
  balance: fen.default(0),
  /** The opening 垫资代付余额 (ADVANCEPAY); a T1 merchant has none. */
  advance: fen.default(0),
  /** 待清算金额 (BALANCE in ACCINFO): shown, never paid out from. */
  pending: fen.default(0),
  /** 代付手续费 per payout, reserved with the amount (notes 14); null: 1033 商户费率未配置. */
  fee: fen.nullable().default(200),
  /** MERTYPE: T1 or D0 (notes 2: only D0 merchants have an advance balance). */
  merchantType: z.enum(['T1', 'D0']).default('D0'),
  /** ACCSTATUS: a frozen account answers 1047. */
  accountStatus: z.enum(['active', 'frozen']).default('active'),
  /** 1039 商户交易异常,暂停交易. */
  suspended: z.boolean().default(false),
  /** false: 1032 商户未配置代付渠道. */
  channel: z.union([z.literal(false), channelSchema]).default(() => channelSchema.parse({})),
  /** Optional fields this channel requires (1023 when missing). */
  requiredElements: z.array(z.enum(CHANNEL_ELEMENTS)).default([]),
  /** PAYSTATE 5 (awaiting review) lasts this long, then 2. */
  reviewSeconds: z.number().min(0).max(86_400 * 30).default(10),
  /** PAYSTATE 2 (paying) lasts this long, then 1 (or 3 for a failing card). */
  processingSeconds: z.number().min(0).max(86_400 * 30).default(20),
});

export type PayoutSettings = z.output<typeof payoutSettingsSchema>;
export type PayoutChannel = Exclude<PayoutSettings['channel'], false>;

/**
 * What the test merchant starts with: enough for any test (100,000.00 yuan),
 * plus an advance balance of 20,000.00 yuan for PAYTYPE 3.
 */
export const TEST_MERCHANT_PAYOUT = { balance: 10_000_000, advance: 2_000_000 } as const;

/**
 * The merchant's payout settings with defaults filled, or undefined when it has
 * none (it may still have an account, funded through the admin API). Invalid
 * settings answer 1003 平台配置错误, naming the field.
 */
export function payoutSettings(merchant: Merchant): PayoutSettings | undefined {
  let raw = merchant.settings.payout;
  // A data directory created before payouts existed holds the test merchant without them.
  if (raw === undefined && merchant.source === 'default' && merchant.merchantId === TEST_MERCHANT) raw = TEST_MERCHANT_PAYOUT;
  if (raw === undefined) return undefined;
  const known = typeof raw === 'object' && raw !== null ? parsed.get(raw) : undefined;
  if (known) return known;
  const result = payoutSettingsSchema.safeParse(raw);
  if (!result.success) {
    throw new PayoutError('CONFIG', `商户代付配置settings.payout有误`, {}, `settings.payout: ${describeIssue(result.error)}`);
  }
  if (typeof raw === 'object' && raw !== null) parsed.set(raw, Object.freeze(result.data));
  return result.data;
}

/**
 * Settings already parsed, by the object they were read from: a payout request read them two or three times, a zod
 * parse each. The store reads a merchant's settings anew whenever they are written, so an edit is a new object.
 */
const parsed = new WeakMap<object, PayoutSettings>();

/** {@link payoutSettings}, with every default for a merchant that has an account but no settings. */
export function effectiveSettings(merchant: Merchant): PayoutSettings {
  return payoutSettings(merchant) ?? (defaults ??= Object.freeze(payoutSettingsSchema.parse({})));
}

/** Every default, parsed once (a merchant funded without settings read them on each request). */
let defaults: PayoutSettings | undefined;
