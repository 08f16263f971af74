import { z } from 'zod';
import type { Merchant } from '../../../core/domain.js';
import { amount, choice, cstTime, currency, optional, text, url } from '../fields.js';

/**
 * Request Body schemas of the scan document (扫码 §5–§10), one per table.
 * Where a field's length differs between tables or contradicts the examples,
 * the largest is allowed (PROVIDERS.md MMSP-9) — except the URLs, whose
 * lengths each table states and a merchant must fit: NOTIFY_URL is string(50)
 * on pre-orders and string(100) on micropay and H5; JUMP_URL string(32) on
 * pre-orders and string(100) on H5. A merchant with `settings.lenientLengths`
 * (a production account with other limits) may send either up to 255.
 * Fields the tables do not list are ignored but still signed (MMSP-10).
 */

/** The URL lengths a merchant is held to. */
interface UrlLengths {
  prepayNotify: number;
  otherNotify: number;
  prepayJump: number;
  h5Jump: number;
}

const DOCUMENTED: UrlLengths = { prepayNotify: 50, otherNotify: 100, prepayJump: 32, h5Jump: 100 };
const LENIENT: UrlLengths = { prepayNotify: 255, otherNotify: 255, prepayJump: 255, h5Jump: 255 };

function build(lengths: UrlLengths) {
  const common = (notifyLength: number) => ({
    AMT: amount(),
    MERORDERID: text(20),
    RANDSTR: text(20),
    GOODSNAME: text(15),
    NOTIFY_URL: url(notifyLength),
    TIME_END: optional(cstTime()),
    IP: optional(text(18)),
  });
  const prepayCommon = common(lengths.prepayNotify);

  const flags = {
    ISTO: optional(choice('1', '2')),
    LIMIT_PAY: optional(choice('1', '2')),
  };

  /** JUMP_URL is "暂不传" on pre-orders (MMSP-14): optional, and not used; string(32) all the same. */
  const jumpUrlUnused = { JUMP_URL: optional(text(lengths.prepayJump)) };

  /** 5.1 微信公众号/正扫下预订单 (2306): NOTIFY_URL string(50). */
  const wechatPrepay = z
    .looseObject({
      ...prepayCommon,
      ...flags,
      ...jumpUrlUnused,
      TRADETYPE: choice('1', '2'),
      CUR: optional(currency()),
      OPENID: optional(text(32)),
      IS_RAW: optional(choice('1', '2')),
      IS_MINIPG: optional(text(32)),
      SUP_APPID: optional(text(32)),
    })
    .superRefine((body, ctx) => {
      // "OPENID … TRADETYPE为2的时候，必传"
      if (body.TRADETYPE === '2' && !body.OPENID) {
        ctx.addIssue({ code: 'custom', path: ['OPENID'], message: '在TRADETYPE为2（公众号支付）时必传' });
      }
    });

  /** 6.1 支付宝服务窗/正扫下预订单 (2308). */
  const alipayPrepay = z
    .looseObject({
      ...prepayCommon,
      ...flags,
      ...jumpUrlUnused,
      TRADETYPE: choice('1', '2'),
      CUR: optional(currency()),
      ALIPAY_USER_ID: optional(text(32)),
      ALIPAY_ACCOUNT: optional(text(32)),
      IS_RAW: optional(choice('1', '2')),
    })
    .superRefine((body, ctx) => {
      // "TRADETYPE为2时,用户id和买家账号不可同时为空"
      if (body.TRADETYPE === '2' && !body.ALIPAY_USER_ID && !body.ALIPAY_ACCOUNT) {
        ctx.addIssue({
          code: 'custom',
          path: ['ALIPAY_USER_ID'],
          message: '与ALIPAY_ACCOUNT在TRADETYPE为2（服务窗）时不可同时为空',
        });
      }
    });

  /** 7.1 QQ钱包/正扫下预订单 (2325). */
  const qqPrepay = z.looseObject({
    ...prepayCommon,
    ...flags,
    ...jumpUrlUnused,
    TRADETYPE: choice('1', '2'),
    CUR: optional(currency()),
    IS_RAW: optional(choice('1', '2')),
  });

  /** 6.3 / 6.4 支付宝静态码·动态码, 8.1 京东, 9.1 银联钱包: native QR only (TRADETYPE 1). */
  const qrOnlyPrepay = z.looseObject({
    ...prepayCommon,
    TRADETYPE: choice('1'),
    CUR: optional(currency()),
  });

  /** 5.2 / 6.2 / 7.2 刷卡 (micropay): the payer's payment code, CUR required; NOTIFY_URL string(100). */
  const micropay = z.looseObject({
    ...common(lengths.otherNotify),
    ...flags,
    CUR: currency(),
    CODE: text(32),
  });

  /** 5.3 微信H5: JUMP_URL string(100) required ("前端支付跳转地址"); NOTIFY_URL string(100). */
  const wechatH5 = z.looseObject({
    ...common(lengths.otherNotify),
    CUR: currency(),
    JUMP_URL: url(lengths.h5Jump),
    LIMIT_PAY: optional(choice('1', '2')),
  });

  /** 6.5 支付宝H5: JUMP_URL string(100) marked 必须 but "(暂不传)" (MMSP-14): optional. */
  const alipayH5 = z.looseObject({
    ...common(lengths.otherNotify),
    CUR: currency(),
    JUMP_URL: optional(url(lengths.h5Jump)),
  });

  return { wechatPrepay, alipayPrepay, qqPrepay, qrOnlyPrepay, micropay, wechatH5, alipayH5 };
}

export type ScanSchemas = ReturnType<typeof build>;

const SCHEMAS = { documented: build(DOCUMENTED), lenient: build(LENIENT) };

/** The order schemas a merchant is held to: the documented lengths, or 255 with `settings.lenientLengths`. */
export function schemasFor(merchant: Merchant): ScanSchemas {
  return merchant.settings.lenientLengths === true ? SCHEMAS.lenient : SCHEMAS.documented;
}

const oneOf = (first: string, second: string) => (body: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (!body[first] && !body[second]) {
    ctx.addIssue({ code: 'custom', path: [first], message: `与${second}必须上送一个` });
  }
};

/** 10.3 查询 / 10.4 撤销 / 10.5 关闭: ORDERNO or MERORDERID (MMSP-24: one of the two). */
export const orderLookup = z
  .looseObject({
    ORDERNO: optional(text(20)),
    MERORDERID: optional(text(20)),
    RANDSTR: text(20),
  })
  .superRefine(oneOf('ORDERNO', 'MERORDERID'));

/** 10.6 退款: the refund amount in fen (PROVIDERS.md REC). */
export const refund = z
  .looseObject({
    ORDERNO: optional(text(20)),
    MERORDERID: optional(text(20)),
    RANDSTR: text(20),
    REFUND_MERORDERID: text(20),
    AMT: amount(),
  })
  .superRefine(oneOf('ORDERNO', 'MERORDERID'));

/** 10.7 退款查询. */
export const refundLookup = z
  .looseObject({
    REFUND_ORDERNO: optional(text(20)),
    REFUND_MERORDERID: optional(text(20)),
    RANDSTR: text(20),
  })
  .superRefine(oneOf('REFUND_ORDERNO', 'REFUND_MERORDERID'));
