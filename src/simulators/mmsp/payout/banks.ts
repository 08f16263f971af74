/**
 * Banks the sandbox pays out to. The document refers to 《附录：支持银行列表》
 * without printing it (代付 §5.2.3), so this is the sandbox's list: the
 * national banks, each with its full name (BANKNAME asks for "开户行全称"),
 * the short names merchants commonly send, and its CNAPS bank code — the
 * first three digits of a 12-digit 联行号 (BANKSETTLENO), as the People's Bank
 * of China assigns them.
 */
export interface Bank {
  name: string;
  aliases: readonly string[];
  cnaps: string;
}

export const BANKS: readonly Bank[] = [
  { name: '中国工商银行', aliases: ['工商银行', '工行', 'ICBC'], cnaps: '102' },
  { name: '中国农业银行', aliases: ['农业银行', '农行', 'ABC'], cnaps: '103' },
  { name: '中国银行', aliases: ['中行', 'BOC'], cnaps: '104' },
  { name: '中国建设银行', aliases: ['建设银行', '建行', 'CCB'], cnaps: '105' },
  { name: '交通银行', aliases: ['交行', 'COMM', 'BOCOM'], cnaps: '301' },
  { name: '中信银行', aliases: ['CITIC'], cnaps: '302' },
  { name: '中国光大银行', aliases: ['光大银行', 'CEB'], cnaps: '303' },
  { name: '华夏银行', aliases: ['HXB'], cnaps: '304' },
  { name: '中国民生银行', aliases: ['民生银行', 'CMBC'], cnaps: '305' },
  { name: '广发银行', aliases: ['广东发展银行', 'CGB'], cnaps: '306' },
  { name: '平安银行', aliases: ['PAB'], cnaps: '307' },
  { name: '招商银行', aliases: ['招行', 'CMB'], cnaps: '308' },
  { name: '兴业银行', aliases: ['CIB'], cnaps: '309' },
  { name: '上海浦东发展银行', aliases: ['浦发银行', 'SPDB'], cnaps: '310' },
  { name: '恒丰银行', aliases: ['HFB'], cnaps: '315' },
  { name: '浙商银行', aliases: ['CZB'], cnaps: '316' },
  { name: '渤海银行', aliases: ['CBHB'], cnaps: '318' },
  { name: '中国邮政储蓄银行', aliases: ['邮政储蓄银行', '邮储银行', 'PSBC'], cnaps: '403' },
];

/** The bank a BANKNAME names (full name or a common short name), or undefined when the sandbox does not pay to it. */
export function bankNamed(name: string): Bank | undefined {
  const wanted = name.trim();
  return BANKS.find((bank) => bank.name === wanted || bank.aliases.includes(wanted));
}

export function bankByCnaps(settleNo: string): Bank | undefined {
  return BANKS.find((bank) => settleNo.startsWith(bank.cnaps));
}

/**
 * BANKPROV values (代付 §5.1.2: "直辖市省: 北京, 上海, 重庆, 天津。其他XX省"):
 * the municipalities without 市, provinces with 省, and the autonomous regions
 * and special administrative regions by their names.
 */
export const PROVINCES: readonly string[] = [
  '北京', '上海', '天津', '重庆',
  '河北省', '山西省', '辽宁省', '吉林省', '黑龙江省', '江苏省', '浙江省', '安徽省', '福建省', '江西省', '山东省',
  '河南省', '湖北省', '湖南省', '广东省', '海南省', '四川省', '贵州省', '云南省', '陕西省', '甘肃省', '青海省', '台湾省',
  '内蒙古自治区', '广西壮族自治区', '西藏自治区', '宁夏回族自治区', '新疆维吾尔自治区',
  '香港特别行政区', '澳门特别行政区',
];

/** Also accepted: a municipality written with 市 ("北京市"), which merchants often send. */
export function isProvince(value: string): boolean {
  const v = value.trim();
  return PROVINCES.includes(v) || ['北京市', '上海市', '天津市', '重庆市'].includes(v);
}
