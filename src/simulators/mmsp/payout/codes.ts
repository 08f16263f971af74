import type { CodeEntry } from '../../../core/simulator.js';

/** 代付 §6.1.1: the CommandIDs are hexadecimal in the document and sent in decimal. */
export const CMD_PAYOUT = 4097; // 0x1001 单笔代付
export const CMD_QUERY = 4098; // 0x1002 单笔代付结果查询
export const CMD_BALANCE = 4099; // 0x1003 账户余额查询

/** 代付 §6.2 返回码, each with the cause that produces it in the sandbox. */
export const RETCODES = {
  OK: { code: '0000', text: '交易成功', cause: 'accepted, or a query answered (then read PAYSTATE)' },
  SYSTEM: { code: '0001', text: '系统异常，需要发起订单查询', cause: 'magic amount 2004 or a scenario: the payout exists; query it' },
  UPLOAD: { code: '0002', text: '上送参数有问题', cause: 'the body is not a JSON object with string ENCRYPT and SIGN' },
  PARAM: { code: '1001', text: '参数错误', cause: 'a required field is missing, a field is malformed, the plaintext is not a JSON object, unknown CMDID' },
  MERCHANT: { code: '1002', text: '不存在此商户或商户未激活', cause: 'MERNO is not a merchant of the sandbox' },
  CONFIG: { code: '1003', text: '平台配置错误', cause: "the merchant's payout settings (merchants.json) are invalid" },
  NO_CERT: { code: '1004', text: '商户未生成证书', cause: 'the merchant has no RSA public key registered' },
  DECRYPT: { code: '1005', text: '加密错误', cause: 'ENCRYPT is not Base64 or does not decrypt with the platform key' },
  SIGN: { code: '1006', text: '签名错误', cause: "SIGN does not verify with the merchant's public key" },
  VERSION: { code: '1007', text: '版本号错误', cause: 'VERSION is not 1.0' },
  DUPLICATE: { code: '1008', text: '流水号重复', cause: 'ORDERNO already used by this merchant' },
  FAULT: { code: '1009', text: '系统故障', cause: 'a fault of the sandbox itself (see /_sim/requests)' },
  BANK: { code: '1010', text: '不支持的银行', cause: 'BANKNAME is not a bank the sandbox pays to' },
  BUSINESS: { code: '1011', text: '业务类型错误', cause: 'BUSIYPE is not 001–005 or 999' },
  AMOUNT: { code: '1012', text: '总金额错误或交易存在风险', cause: 'AMT is not a whole number of fen from 1 to 10,000,000' },
  NAME: { code: '1014', text: '付款人姓名错误', cause: 'ACCNAME is malformed' },
  MOBILE: { code: '1015', text: '付款人手机号码错误信息', cause: 'MOBILE is not an 11-digit mobile number' },
  ID_TYPE: { code: '1017', text: '付款人证件类型错误', cause: 'IDCARD is not an 18-character resident ID' },
  ACCOUNT_NO: { code: '1018', text: '付款人账号错误', cause: 'ACCNO is not a card or account number' },
  ACCOUNT_TYPE: { code: '1019', text: '付款人账号类型错误', cause: 'ACCTYPE is not 0 or 2 (credit cards are not supported), or does not fit the card' },
  BANK_NAME: { code: '1020', text: '开户行名称错误', cause: "BANKNAME is not the test card's bank" },
  SETTLE_NO: { code: '1021', text: '开户行银联机构号错误', cause: 'BANKSETTLENO missing for a corporate account, or not 10–12 digits' },
  PROVINCE: { code: '1022', text: '开户行省份错误', cause: 'BANKPROV is not a province' },
  ELEMENTS: { code: '1023', text: '不满足渠道交易要素要求', cause: "a field the merchant's channel requires (settings requiredElements) is missing" },
  IDENTITY: { code: '1024', text: '身份验证不通过', cause: "IDCARD is not the test card holder's" },
  SETTLE_BANK: { code: '1025', text: '银联机构号不支持', cause: "BANKSETTLENO's bank code is unknown or another bank's than BANKNAME" },
  MISMATCH: { code: '1026', text: '付款人信息不匹配', cause: "ACCNAME is not the test card holder's name" },
  NO_NUMBERS: { code: '1027', text: '商户付款订单号和平台代付流水号不能同时为空', cause: '4098 without ORDERNO and BSORDERNO' },
  NO_ORDER: { code: '1028', text: '商户付款订单号不存在', cause: "4098: no payout of this merchant with that ORDERNO" },
  NO_PLATFORM_NO: { code: '1029', text: '平台代付流水号不存在', cause: "4098: no payout of this merchant with that BSORDERNO" },
  LIMIT: { code: '1030', text: '代付金额错误', cause: "AMT outside the channel's LIMIT_DOWN–LIMIT_TOP" },
  BALANCE: { code: '1031', text: '商户余额不足', cause: 'AMT + fee above the available balance (BALANCEPAY)' },
  NO_CHANNEL: { code: '1032', text: '商户未配置代付渠道', cause: "payouts disabled in the merchant's settings, or CHLNO/CHLMERNO not its channel" },
  NO_FEE: { code: '1033', text: '商户费率未配置', cause: 'settings fee is null' },
  CLOSED: { code: '1036', text: '渠道暂未开通', cause: "outside the channel's BEGIN_AT–END_AT (China time)" },
  SUSPENDED: { code: '1039', text: '商户交易异常,暂停交易', cause: 'settings suspended: true' },
  NO_ACCOUNT: { code: '1045', text: '商户未开通资金户', cause: 'the merchant has no payout settings and was never funded' },
  ACCOUNT_FROZEN: { code: '1047', text: '商户资金户异常', cause: "the merchant's account is frozen (settings accountStatus)" },
  NO_ADVANCE: { code: '1048', text: '商户未开通垫资垫付', cause: 'PAYTYPE 3 for a T1 merchant' },
  ADVANCE_BALANCE: { code: '1049', text: '商户垫资余额不足', cause: 'PAYTYPE 3 and AMT + fee above ADVANCEPAY' },
} as const;
export type RetcodeName = keyof typeof RETCODES;

/** 代付 §6.2 codes the sandbox never answers: no sandbox cause reaches them. */
export const UNREACHABLE_RETCODES: Record<string, string> = {
  '1013': '金额类型错误 (no request field carries a currency)',
  '1034': '渠道商户费率未配置',
  '1035': '渠道商户密钥未配置',
  '1037': '渠道通讯异常',
  '1038': '重复记账',
  '1040': '商户记账失败',
  '1046': '更新实时余额失败',
};

/**
 * PAYSTATE (代付 §5.1.3 and §5.2.3): 5 accepted and awaiting review (queries
 * only), 2 paying, 1 paid, 3 failed.
 */
export const PAYSTATE: Record<string, { code: string; text: string }> = {
  accepted: { code: '5', text: '代付请求已受理，等待审核' },
  processing: { code: '2', text: '付款中' },
  paid: { code: '1', text: '付款成功' },
  failed: { code: '3', text: '付款失败' },
  reversed: { code: '3', text: '付款失败（银行退票）' },
};

export const PAYOUT_CODES: CodeEntry[] = [
  ...Object.values(RETCODES).map((e) => ({ code: `RETCODE ${e.code}`, message: e.text, source: `代付 §6.2 — ${e.cause}` })),
  ...Object.entries(UNREACHABLE_RETCODES).map(([code, text]) => ({
    code: `RETCODE ${code}`,
    message: text,
    source: '代付 §6.2 — never answered: no sandbox cause reaches it',
  })),
  ...Object.entries(PAYSTATE)
    .filter(([state]) => state !== 'reversed')
    .map(([, e]) => ({ code: `PAYSTATE ${e.code}`, message: e.text, source: '代付 §5.2.3' })),
];
