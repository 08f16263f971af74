import type { Context } from 'hono';
import type { z } from 'zod';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstDateTime } from '../../../core/time-format.js';
import type { Command } from '../command.js';
import { replyCommandId } from '../codes.js';
import type { VerifiedEnvelope } from '../envelope.js';
import { BusinessError } from '../errors.js';
import { parseFields } from '../fields.js';
import { createScanOrder } from './create.js';
import { REQUIRED } from './failures.js';
import { rawPayInfo } from './pay-info.js';
import { schemasFor, type ScanSchemas } from './schemas.js';
import type { Wallet } from './wallets.js';

type PrepaySchema = 'wechatPrepay' | 'alipayPrepay' | 'qqPrepay' | 'qrOnlyPrepay';

/** The product name scenarios match on. */
function productOf(wallet: Wallet, tradeType: string, body: Record<string, unknown>, qrVariant?: string): string {
  if (qrVariant) return `${wallet}.${qrVariant}`;
  if (tradeType !== '2') return `${wallet}.qr`;
  return wallet === 'wechat' && body.IS_MINIPG === '1' ? 'wechat.miniprogram' : `${wallet}.jsapi`;
}

/**
 * A pre-order (正扫 / 公众号 / 服务窗, 扫码 §5.1, 6.1, 6.3, 6.4, 7.1, 8.1, 9.1):
 * the reply carries URL, the sandbox's hosted page for the order (scan it, or
 * open it), or PAY_INFO when IS_RAW=1 on an official-account order — "公众号支付的
 * 时候跟PAY_INFO字段互斥".
 */
function prepay(id: number, name: string, wallet: Wallet, schema: PrepaySchema, qrVariant?: string): Command {
  return {
    id,
    replyId: replyCommandId(id),
    name: `${id} ${name}`,
    kind: 'create',
    required: REQUIRED.prepay,
    handle(request: VerifiedEnvelope, sim: SimulatorContext, c: Context) {
      const fields = parseFields(schemasFor(request.merchant)[schema], request.body) as z.output<ScanSchemas['wechatPrepay']>;
      const raw = fields.TRADETYPE === '2' && fields.IS_RAW === '1';
      const payInfo = raw ? rawPayInfo(wallet, sim.clock.now(), fields.SUP_APPID) : undefined;
      const order = createScanOrder(request, sim, c, {
        wallet,
        mode: 'prepay',
        product: productOf(wallet, fields.TRADETYPE, request.body, qrVariant),
        fields,
        attributes: {
          ...(fields.OPENID ? { openId: fields.OPENID } : {}),
          ...(payInfo ? { payInfo } : {}),
        },
      });
      const reply: Record<string, unknown> = {
        ORDERNO: order.platformOrderNo,
        TRADETYPE: fields.TRADETYPE,
        TRADETIME: cstDateTime(order.createdAt),
        MERORDERID: order.orderNo,
      };
      // Only a user scenario failing it before the answer gets here (2003 waits for the payer).
      if (order.state === 'failed') throw new BusinessError('DECLINED', undefined, reply);
      if (payInfo) reply.PAY_INFO = payInfo;
      else reply.URL = sim.payPageUrl(c, order);
      return { ...reply, STATUS: '1' };
    },
  };
}

export const prepayCommands: Command[] = [
  prepay(2306, '微信公众号/正扫下预订单', 'wechat', 'wechatPrepay'),
  prepay(2308, '支付宝服务窗/正扫下预订单', 'alipay', 'alipayPrepay'),
  prepay(2325, 'QQ钱包/正扫下预订单', 'qq', 'qqPrepay'),
  prepay(1025, '银联钱包正扫', 'unionpay', 'qrOnlyPrepay'),
  prepay(1026, '支付宝静态码支付', 'alipay', 'qrOnlyPrepay', 'static'),
  prepay(1027, '支付宝动态码支付', 'alipay', 'qrOnlyPrepay', 'dynamic'),
  prepay(1031, '京东扫码支付', 'jd', 'qrOnlyPrepay'),
];
