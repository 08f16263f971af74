import type { Context } from 'hono';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstDateTime } from '../../../core/time-format.js';
import type { Command } from '../command.js';
import { replyCommandId } from '../codes.js';
import type { VerifiedEnvelope } from '../envelope.js';
import { parseFields } from '../fields.js';
import { createScanOrder } from './create.js';
import { REQUIRED } from './failures.js';
import { schemasFor } from './schemas.js';
import { queryStatus, type Wallet } from './wallets.js';

/**
 * 刷卡 (micropay, 扫码 §5.2, 6.2, 7.2): the device scans the payer's code.
 * STATUS 1 paid at once (and then not pushed), 3 paying with ERR_CODE AA (the
 * merchant must query; the platform pushes when it resolves), or 2 failed.
 */
export function micropay(id: number, name: string, wallet: Wallet, replyId = replyCommandId(id)): Command {
  return {
    id,
    replyId,
    name: `${id} ${name}`,
    kind: 'create',
    required: REQUIRED.micropay,
    handle(request: VerifiedEnvelope, sim: SimulatorContext, c: Context) {
      const fields = parseFields(schemasFor(request.merchant).micropay, request.body);
      const order = createScanOrder(request, sim, c, { wallet, mode: 'micropay', product: `${wallet}.micropay`, fields });
      return {
        ORDERNO: order.platformOrderNo,
        TRADETIME: cstDateTime(order.createdAt),
        MERORDERID: order.orderNo,
        ...queryStatus(order),
      };
    },
  };
}

/**
 * QQ micropay: the table gives request 0x0308 (776) but reply 0x8916 (35094),
 * which implies request 0x0916 (2326); 776 also collides with quick pay's
 * 绑卡查询. Both are accepted, both answer 35094 (PROVIDERS.md MMSP-12); the
 * router sends a 776 that carries CODE here and any other 776 to quick pay.
 */
export const QQ_MICROPAY_REPLY = 0x8916;
export const qqMicropayByDocument = micropay(776, 'QQ钱包反扫支付', 'qq', QQ_MICROPAY_REPLY);

export const micropayCommands: Command[] = [
  micropay(2307, '微信刷卡支付', 'wechat'),
  micropay(2309, '支付宝刷卡', 'alipay'),
  micropay(2326, 'QQ钱包反扫支付', 'qq', QQ_MICROPAY_REPLY),
];
