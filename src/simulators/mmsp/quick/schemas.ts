import { z } from 'zod';
import { amount, choice, optional, text, url } from '../fields.js';

/**
 * Request Body schemas of quick pay (快捷 §5), one per table. Fields the tables
 * do not list are ignored but still signed (PROVIDERS.md MMSP-10). RANDSTR is
 * optional everywhere ("建议上送"), including 5.13 where a garbled row marks it
 * 必须 (MMSP-21).
 */

/** EXPDATE: "格式：MMYY 如：0617 必须4位合法日期". */
const mmyy = () => text(4).refine((value) => /^(0[1-9]|1[0-2])\d{2}$/.test(value), '格式必须为MMYY（4位合法日期）');
const cvn2 = () => text(3).refine((value) => /^\d{3}$/.test(value), '必须为3位数字');
const msgCode = () => text(6);
const randstr = { RANDSTR: optional(text(32)) };

/** "如果CARDTYPE为2时；必须填写信用卡有效期 / cvn2码": a credit card needs both. */
function creditElements(body: { CARDTYPE: string; EXPDATE?: string | undefined; CVN2?: string | undefined }, ctx: z.RefinementCtx) {
  if (body.CARDTYPE !== '2') return;
  if (!body.EXPDATE) ctx.addIssue({ code: 'custom', path: ['EXPDATE'], message: '在CARDTYPE为2（信用卡）时必须填写' });
  else if (!body.CVN2) ctx.addIssue({ code: 'custom', path: ['CVN2'], message: '在CARDTYPE为2（信用卡）时必须填写' });
}

const cardElements = {
  CARDNO: text(20),
  CARDTYPE: choice('1', '2'),
  EXPDATE: optional(mmyy()),
  CVN2: optional(cvn2()),
  NAME: text(32),
  ID_NO: text(32),
  PHONENO: text(11),
};

/** 5.3 快捷支付交易 (771). */
export const cardPay = z
  .looseObject({
    MERORDERID: text(32),
    AMT: amount(),
    ...cardElements,
    ...randstr,
    USER_ID: optional(text(32)),
    NOTIFY_URL: url(255),
  })
  .superRefine(creditElements);

/** 5.4 交易短信确认 (772). */
export const smsConfirm = z.looseObject({ LIST_ID: text(32), MSG_CODE: msgCode(), ...randstr });

/** 5.7 单笔交易查询 (773). */
export const orderQuery = z.looseObject({ MERORDERID: text(32) });

/** 5.11 短信重发 (778). */
export const smsResend = z.looseObject({ LIST_ID: text(32), ...randstr });

/** 5.1 鉴权绑卡短信 (781). */
export const bindSms = z.looseObject({
  MERORDERID: text(32),
  USER_ID: text(32),
  CARDNO: text(20),
  PHONENO: text(11),
  ...randstr,
});

/** 5.2 鉴权绑卡 (774). */
export const bind = z
  .looseObject({ MERORDERID: text(32), USER_ID: text(32), ...cardElements, MSG_CODE: msgCode(), ...randstr })
  .superRefine(creditElements);

/** 5.6 解绑 (775). */
export const unbind = z.looseObject({ BIND_ID: text(32) });

/**
 * 5.8 绑卡查询 (776): BIND_ID as the document has it; the sandbox also lists a
 * user's bindings when USER_ID is sent instead.
 */
export const bindQuery = z
  .looseObject({ BIND_ID: optional(text(32)), USER_ID: optional(text(32)) })
  .superRefine((body, ctx) => {
    if (!body.BIND_ID && !body.USER_ID) ctx.addIssue({ code: 'custom', path: ['BIND_ID'], message: '不能为空' });
  });

/** 5.13 绑卡支付短信 (780). */
export const bindPaySms = z.looseObject({
  BIND_ID: text(32),
  MERORDERID: text(32),
  USER_ID: text(32),
  PHONENO: text(11),
  // The row is garbled ("AMT 字段名 string(12) 属性 是否必须 描述"); required (MMSP-21).
  AMT: amount(),
  ...randstr,
});

/** 5.12 快捷绑卡支付确认 (779). */
export const bindPayConfirm = z.looseObject({
  BIND_ID: text(32),
  MERORDERID: text(32),
  USER_ID: text(32),
  AMT: amount(),
  MSG_CODE: msgCode(),
  NOTIFY_URL: url(255),
  ...randstr,
});

/** 5.14 银联快捷支付下单 (783). */
export const unionpayOrder = z.looseObject({
  MERORDERID: text(32),
  AMT: amount(),
  JUMP_URL: url(255),
  NOTIFY_URL: url(255),
  TRADE_MODE: optional(choice('1', '2')),
  CARDNO: optional(text(32)),
  ...randstr,
});
