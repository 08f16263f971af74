import { md5Hex } from '../../../core/crypto/md5.js';
import { payerData } from '../../../core/payer-data.js';
import { cstCompact } from '../../../core/time-format.js';
import type { Wallet } from './wallets.js';

/**
 * PAY_INFO, "公众号下单原生态数据，json字符串" (扫码 §5.1.3), returned instead of URL
 * when IS_RAW is 1 on an official-account / 服务窗 order. The document does not
 * spell its content; these are the shapes the wallets' own JS bridges take
 * (WeChat `WeixinJSBridge getBrandWCPayRequest`, Alipay `tradePay`, QQ `pay`).
 */
export function rawPayInfo(wallet: Wallet, now: number, appId: string | undefined): string {
  switch (wallet) {
    case 'wechat': {
      const fields: Record<string, string> = {
        appId: appId ?? `wx${payerData.hex(16)}`,
        timeStamp: String(Math.floor(now / 1000)),
        nonceStr: payerData.nonce(32),
        package: `prepay_id=${payerData.wechatPrepayId(now)}`,
        signType: 'MD5',
      };
      const source = Object.keys(fields)
        .sort()
        .map((key) => `${key}=${fields[key]}`)
        .join('&');
      fields.paySign = md5Hex(`${source}&key=${payerData.nonce(32)}`).toUpperCase();
      return JSON.stringify(fields);
    }
    case 'alipay':
      return JSON.stringify({ tradeNO: `${cstCompact(now).slice(0, 8)}22001${payerData.digits(19)}` });
    default:
      return JSON.stringify({ tokenId: payerData.hex(32) });
  }
}
