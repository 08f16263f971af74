import type { CodeEntry } from '../../core/simulator.js';

/** §6 BANK_CODE 银行编码 (支付方式): the product, and which hosted page shows it. */
export const BANK_CODES = {
  '901': { label: '支付宝H5', product: 'alipay.h5', page: 'h5' },
  '903': { label: '微信H5支付', product: 'wechat.h5', page: 'h5' },
  '906': { label: '网银支付', product: 'bank.online', page: 'bank' },
  '911': { label: '支付宝扫码', product: 'alipay.qr', page: 'qr' },
  '912': { label: '微信扫码', product: 'wechat.qr', page: 'qr' },
} as const;
export type BankCode = keyof typeof BANK_CODES;

/**
 * The document defines no error codes (PROVIDERS.md AGG-6): a failure is
 * `status` "0" with a message. These are the sandbox's messages.
 */
export const MESSAGES = {
  ORDERED: '下单成功',
  QUERIED: '查询成功',
  BAD_BODY: '请求格式错误：请以application/x-www-form-urlencoded或JSON提交',
  UNKNOWN_MERCHANT: '商户不存在',
  BAD_SIGN: '签名错误',
  DUPLICATE: '订单号重复',
  NOT_FOUND: '订单不存在',
  INTERNAL: '沙箱内部错误（不是脚本场景），请查看/_sim/requests',
} as const;

export const AGGPAY_CODES: CodeEntry[] = [
  { code: 'status "1"', message: '成功', source: '§5.1 / §5.4' },
  { code: 'status "0"', message: '失败，见message', source: '§5.1 / §5.4' },
  { code: 'pay_status -1', message: '支付中', source: '§5.1' },
  { code: 'pay_status 0', message: '交易失败（或已关闭）', source: '§5.1' },
  { code: 'pay_status 1', message: '交易成功', source: '§5.1' },
  ...Object.values(MESSAGES).map((message) => ({ code: 'message', message, source: 'sandbox (AGG-6)' })),
  ...Object.entries(BANK_CODES).map(([code, entry]) => ({ code: `bank_code ${code}`, message: entry.label, source: '§6' })),
];
