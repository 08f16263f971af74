import type { Context } from 'hono';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstDateTime } from '../../../core/time-format.js';
import type { Command } from '../command.js';
import { BODY_CODES, replyCommandId } from '../codes.js';
import type { VerifiedEnvelope } from '../envelope.js';
import { parseFields } from '../fields.js';
import { createScanOrder } from './create.js';
import { alipayH5, wechatH5 } from './schemas.js';
import type { Wallet } from './wallets.js';

/**
 * H5 (扫码 §5.3 WeChat, §6.5 Alipay): the reply's URL "wakes the app"; here it is
 * the sandbox's mobile pay page, which returns the browser to JUMP_URL.
 */
function h5(id: number, name: string, wallet: Wallet, schema: typeof wechatH5 | typeof alipayH5): Command {
  return {
    id,
    replyId: replyCommandId(id),
    name: `${id} ${name}`,
    kind: 'create',
    handle(request: VerifiedEnvelope, sim: SimulatorContext, c: Context) {
      const fields = parseFields(schema, request.body);
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
      if (order.state === 'failed') {
        return { ...reply, STATUS: '2', ERR_CODE: BODY_CODES.DECLINED.code, ERR_CODE_MSG: BODY_CODES.DECLINED.text };
      }
      return { ...reply, STATUS: '1', URL: sim.payPageUrl(c, order) };
    },
  };
}

export const h5Commands: Command[] = [h5(2321, '微信H5', 'wechat', wechatH5), h5(1030, '支付宝H5', 'alipay', alipayH5)];
