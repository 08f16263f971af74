/**
 * PAY_CHANNEL, the B2C bank channel codes (网关 §8.1.1), in the document's
 * order. "测试环境请使用YLBILL-NET-B2C": the sandbox accepts every code of the
 * table (a merchant's production configuration works unchanged) and refuses
 * any other.
 */
export const GATEWAY_CHANNELS: Readonly<Record<string, string>> = {
  'YLBILL-NET-B2C': '银联',
  'ICBC-NET-B2C': '工商银行',
  'CMBCHINA-NET-B2C': '招商银行',
  'ABC-NET-B2C': '中国农业银行',
  'CCB-NET-B2C': '建设银行',
  'BCCB-NET-B2C': '北京银行',
  'BOCO-NET-B2C': '交通银行',
  'CIB-NET-B2C': '兴业银行',
  'CMBC-NET-B2C': '中国民生银行',
  'CEB-NET-B2C': '光大银行',
  'BOC-NET-B2C': '中国银行',
  'PINGANBANK-NET-B2C': '平安银行',
  'ECITIC-NET-B2C': '中信银行',
  'SDB-NET-B2C': '深圳发展银行',
  'GDB-NET-B2C': '广发银行',
  'SHB-NET-B2C': '上海银行',
  'SPDB-NET-B2C': '上海浦东发展银行',
  'POST-NET-B2C': '中国邮政',
  'BJRCB-NET-B2C': '北京农村商业银行',
};

/** The channel the document names for its test environment. */
export const TEST_CHANNEL = 'YLBILL-NET-B2C';

/** The bank's name for a channel, for the hosted page: `银联（YLBILL-NET-B2C）`. */
export const channelLabel = (channel: string) => `${GATEWAY_CHANNELS[channel] ?? channel}（${channel}）`;
