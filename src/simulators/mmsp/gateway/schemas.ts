import { z } from 'zod';
import { amount, optional, text, url } from '../fields.js';
import { GATEWAY_CHANNELS } from './channels.js';

/** 5.1 网关支付请求 (2322), the Body inside `web_api`. */
export const gatewayPay = z.looseObject({
  MERORDERID: text(32),
  AMT: amount(),
  NOTIFY_URL: url(255),
  JUMP_URL: url(255),
  PAY_CHANNEL: text(50).refine((value) => Object.hasOwn(GATEWAY_CHANNELS, value), '不是网关支付的银行通道编码（见附录8.1，测试环境请使用YLBILL-NET-B2C）'),
  GOODSNAME: optional(text(32)),
  REMARK: optional(text(255)),
});

/** 5.3 网关支付结果单笔查询 (2323). */
export const gatewayQuery = z.looseObject({ MERORDERID: text(32) });
