import type { Context } from 'hono';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstDateTime } from '../../../core/time-format.js';
import type { Command } from '../command.js';
import { replyCommandId } from '../codes.js';
import type { VerifiedEnvelope } from '../envelope.js';
import { BusinessError } from '../errors.js';
import { parseFields } from '../fields.js';
import { createScanOrder } from './create.js';
import { REQUIRED } from './failures.js';
import { schemasFor } from './schemas.js';
import type { Wallet } from './wallets.js';

/**
 * H5 (扫码 §5.3 WeChat, §6.5 Alipay): the reply's URL "wakes the app"; here it is
 * the sandbox's mobile pay page, which returns the browser to JUMP_URL.
 */
function h5(id: number, name: string, wallet: Wallet, schema: 'wechatH5' | 'alipayH5'): Command {
  return {
    id,
    replyId: replyCommandId(id),
    name: `${id} ${name}`,
    kind: 'create',
    required: REQUIRED.h5,
    handle(request: VerifiedEnvelope, sim: SimulatorContext, c: Context) {
      const fields = parseFields(schemasFor(request.merchant)[schema], request.body);
      const order = createScanOrder(request, sim, c, {
        wallet,
        mode: 'h5',
        product: `${wallet}.h5`,
        fields,
        attributes: fields.JUMP_URL ? { jumpUrl: fields.JUMP_URL } : {},
      });
      const reply = {
        ORDERNO: order.platformOrderNo,
        TRADETIME: cstDateTime(order.createdAt),
        MERORDERID: order.orderNo,
      };
      // Only a user scenario failing it before the answer gets here (2003 waits for the payer).
      if (order.state === 'failed') throw new BusinessError('DECLINED', undefined, reply);
      return { ...reply, STATUS: '1', URL: sim.payPageUrl(c, order) };
    },
  };
}

export const h5Commands: Command[] = [h5(2321, '微信H5', 'wechat', 'wechatH5'), h5(1030, '支付宝H5', 'alipay', 'alipayH5')];
