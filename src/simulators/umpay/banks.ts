/**
 * 快捷支付支持银行列表. The credit-card list is the same 65 banks as §7
 * "H5收银台支持银行列表"; the debit list is §8 "借记卡支持的银行列表" (15).
 * `CITIB  ` is printed with trailing spaces (UMP-18): trimmed.
 */
export const CREDIT_BANKS: Readonly<Record<string, string>> = {
  BOC: '中国银行',
  ABC: '农业银行',
  ICBC: '工商银行',
  CCB: '建设银行',
  COMM: '交通银行',
  PSBC: '中国邮政储蓄银行',
  CMB: '招商银行',
  CMBC: '民生银行',
  CITIC: '中信银行',
  CEB: '光大银行',
  HXB: '华夏银行',
  GDB: '广发银行',
  CIB: '兴业银行',
  SPDB: '上海浦东发展银行',
  SPAB: '平安银行',
  BEA: '东亚银行',
  BHB: '河北银行',
  BJB: '北京银行',
  BOJZ: '锦州银行',
  BOTJ: '天津银行',
  BSB: '包商银行',
  CDRCB: '成都农村商业银行',
  CQB: '重庆银行',
  CRCB: '重庆农村商业银行',
  CSCB: '长沙银行',
  CSRCB: '常熟农村商业银行',
  CZCB: '浙江稠州商业银行',
  CZSB: '浙商银行',
  DAQINGB: '龙江银行',
  DLB: '大连银行',
  DYCCB: '东营市商业银行',
  FJNXB: '福建省农村信用社',
  GCB: '广州银行',
  GRCB: '广州农村商业银行',
  GYB: '贵阳银行',
  HEBB: '哈尔滨银行',
  HSB: '徽商银行',
  HZCB: '杭州银行',
  JJCCB: '九江银行',
  JRCB: '江阴农村商业银行',
  JSB: '江苏银行',
  LZB: '兰州银行',
  MTBANK: '浙江民泰商业银行',
  NBB: '宁波银行',
  NCB: '南昌银行',
  NJCB: '南京银行',
  ORBANK: '鄂尔多斯银行',
  QDCCB: '青岛银行',
  QHB: '青海银行',
  QLBANK: '齐鲁银行',
  SDEB: '顺德农村商业银行',
  SHB: '上海银行',
  SHRCB: '上海农商银行',
  SRB: '上饶银行',
  TZCB: '台州银行',
  URMQCCB: '乌鲁木齐市商业银行',
  WFCCB: '潍坊银行',
  WHSHB: '威海市商业银行',
  WJRCB: '吴江农商行',
  WRCB: '无锡农村商业银行',
  WZCB: '温州银行',
  YDRCB: '尧都农村商业银行',
  YZB: '鄞州银行',
  ZJTLCB: '浙江泰隆商业银行',
  CITIB: '花旗银行',
};

export const DEBIT_BANKS: Readonly<Record<string, string>> = {
  CCB: '建设银行',
  ABC: '农业银行',
  BOC: '中国银行',
  CITIC: '中信银行',
  CEB: '光大银行',
  CIB: '兴业银行',
  SPDB: '浦发银行',
  ICBC: '工商银行',
  COMM: '交通银行',
  CZSB: '浙商银行',
  SPAB: '平安银行',
  CMB: '招商银行',
  CMBC: '民生银行',
  SHB: '上海银行',
  GDB: '广发银行',
};

/** 支付方式 (§ 解约接口 table, "信用卡：CREDITCARD,借记卡:DEBITCARD"). */
export const PAY_TYPES = ['CREDITCARD', 'DEBITCARD'] as const;
export type PayType = (typeof PAY_TYPES)[number];
export const isPayType = (value: unknown): value is PayType => PAY_TYPES.includes(value as PayType);

export function banksFor(payType: PayType): Readonly<Record<string, string>> {
  return payType === 'CREDITCARD' ? CREDIT_BANKS : DEBIT_BANKS;
}

/** The test cards' card type in UMPay's words. */
export const payTypeOfCard = (type: 'debit' | 'credit'): PayType => (type === 'credit' ? 'CREDITCARD' : 'DEBITCARD');

/** `ICBC` → `工商银行`, whichever list names it. */
export const bankName = (gateId: string): string => CREDIT_BANKS[gateId] ?? DEBIT_BANKS[gateId] ?? gateId;
