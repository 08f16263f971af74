import type { CodeEntry } from '../../core/simulator.js';

/** 扫码 §3.2.1: a reply's CommandID is the request's + 0x8000; 0x8000 alone is the generic negative reply. */
export const NEGATIVE_REPLY = 0x8000;
export const replyCommandId = (commandId: number) => commandId + 0x8000;

/** The push of a payment result (扫码 §10.8, 0x0914). */
export const SCAN_PUSH_COMMAND = 2324;

/**
 * The CommandID of quick-pay and gateway notifications: 35104 (0x8920) in the
 * examples of 快捷 §5.5 and 网关 §5.2; the gateway table says 35090 (PROVIDERS.md MMSP-7).
 */
export const PAYMENT_NOTIFY_COMMAND = 35104;

/** Header RetCode (扫码 §11): 1 success, 0 message-structure error. */
export const RET_OK = 1;
export const RET_STRUCTURE = 0;

/**
 * Errors answered in the header (CommandID 32768, RetCode 0, unsigned). The
 * ErrorMsg carries `[-code] text`, the form of the document's own examples
 * (`[-2002] 没有该订单`, FAQ `[-3005]`); codes the document does not give are the
 * sandbox's and marked so.
 */
export const ENVELOPE_ERRORS = {
  MALFORMED: { code: -1001, text: '消息结构体错误：报文不是合法的JSON对象', source: 'sandbox' },
  HEADER: { code: -1002, text: '消息结构体错误：报文头字段缺失或格式错误', source: 'sandbox' },
  UNKNOWN_COMMAND: { code: -1003, text: '不支持的命令字', source: 'sandbox' },
  FIELD: { code: -1004, text: '业务字段缺失或格式错误', source: 'sandbox' },
  SIGN: { code: -1005, text: '签名错误', source: 'sandbox (PROVIDERS.md SIGN-ERROR)' },
  MERCHANT: { code: -1006, text: '商户号不存在', source: 'sandbox' },
  TERMINAL: { code: -1007, text: '终端号不存在', source: 'sandbox' },
  AGENT: { code: -1008, text: '代理商不存在', source: 'sandbox' },
  NOT_ENABLED: { code: -1009, text: '暂未开通', source: '快捷 §5.1 "暂未开通"' },
  ORDER_NOT_FOUND: { code: -2002, text: '没有该订单', source: '快捷 example error reply' },
  AMOUNT: { code: -3005, text: '交易金额不符，请参考返回的消息设置交易金额', source: 'FAQ 错误代码说明' },
  INTERNAL: { code: -9998, text: '沙箱内部错误（不是脚本场景），请查看/_sim/requests', source: 'sandbox' },
} as const;
export type EnvelopeErrorName = keyof typeof ENVELOPE_ERRORS;

/**
 * Body ERR_CODE values (present when STATUS is not 1). 00/AA/D4 are the
 * document's (扫码 §11); the others fill its gaps with China UnionPay's
 * two-character response codes, the family `00` already comes from, so they
 * fit the 4-character ERR_CODE of the query replies.
 */
export const BODY_CODES = {
  SUCCESS: { code: '00', text: '交易成功', source: '扫码 §11' },
  PAYING: { code: 'AA', text: '用户支付中', source: '扫码 §11' },
  CLOSED: { code: 'D4', text: '订单已关闭', source: '扫码 §11' },
  NOT_ALLOWED: { code: '12', text: '无效交易：订单状态不允许该操作', source: 'sandbox (CUP 12)' },
  BAD_AMOUNT: { code: '13', text: '无效金额：退款金额超过可退金额', source: 'sandbox (CUP 13)' },
  DECLINED: { code: '51', text: '支付失败：余额不足', source: 'sandbox (CUP 51, magic amount 2003)' },
  DUPLICATE: { code: '94', text: '重复交易：商户订单号已存在', source: 'sandbox (CUP 94)' },
  // Quick pay (快捷 §6 lists only 00/AA/D4; the rest fill its gaps the same way).
  ELEMENTS: { code: 'D4', text: '要素不匹配', source: '快捷 §5.3 四要素错误示例 (D4 with 要素不匹配, PROVIDERS.md MMSP-6)' },
  BANK_DECLINED: { code: '05', text: '支付失败：发卡行拒绝交易', source: 'sandbox (CUP 05 不予承兑)' },
  CARD_EXPIRED: { code: '54', text: '支付失败：卡已过期', source: 'sandbox (CUP 54 过期卡)' },
  SMS_WRONG: { code: '55', text: '短信验证码错误', source: 'sandbox (CUP 55 密码错)' },
  SMS_LOCKED: { code: '75', text: '短信验证码错误次数超限，请重新获取', source: 'sandbox (CUP 75 密码错误次数超限)' },
  SMS_EXPIRED: { code: 'S1', text: '短信验证码已失效，请重新获取', source: 'sandbox' },
  SMS_TOO_FREQUENT: { code: 'S2', text: '短信发送过于频繁，请60秒后再试', source: 'sandbox (PROVIDERS.md QUICK-SMS-RESEND-60S)' },
  BIND_UNKNOWN: { code: 'B1', text: '签约序列号不存在', source: 'sandbox' },
  BIND_USER: { code: 'B2', text: '签约序列号与USER_ID不匹配', source: 'sandbox' },
  BIND_INACTIVE: { code: 'B3', text: '绑卡关系未生效或已解除', source: 'sandbox' },
  BIND_EXISTS: { code: 'B4', text: '该用户已绑定此卡', source: 'sandbox' },
  NO_DATA: { code: '25', text: '未查询到数据', source: 'sandbox (CUP 25 找不到原始交易; 快捷 §5.9 "若查询未找到数据 STATUS状态为0")' },
  QUERY_RANGE: { code: '30', text: '查询条件超出范围', source: 'sandbox (CUP 30 格式错误; PROVIDERS.md BATCH-LIMITS)' },
} as const;
export type BodyCodeName = keyof typeof BODY_CODES;

export const MMSP_CODES: CodeEntry[] = [
  { code: 'RetCode 1', message: '成功', source: '扫码 §11' },
  { code: 'RetCode 0', message: '消息结构体错误', source: '扫码 §11' },
  ...Object.values(ENVELOPE_ERRORS).map((e) => ({ code: `[${e.code}]`, message: e.text, source: e.source })),
  ...Object.values(BODY_CODES).map((e) => ({ code: `ERR_CODE ${e.code}`, message: e.text, source: e.source })),
];
