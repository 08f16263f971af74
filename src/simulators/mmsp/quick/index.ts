import type { Command } from '../command.js';
import { bindPayCommands } from './bind-pay.js';
import { bindCommands } from './bind.js';
import { batchQueryCommand } from './batch-query.js';
import { payCommands } from './pay.js';
import { unionpayCommand } from './unionpay.js';

/**
 * Quick pay (快捷支付接口规范, seed 001): CommandIDs 771–783 on `POST /mmsp/api`,
 * the same envelope and MD5 rule as scan pay.
 */
export const quickCommands: Command[] = [...payCommands, batchQueryCommand, ...bindPayCommands, ...bindCommands, unionpayCommand];

/** 776 is quick pay's 绑卡查询 unless it carries CODE (then the scan document's QQ micropay, MMSP-12). */
export const quickBindQuery = bindCommands.find((command) => command.id === 776)!;

export { QUICK_PRODUCTS } from './attributes.js';
export { QUICK_CHANNEL, quickPayChannel } from './notify.js';
export { MMSP_ORDER_KIND } from './order-kind.js';
export { QUICK_SMS_KIND } from './sms.js';
