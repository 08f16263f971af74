import { z } from 'zod';
import { amount, choice, cstTime, currency, optional, text, url } from '../fields.js';

/**
 * Request Body schemas of the scan document (扫码 §5–§10), one per table.
 * Lengths: where a field's length differs between tables or contradicts the
 * examples, the largest is allowed (PROVIDERS.md MMSP-9), e.g. NOTIFY_URL is
 * string(50) on pre-orders and string(100) elsewhere: 100 everywhere.
 * Fields the tables do not list are ignored but still signed (MMSP-10).
 */

const common = {
  AMT: amount(),
  MERORDERID: text(20),
  RANDSTR: text(20),
  GOODSNAME: text(15),
  NOTIFY_URL: url(100),
  TIME_END: optional(cstTime()),
  IP: optional(text(18)),
};

const flags = {
  ISTO: optional(choice('1', '2')),
  LIMIT_PAY: optional(choice('1', '2')),
};

/** JUMP_URL is "暂不传" on pre-orders (MMSP-14): optional, and not used. */
const jumpUrlUnused = { JUMP_URL: optional(text(255)) };

/** 5.1 微信公众号/正扫下预订单 (2306). */
export const wechatPrepay = z
  .looseObject({
    ...common,
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
export const alipayPrepay = z
  .looseObject({
    ...common,
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
export const qqPrepay = z.looseObject({
  ...common,
  ...flags,
  ...jumpUrlUnused,
  TRADETYPE: choice('1', '2'),
  CUR: optional(currency()),
  IS_RAW: optional(choice('1', '2')),
});

/** 6.3 / 6.4 支付宝静态码·动态码, 8.1 京东, 9.1 银联钱包: native QR only (TRADETYPE 1). */
export const qrOnlyPrepay = z.looseObject({
  ...common,
  TRADETYPE: choice('1'),
  CUR: optional(currency()),
});

/** 5.2 / 6.2 / 7.2 刷卡 (micropay): the payer's payment code, CUR required. */
export const micropay = z.looseObject({
  ...common,
  ...flags,
  CUR: currency(),
  CODE: text(32),
});

/** 5.3 微信H5: JUMP_URL required ("前端支付跳转地址"). */
export const wechatH5 = z.looseObject({
  ...common,
  CUR: currency(),
  JUMP_URL: url(255),
  LIMIT_PAY: optional(choice('1', '2')),
});

/** 6.5 支付宝H5: JUMP_URL marked 必须 but "(暂不传)" (MMSP-14): optional. */
export const alipayH5 = z.looseObject({
  ...common,
  CUR: currency(),
  JUMP_URL: optional(url(255)),
});

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
