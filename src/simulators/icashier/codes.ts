import type { CodeEntry } from '../../core/simulator.js';

/**
 * Reply respcodes (respcode + respmsg inside `resp`). The document defines
 * only `00` ("00 表示成功,其它表示失败", §3.4.4) and prints no list (PROVIDERS.md
 * DMP-8); every other code is the sandbox's own, two digits like `00`.
 */
export const RESPCODES = {
  OK: { code: '00', text: '成功', source: '§3.4.4' },
  BAD_BASE64: { code: '10', text: 'req不是合法的Base64编码', source: 'sandbox' },
  BAD_JSON: { code: '11', text: 'req解码后不是合法的JSON对象', source: 'sandbox' },
  MISSING_FIELD: { code: '12', text: '缺少必填字段', source: 'sandbox' },
  BAD_FIELD: { code: '13', text: '字段格式错误', source: 'sandbox' },
  UNKNOWN_MERCHANT: { code: '20', text: '商户号不存在', source: 'sandbox (§2.2 前置性错误, sign为空)' },
  BAD_SIGN: { code: '21', text: '签名错误', source: 'sandbox' },
  ACTION_DISABLED: { code: '30', text: '未开通该交易权限', source: 'sandbox (§3.1.3 需提前开交易权限)' },
  BINDCARD_DISABLED: { code: '31', text: '未开通鉴权权限，不能绑卡付', source: 'sandbox (§3.1.3 备注, DMP-4)' },
  DUPLICATE_ORDER: { code: '40', text: '商户订单号重复', source: 'sandbox (§3.1.3 必需唯一)' },
  ORDER_NOT_FOUND: { code: '41', text: '订单不存在', source: 'sandbox' },
  INTERNAL: { code: '98', text: '沙箱内部错误（不是脚本场景），请查看/_sim/requests', source: 'sandbox' },
} as const;
export type RespcodeName = keyof typeof RESPCODES;

/**
 * Transaction result codes (交易结果码, §3.2.3 / §3.3.3 / §3.4.4): all five are
 * the document's.
 */
export const RESULTCODES = {
  SUCCESS: { code: '0000', text: '交易成功', source: '§3.2.3 已支付,结算到可用帐户' },
  UNPAID: { code: '1001', text: '未支付', source: '§3.2.3' },
  PROCESSING: { code: '1002', text: '交易处理中', source: '§3.2.3 已支付,结算到不可用帐户' },
  FAILED: { code: '1003', text: '交易失败', source: '§3.2.3' },
  HOLD: { code: '1004', text: '协查调单', source: '§3.2.3' },
} as const;
export type ResultcodeName = keyof typeof RESULTCODES;

/** What a back notification must be answered with: the content "0000" (§3.3.1). */
export const NOTIFY_ACK = '0000';

export const ICASHIER_CODES: CodeEntry[] = [
  ...Object.values(RESPCODES).map((e) => ({ code: `respcode ${e.code}`, message: e.text, source: e.source })),
  ...Object.values(RESULTCODES).map((e) => ({ code: `resultcode ${e.code}`, message: e.text, source: e.source })),
];
