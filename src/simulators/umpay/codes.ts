import type { CodeEntry } from '../../core/simulator.js';

/**
 * `ret_code` / `ret_msg` of every answer. The document names `0000`-less
 * success (GAP UMP-8; the SDKs' constant `SUCCESS = "0000"`), four codes in
 * its FAQ, and three messages without a code ("订单不存在",
 * "业务协议依赖的支付协议关系不存在", "申请退费失败"). Two more come from a
 * public merchant integration (research brief §9). Every `0099xxxx` code is the
 * sandbox's own: the document prints no table (PROVIDERS.md UMP-8), so these
 * stay in a range no real code was seen in.
 */
export const RET = {
  OK: { code: '0000', msg: '成功', source: 'SDK constant SUCCESS (UMP-8)' },
  PRODUCT_CLOSED: { code: '00200076', msg: '商户未开通产品关系', source: 'FAQ' },
  NO_CHANNEL: {
    code: '00131040',
    msg: '无可用支付通道，未找到支持当前发卡行、卡类型的可用支付通道,或通道参数配置不完整',
    source: 'FAQ',
  },
  CARD_UNSUPPORTED: { code: '00080732', msg: '不支持该类卡交易，请更换银行卡', source: 'FAQ' },
  REFUND_EXCEEDS: { code: '00060774', msg: '累计退款金额大于支付金额', source: 'FAQ' },
  SMS_EXPIRED: { code: '00200090', msg: '验证码已失效', source: 'a public merchant integration (research brief §9)' },
  SMS_WRONG: { code: '00060700', msg: '验证码错误', source: 'a public merchant integration (research brief §9)' },
  BAD_SIGN: { code: '00990001', msg: '验证签名失败', source: 'sandbox' },
  MISSING: { code: '00990002', msg: '缺少必要参数', source: 'sandbox' },
  BAD_FIELD: { code: '00990003', msg: '参数格式错误', source: 'sandbox' },
  UNKNOWN_SERVICE: { code: '00990004', msg: '不支持的接口服务', source: 'sandbox' },
  BAD_CHARSET: { code: '00990005', msg: '参数字符编码集错误', source: 'sandbox (§1.1 UTF-8、GBK、GB2312、GB18030)' },
  UNKNOWN_MERCHANT: { code: '00990006', msg: '商户不存在', source: 'sandbox' },
  DECRYPT: { code: '00990007', msg: '敏感信息解密失败', source: 'sandbox (§2.3.2 先加密，后签名)' },
  ORDER_NOT_FOUND: { code: '00990010', msg: '订单不存在', source: 'FAQ message, sandbox code' },
  DUPLICATE_ORDER: { code: '00990011', msg: '商户订单号重复', source: 'sandbox' },
  BAD_STATE: { code: '00990012', msg: '订单状态不允许此操作', source: 'sandbox' },
  AGREEMENT_MISSING: { code: '00990020', msg: '业务协议依赖的支付协议关系不存在', source: 'FAQ message, sandbox code' },
  ELEMENTS_MISMATCH: { code: '00990021', msg: '支付要素校验失败', source: 'sandbox' },
  SMS_NOT_SENT: { code: '00990022', msg: '请先获取短信验证码', source: 'sandbox (FAQ: 必须下发验证码)' },
  SMS_TOO_OFTEN: { code: '00990023', msg: '短信验证码发送过于频繁，请60秒后再试', source: 'sandbox (一键快捷 v4.0 spec: one SMS per 60 s)' },
  PAY_FAILED: { code: '00990030', msg: '交易失败，发卡行拒绝交易', source: 'sandbox' },
  INSUFFICIENT: { code: '00990031', msg: '交易失败，卡内余额不足', source: 'sandbox' },
  CARD_EXPIRED: { code: '00990032', msg: '交易失败，卡已过有效期', source: 'sandbox' },
  REFUND_REFUSED: { code: '00990040', msg: '申请退费失败', source: 'FAQ message, sandbox code' },
  SAME_DAY_REFUND: { code: '00990041', msg: '商户不支持当日退款，当日请使用撤销', source: 'FAQ (T+0), sandbox code' },
  REFUND_NOT_FOUND: { code: '00990042', msg: '退费订单不存在', source: 'sandbox' },
  DUPLICATE_REFUND: { code: '00990043', msg: '退费流水号重复', source: 'sandbox' },
  CANCEL_PARTIAL: { code: '00990050', msg: '撤销仅支持全部撤销', source: 'FAQ message, sandbox code' },
  CANCEL_NOT_TODAY: { code: '00990051', msg: '撤销仅支持当日交易，隔日请申请退款', source: 'FAQ (当日需要退费的可以申请撤销), sandbox code' },
  INTERNAL: { code: '00990098', msg: '沙箱内部错误（不是脚本场景），请查看/_sim/requests', source: 'sandbox' },
} as const;
export type RetName = keyof typeof RET;

/**
 * 交易状态 (trade_state). The document points at a table it does not print
 * (UMP-8); these are the values the public SDKs and merchant integrations use
 * (research brief §8). TRADE_CLOSED rather than TRADE_CLOSE: the copy of the
 * state table in a merchant integration spells it so (research brief §11.3).
 */
export const TRADE_STATE = {
  WAIT: 'WAIT_BUYER_PAY',
  SUCCESS: 'TRADE_SUCCESS',
  CLOSED: 'TRADE_CLOSED',
  CANCEL: 'TRADE_CANCEL',
  FAIL: 'TRADE_FAIL',
} as const;

/**
 * 退费状态 (refund_state): REFUND_PROCESS accepted, REFUND_SUCCESS refunded
 * (FAQ "退款请求返回哪些状态可以确认退款成功"). The failure state is in no
 * document; REFUND_CLOSE is what a public merchant integration maps to failure
 * (research brief §8).
 */
export const REFUND_STATE = {
  PROCESS: 'REFUND_PROCESS',
  SUCCESS: 'REFUND_SUCCESS',
  CLOSE: 'REFUND_CLOSE',
} as const;

export const UMPAY_CODES: CodeEntry[] = [
  ...Object.values(RET).map((entry) => ({ code: entry.code, message: entry.msg, source: entry.source })),
  { code: 'HTTP 504', message: '网关超时（空响应）：结果未知，请查询订单', source: 'sandbox (magic amount 2004; PROVIDERS.md decisions)' },
  ...Object.values(TRADE_STATE).map((state) => ({ code: `trade_state ${state}`, message: state, source: 'research brief §8' })),
  ...Object.values(REFUND_STATE).map((state) => ({ code: `refund_state ${state}`, message: state, source: 'FAQ / research brief §8' })),
];
