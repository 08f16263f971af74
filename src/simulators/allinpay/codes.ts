import type { CodeEntry } from '../../core/simulator.js';

interface Code {
  code: string;
  /** 错误说明 as the document prints it. */
  text: string;
  /** 转义后前端提示语: what the payment control shows the payer. */
  hint?: string;
  source: string;
}

/**
 * Gateway errors (§6.1), answered as `ERRORCODE=…&ERRORMSG=…` by the server
 * interfaces and shown on an error page for order submissions. Only the codes
 * the sandbox can meet are here, each with its own cause.
 */
export const GATEWAY_ERRORS = {
  // The table prints 10001 without the ZF prefix (§6.1).
  CHARSET: { code: '10001', text: '不支持的字符编码格式', source: '§6.1' },
  PICKUP_URL: { code: 'ZF10002', text: '参数取货地址不正确', source: '§6.1' },
  RECEIVE_URL: { code: 'ZF10002', text: '参数通知地址不正确', source: '§6.1 (ZF10002 is printed twice, ALP-16)' },
  SIGN_TYPE: { code: 'ZF10004', text: '参数签名类型不正确', source: '§6.1' },
  LANGUAGE: { code: 'ZF10005', text: '参数语言类型不正确', source: '§6.1' },
  PAY_TYPE: { code: 'ZF10006', text: '参数支付方式不正确', source: '§6.1' },
  EXT2: { code: 'ZF10007', text: '参数扩展参数2不正确', source: '§6.1' },
  EXT1: { code: 'ZF10008', text: '参数扩展参数1不正确', source: '§6.1' },
  PRODUCT_DESC: { code: 'ZF10009', text: '参数产品描述信息部正确', source: '§6.1 (sic)' },
  PRODUCT_ID: { code: 'ZF10010', text: '参数产品代码不正确', source: '§6.1' },
  PRODUCT_NUM: { code: 'ZF10011', text: '参数产品数量不正确', source: '§6.1' },
  PRODUCT_NAME: { code: 'ZF10012', text: '参数产品名称不正确', source: '§6.1' },
  ORDER_DATETIME: { code: 'ZF10013', text: '参数订单提交时间不正确', source: '§6.1' },
  AMOUNT: { code: 'ZF10014', text: '参数订单金额不正确', source: '§6.1' },
  ORDER_NO: { code: 'ZF10015', text: '参数订单号不正确', source: '§6.1' },
  PAYER_EMAIL: { code: 'ZF10016', text: '参数付款人的email地址不正确', source: '§6.1' },
  PAYER_PHONE: { code: 'ZF10017', text: '参数付款人的电话不正确', source: '§6.1' },
  PAYER_NAME: { code: 'ZF10018', text: '参数付款人名称不正确', source: '§6.1' },
  VERSION: { code: 'ZF10019', text: '参数报文版本号不正确', source: '§6.1' },
  SIGN: { code: 'ZF10020', text: '参数签名信息不正确', hint: '签名错误, 请参考接口文档签名章节', source: '§6.1' },
  ISSUER: { code: 'ZF10021', text: '参数发卡机构号不正确', source: '§6.1' },
  QUERY_TIME: { code: 'ZF10023', text: '参数查询时间不正确', source: '§6.1; §3.1 "不能与系统当前时间相差15分钟"' },
  BEGIN_TIME: { code: 'ZF10024', text: '参数查询开始时间不正确', source: '§6.1' },
  END_TIME: { code: 'ZF10025', text: '参数查询结束时间不正确', source: '§6.1' },
  NOT_FOUND: { code: 'ZF10027', text: '该笔订单不存在', source: '§6.1' },
  NOT_REFUNDABLE: { code: 'ZF10028', text: '该笔订单不符合退款条件', source: '§6.1' },
  // A field with no code of its own (pageNo, mchtRefundOrderNo, currency, a body that is not JSON).
  MALFORMED: { code: 'ZF20001', text: '报文编码格式错误', source: '§6.1 (used for fields without a code of their own)' },
  PAID: { code: 'ZF30002', text: '订单已经支付成功', source: '§6.1' },
  DUPLICATE: { code: 'ZF30003', text: '不能重复提交订单', source: '§6.1' },
  MERCHANT: { code: 'ZF30005', text: '商户支付配置错误', hint: '商户号不存在或配置错误', source: '§6.1' },
  PAY_TYPE_DISABLED: { code: '30007', text: '商户不支持的支付方式', hint: '暂未开通该支付方式，请尝试其他银行卡或支付方式', source: '§6.1' },
  FOREIGN_CURRENCY: { code: 'EM0001_000073', text: '移动支付-移动支付不支持外币订单', hint: '暂不支持外币', source: '§6.1' },
  CARD_NO: { code: 'EM0001_000012', text: '银行卡号为空或非法', hint: '请输入正确的银行卡号', source: '§6.1' },
  // Magic amount 2004: the document's "unknown exception, retry"; the outcome is unknown, so query.
  SYSTEM: { code: 'BL0004_100002', text: '未知业务异常', hint: '操作失败（B4,02），请重试', source: '§6.1 (magic amount 2004)' },
  INTERNAL: { code: 'ZF99999', text: '沙箱内部错误（不是脚本场景），请查看/_sim/requests', source: 'sandbox' },
} as const satisfies Record<string, Code>;
export type GatewayErrorName = keyof typeof GATEWAY_ERRORS;

/** What the payment control page answers the payer (§6.1 EM… codes and the front-end hints). */
export const PAGE_ERRORS = {
  CARD_NO: GATEWAY_ERRORS.CARD_NO,
  PHONE: { code: 'EM0001_000011', text: '手机号码为空或非法', hint: '预留手机号不正确，请重新输入', source: '§6.1' },
  VALID_DATE: { code: 'EM0001_000009', text: '卡有效期为空或非法', hint: '卡片有效期不正确，请重新输入', source: '§6.1' },
  CVV2: { code: 'EM0001_000010', text: '卡 CVV2 为空或非法', hint: '卡片后三位数字不正确，请重新输入', source: '§6.1' },
  IDENTITY: { code: 'EM0001_000111', text: '与会员实名信息数据不一致', hint: '输入的身份信息与银行预留信息不符', source: '§6.1' },
  SMS_CODE: { code: 'EM0001_000008', text: '短信验证码为空或非法', hint: '短信验证码不存在，请重新输入', source: '§6.1' },
  SMS_NOT_SENT: { code: 'EM0001_000034', text: '移动支付还未发送支付短信', hint: '请获取短信验证码', source: '§6.1' },
  SMS_TOO_OFTEN: { code: 'EM0001_000070', text: '移动支付-发送短信过于频繁', hint: '短信发送过于频繁, 请稍后重试', source: '§6.1' },
  CARD_CHANGED: { code: 'EM0001_000029', text: '移动支付-传入银行卡号不等于支付订单银行卡号', hint: '请输入正确的银行卡号', source: '§6.1' },
  PHONE_CHANGED: { code: 'EM0001_000098', text: '移动支付传入手机号码不等于支付订单的手机号码', hint: '预留手机号不正确, 请重新输入', source: '§6.1' },
  EXPIRED: { code: 'EM0001_000059', text: '移动支付-通联订单已过期', hint: '订单支付已过期, 请重新下单', source: '§6.1' },
  PAID: { code: 'EM0001_000093', text: '移动支付交易支付流水已经支付, 不可再支付', hint: '原订单已支付成功, 请勿重复支付', source: '§6.1' },
  CLOSED: { code: 'EM0001_000072', text: '移动支付-交易支付申请流水已经关闭', hint: '订单支付失败, 请重新下单或支付', source: '§6.1' },
  DECLINED: { code: 'P00002_100003', text: '支付结果失败', hint: '支付结果失败, 请重新支付', source: '§6.1' },
} as const satisfies Record<string, Code>;
export type PageErrorName = keyof typeof PAGE_ERRORS;

/**
 * Refund status query failures (§3.8 "退款查询错误码及描述"; the document's
 * columns are swapped: the numbers are the codes).
 */
export const REFUND_QUERY_ERRORS = {
  MERCHANT_EMPTY: { code: '001', text: '商户号不能为空', source: '§3.8' },
  MERCHANT_TOO_LONG: { code: '002', text: '商户号不能超过15位', source: '§3.8' },
  MERCHANT_UNKNOWN: { code: '003', text: '商户号不存在', source: '§3.8' },
  ORDER_EMPTY: { code: '004', text: '订单号不能为空', source: '§3.8' },
  ORDER_UNKNOWN: { code: '005', text: '订单号不存在', source: '§3.8' },
  AMOUNT_EMPTY: { code: '006', text: '退款金额不能为空', source: '§3.8' },
  AMOUNT_NOT_POSITIVE: { code: '007', text: '退款金额必须大于0', source: '§3.8' },
  AMOUNT_NOT_INTEGER: { code: '008', text: '退款金额必须为整数', source: '§3.8' },
  DATETIME: { code: '009', text: '退款受理时间格式不匹配', source: '§3.8' },
  SIGN: { code: '010', text: '摘要错误', source: '§3.8' },
  NOT_FOUND: { code: '011', text: '退款订单不存在', source: '§3.8' },
} as const satisfies Record<string, Code>;
export type RefundQueryErrorName = keyof typeof REFUND_QUERY_ERRORS;

/** refundResult of the refund status query (§3.8 "退款查询成功返回码"). */
export const REFUND_RESULTS = {
  NOT_ACCEPTED: { code: 'TKSUCC0001', text: '退款未受理', source: '§3.8' },
  AWAITING_REVIEW: { code: 'TKSUCC0002', text: '待通联审核', source: '§3.8' },
  APPROVED: { code: 'TKSUCC0003', text: '通联审核通过', source: '§3.8' },
  REVERSED: { code: 'TKSUCC0004', text: '退款冲销', source: '§3.8' },
  PROCESSING: { code: 'TKSUCC0005', text: '处理中', source: '§3.8' },
  SUCCEEDED: { code: 'TKSUCC0006', text: '退款成功', source: '§3.8' },
  FAILED: { code: 'TKSUCC0007', text: '退款失败', source: '§3.8' },
  REJECTED: { code: 'TKSUCC0008', text: '通联审核不通过', source: '§3.8' },
} as const satisfies Record<string, Code>;

/** refundResult of the refund application (§3.6): "申请成功：20 其他为失败". */
export const REFUND_ACCEPTED = '20';

/** retCode of the pre-authorisation replies (§4.2, §4.4). */
export const PREAUTH_RESULTS = {
  OK: { code: '0000', text: '成功', source: '§4.2, §4.4' },
  CANCEL_FAILED: { code: 'FC0003_000008', text: '预授权撤销失败', source: '§4.2' },
  // §4.4 "预授权完成失败：其他": the document names no code, so the sandbox uses the next one.
  CONFIRM_FAILED: { code: 'FC0003_000009', text: '预授权确认失败', source: 'sandbox (§4.4 "其他")' },
} as const satisfies Record<string, Code>;

const entries = (table: Record<string, Code>, prefix = ''): CodeEntry[] =>
  Object.values(table).map((entry) => ({
    code: `${prefix}${entry.code}`,
    message: entry.hint ? `${entry.text}（${entry.hint}）` : entry.text,
    source: entry.source,
  }));

export const ALLINPAY_CODES: CodeEntry[] = [
  ...entries(GATEWAY_ERRORS, 'ERRORCODE '),
  ...entries(PAGE_ERRORS, 'page '),
  ...entries(REFUND_QUERY_ERRORS, 'refundQuery ERRORCODE '),
  { code: `refundResult ${REFUND_ACCEPTED}`, message: '退款申请成功', source: '§3.6' },
  ...entries(REFUND_RESULTS, 'refundResult '),
  ...entries(PREAUTH_RESULTS, 'retCode '),
];
