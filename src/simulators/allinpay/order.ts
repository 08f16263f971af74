import type { Context } from 'hono';
import type { Merchant, Order } from '../../core/domain.js';
import { isAwaitingPayment } from '../../core/domain.js';
import { annotate } from '../../core/exchange.js';
import { sequenceNumber } from '../../core/numbers.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { isInternational, productOf, succeeded, type AllinpayAttributes, type Channel } from './attributes.js';
import type { GatewayErrorName } from './codes.js';
import { CROSS_BORDER, currencyOf, INTERNATIONAL, isRmb } from './currency.js';
import { GatewayError } from './errors.js';
import { INTERNATIONAL_FIELDS, INTERNATIONAL_REQUIRED, PAY_DATA_SIGNED, WEB_ORDER_SIGNED, WEB_ORDER_V2_SIGNED, type Fields } from './fields.js';
import { checkSignature, merchantOf, namedCharset } from './request.js';
import { ext1Digest, signSource } from './signature.js';
import { parseCompact } from './time.js';

/** The document states no expiry (ALP-20): an unpaid order closes after 24 hours, or orderExpireDatetime minutes (web). */
export const ORDER_TTL_MS = 24 * 3600 * 1000;

/** paymentOrderId (通联订单号, 50 characters at most): the China date and the order sequence, 18 digits as the real ones. */
export const PAYMENT_ORDER_ID_LENGTH = 18;

interface Rule {
  error: GatewayErrorName;
  required?: boolean;
  /** True when the (non-empty) value is acceptable; a string says what is wrong. */
  test?: (value: string) => boolean | string;
}

const HTTP_URL = (value: string) => (/^https?:\/\/[^\s/?#]+\S*$/i.test(value) && URL.canParse(value)) || '须为http或https地址';
const maxLength = (max: number) => (value: string) => value.length <= max || `长度不能超过${max}`;
const oneOf =
  (...values: string[]) =>
  (value: string) =>
    values.includes(value) || `取值须为${values.join('、')}`;
const DATETIME = (value: string) => parseCompact(value) !== undefined || '须为yyyyMMddHHmmss';

/** orderNo: "字母、数字、-、_ 及其组合" (§3.1), 50 at most. */
export const ORDER_NO = /^[A-Za-z0-9_-]{1,50}$/;
/** Amounts: positive integers of the currency's minor unit, 10 digits at most (the result tables' length). */
export const AMOUNT = /^[1-9]\d{0,9}$/;

const MOBILE_PAY_TYPES = ['0', '00', '27', '30'];
/** Web payType values public clients send (research brief §3): 0 all, 1/4/11 online banking, 23 foreign card, 28 authentication, 33 H5. */
const WEB_PAY_TYPES = ['0', '1', '4', '11', '23', '27', '28', '30', '33'];

/** §2.1 payData, field by field, in the table's order. */
const PAY_DATA_RULES: Record<string, Rule> = {
  receiveUrl: { error: 'RECEIVE_URL', required: true, test: (v) => maxLength(1024)(v) === true && HTTP_URL(v) },
  language: { error: 'LANGUAGE', test: oneOf('1', '2', '3') },
  orderNo: { error: 'ORDER_NO', required: true, test: (v) => ORDER_NO.test(v) || '须为1-50位字母、数字、-、_' },
  orderAmount: { error: 'AMOUNT', required: true, test: (v) => AMOUNT.test(v) || '须为正整数，单位为币种的最小单位' },
  orderDatetime: { error: 'ORDER_DATETIME', required: true, test: DATETIME },
  productName: { error: 'PRODUCT_NAME', required: true, test: maxLength(256) },
  ext1: { error: 'EXT1', test: maxLength(128) },
  payType: { error: 'PAY_TYPE', required: true, test: oneOf(...MOBILE_PAY_TYPES) },
  tradeNature: { error: 'PAY_TYPE', test: oneOf('GOODS', 'SERVICES') },
  cardNo: { error: 'CARD_NO', test: (v) => /^\d{12,19}$/.test(v) || '须为12-19位数字' },
};

/** The web form: the same checks, plus its own fields (lengths from the SDK, research brief §3). */
const WEB_RULES: Record<string, Rule> = {
  pickupUrl: { error: 'PICKUP_URL', test: (v) => maxLength(1024)(v) === true && HTTP_URL(v) },
  receiveUrl: { error: 'RECEIVE_URL', test: (v) => maxLength(1024)(v) === true && HTTP_URL(v) },
  language: PAY_DATA_RULES.language!,
  payerName: { error: 'PAYER_NAME', test: maxLength(32) },
  payerEmail: { error: 'PAYER_EMAIL', test: (v) => (v.length <= 50 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) || '须为50位以内的email地址' },
  payerTelephone: { error: 'PAYER_PHONE', test: (v) => /^[\d-]{1,16}$/.test(v) || '须为16位以内的数字或-' },
  orderNo: PAY_DATA_RULES.orderNo!,
  orderAmount: PAY_DATA_RULES.orderAmount!,
  orderDatetime: PAY_DATA_RULES.orderDatetime!,
  orderExpireDatetime: { error: 'ORDER_DATETIME', test: (v) => /^[1-9]\d{0,3}$/.test(v) || 'orderExpireDatetime须为1-9999分钟' },
  productName: { error: 'PRODUCT_NAME', test: maxLength(256) },
  productPrice: { error: 'AMOUNT', test: (v) => /^\d{1,10}$/.test(v) || 'productPrice须为整数' },
  productNum: { error: 'PRODUCT_NUM', test: (v) => /^[1-9]\d{0,8}$/.test(v) || '须为正整数' },
  productId: { error: 'PRODUCT_ID', test: maxLength(20) },
  productDesc: { error: 'PRODUCT_DESC', test: maxLength(400) },
  ext1: PAY_DATA_RULES.ext1!,
  ext2: { error: 'EXT2', test: maxLength(128) },
  payType: { error: 'PAY_TYPE', test: oneOf(...WEB_PAY_TYPES) },
  issuerId: { error: 'ISSUER', test: maxLength(20) },
  tradeNature: PAY_DATA_RULES.tradeNature!,
};

function check(fields: Fields, rules: Record<string, Rule>): void {
  for (const [name, rule] of Object.entries(rules)) {
    const value = fields[name] ?? '';
    if (value === '') {
      if (rule.required) throw new GatewayError(rule.error, `${name}不能为空`);
      continue;
    }
    const verdict = rule.test?.(value) ?? true;
    if (verdict !== true) throw new GatewayError(rule.error, `${name}${verdict === false ? '不正确' : verdict}`);
  }
}

/** An order as submitted: the fields (international ones included), how they came, and the charset they were read in. */
export interface Submission {
  channel: Channel;
  fields: Fields;
  charset: string;
}

/** The checks both channels share before anything else: charset (10001), version (ZF10019), merchant, signType. */
export function checkEnvelope(sim: SimulatorContext, submission: Submission, c: Context): Merchant {
  const { fields, channel } = submission;
  annotate(c, { operation: channel === 'mobile' ? 'payData 支付请求 v1.0' : `网关订单 ${fields.version}`, orderNo: fields.orderNo });
  if (namedCharset(fields.inputCharset) === undefined) throw new GatewayError('CHARSET', `inputCharset=${fields.inputCharset ?? ''}`);
  const versions = channel === 'mobile' ? ['v1.0'] : ['v1.0', 'v2.0'];
  if (!versions.includes(fields.version ?? '')) throw new GatewayError('VERSION', `version须为${versions.join('或')}`);
  const merchant = merchantOf(sim, fields.merchantId);
  annotate(c, { merchantId: merchant.merchantId });
  if (fields.signType !== '0' && fields.signType !== '1') throw new GatewayError('SIGN_TYPE', 'signType须为0或1');
  return merchant;
}

/** The fields signed for this submission: payData's table, or the web form's (v2.0 without payType and issuerId). */
export function signedFieldsOf(submission: Submission): readonly string[] {
  if (submission.channel === 'mobile') return PAY_DATA_SIGNED;
  return submission.fields.version === 'v2.0' ? WEB_ORDER_V2_SIGNED : WEB_ORDER_SIGNED;
}

/**
 * Checks an order field by field with §6.1's codes, then signMsg, then what
 * the merchant may do (payment types, currencies), and places it. The very
 * same order submitted again while unpaid (a reloaded page) answers the same
 * order; a different one with a used orderNo is ZF30003, a paid one ZF30002.
 */
export function submitOrder(sim: SimulatorContext, submission: Submission, c: Context): Order {
  const merchant = checkEnvelope(sim, submission, c);
  const { fields, channel, charset } = submission;
  if (channel === 'mobile') {
    check(fields, PAY_DATA_RULES);
  } else {
    check(fields, WEB_RULES);
    // Both addresses are optional, but not both absent (SDK TX10002–TX10004).
    if (!fields.pickupUrl && !fields.receiveUrl) throw new GatewayError('RECEIVE_URL', 'pickupUrl与receiveUrl不能都为空');
    if (!fields.productName) throw new GatewayError('PRODUCT_NAME', 'productName不能为空');
  }
  const payType = fields.payType === '00' || !fields.payType ? '0' : fields.payType;
  const international = isInternational(payType);
  // "指定卡组织类型，仅国际卡支付有效。当前可传值：visa、mastercard、jcb".
  if (international && fields.issuerId && !['visa', 'mastercard', 'jcb'].includes(fields.issuerId.toLowerCase())) {
    throw new GatewayError('ISSUER', 'issuerId须为visa、mastercard或jcb');
  }
  const memberId = checkExt1(fields, channel, international, charset);

  const signed = signedFieldsOf(submission);
  checkSignature(fields, signed, merchant, charset, (note) => new GatewayError('SIGN', undefined, note));

  const currency = checkCurrency(fields, merchant, payType, international);

  const existing = sim.store.orders.findByOrderNo('allinpay', merchant.merchantId, fields.orderNo!);
  const source = signSource(fields, signed);
  if (existing) {
    annotate(c, { order: existing });
    if (succeeded(existing.state)) throw new GatewayError('PAID', fields.orderNo);
    // "M00001_000010 两次商户订单数据不一致": only the same order, still payable, is shown again.
    if (existing.attributes.signed === source && isAwaitingPayment(existing.state)) return existing;
    throw new GatewayError('DUPLICATE', fields.orderNo);
  }

  const now = sim.clock.now();
  const attributes: AllinpayAttributes = {
    family: 'allinpay',
    channel,
    inputCharset: fields.inputCharset!,
    version: fields.version!,
    signType: fields.signType!,
    orderDatetime: fields.orderDatetime!,
    orderCurrency: currency,
    payType,
    productName: fields.productName!,
    signed: source,
    ...optionalAttributes(fields, channel, international),
    ...(memberId ? { memberId } : {}),
  };
  const minutes = fields.orderExpireDatetime ? Number(fields.orderExpireDatetime) : null;
  return sim.placeOrder(c, {
    provider: 'allinpay',
    merchantId: merchant.merchantId,
    orderNo: fields.orderNo!,
    product: productOf(channel, payType),
    amount: Number(fields.orderAmount),
    currency: currencyOf(currency)!.alpha,
    notifyUrl: fields.receiveUrl || null,
    returnUrl: fields.pickupUrl || null,
    attributes: attributes as unknown as Record<string, unknown>,
    expiresAt: now + (minutes === null ? ORDER_TTL_MS : minutes * 60_000),
    natural: 'awaiting',
    platformOrderNo: (sequence, at) => sequenceNumber(at, sequence, { length: PAYMENT_ORDER_ID_LENGTH, stamp: 'date' }),
    ...(fields.cardNo ? { match: { card: fields.cardNo } } : {}),
  });
}

function optionalAttributes(fields: Fields, channel: Channel, international: boolean): Partial<AllinpayAttributes> {
  const kept: Partial<AllinpayAttributes> = {};
  for (const name of ['language', 'issuerId', 'tradeNature', 'ext1', 'ext2'] as const) {
    if (fields[name]) kept[name] = fields[name];
  }
  // "针对于非国际卡支付方式": an international payment shows no pre-filled card.
  if (channel === 'mobile' && fields.cardNo && !international) kept.cardNo = fields.cardNo;
  return kept;
}

/**
 * ext1 (§2.1): member mode `<USER>id</USER>`; an international payment the
 * §5.4 digest of its shipping and billing fields, which must be sent and
 * whose required ones must be there; the web form's ext1 is free text.
 * Answers the member id, if any.
 */
function checkExt1(fields: Fields, channel: Channel, international: boolean, charset: string): string | undefined {
  const ext1 = fields.ext1 ?? '';
  if (international) {
    const missing = INTERNATIONAL_REQUIRED.find((name) => !fields[name]);
    if (missing) throw new GatewayError('EXT1', `国际卡交易须上送${missing}`);
    const digest = ext1Digest(fields, INTERNATIONAL_FIELDS, charset);
    if (ext1.toUpperCase() !== digest) throw new GatewayError('EXT1', 'ext1须为国际卡交易扩展字段的MD5摘要', `expected ext1 ${digest} (§5.4)`);
    return undefined;
  }
  const member = /^<USER>([A-Za-z0-9_-]{1,64})<\/USER>$/.exec(ext1);
  if (member) return member[1];
  if (channel === 'mobile' && ext1 !== '') throw new GatewayError('EXT1', '会员模式须为<USER>用户ID</USER>，非会员模式不填');
  return undefined;
}

/**
 * orderCurrency (§2.1, §6.2, §6.3): international cards take §6.3's list, and
 * need `settings.international`; other payments RMB, or §6.2's list for a
 * cross-border merchant (`settings.crossBorder`). Non-RMB needs tradeNature.
 * Absent means RMB (the document's own example omits it, ALP-6).
 */
function checkCurrency(fields: Fields, merchant: Merchant, payType: string, international: boolean): string {
  const code = fields.orderCurrency || '156';
  if (international) {
    if (merchant.settings.international !== true) throw new GatewayError('PAY_TYPE_DISABLED', `payType=${payType}`);
    if (!(INTERNATIONAL as readonly string[]).includes(code)) throw new GatewayError('FOREIGN_CURRENCY', `国际卡不支持币种${code}`);
  } else if (!isRmb(code)) {
    const allowed = merchant.settings.crossBorder === true && (CROSS_BORDER as readonly string[]).includes(code);
    if (!allowed) throw new GatewayError('FOREIGN_CURRENCY', `币种${code}`);
  }
  if (!isRmb(code) && !fields.tradeNature) throw new GatewayError('PAY_TYPE', '非人民币订单须上送tradeNature');
  return code;
}
