import { BINDING_KIND } from '../../core/kinds.js';
import { diagnose } from './diagnose.js';
import { sequenceNumber } from '../../core/numbers.js';
import { defineSimulator } from '../../core/simulator.js';
import { MMSP_CODES } from './codes.js';
import { BusinessError, EnvelopeError } from './errors.js';
import { announce, SCAN_CHANNEL, scanPushChannel } from './notify.js';
import { GATEWAY_PRODUCTS } from './gateway/attributes.js';
import { GATEWAY_CHANNEL, gatewayPayChannel } from './gateway/notify.js';
import { MMSP_ORDER_KIND, QUICK_CHANNEL, QUICK_PRODUCTS, QUICK_SMS_KIND, quickPayChannel } from './quick/index.js';
import { browserReturn, describe } from './page.js';
import { PAYOUT_CODES, PAYOUT_KINDS, PAYOUT_PRODUCTS, payoutAccounts, payoutStateLabel, TEST_MERCHANT_PAYOUT } from './payout/index.js';
import { refusalResponse } from './refusal.js';
import { mmspRoutes } from './routes.js';
import { duplicateFields, envelopeSystemError } from './scan/failures.js';
import { SCAN_PRODUCTS } from './scan/wallets.js';
import { signBody } from './signature.js';

/**
 * The MMSP open platform (seed 001). This issue covers the scan/QR document
 * (扫码接口规范): WeChat, Alipay, QQ Wallet, JD and UnionPay QR, micropay and H5,
 * query, cancel, close, refund, refund query and the 2324 push; quick pay
 * (快捷支付接口规范, 771–783, `quick/`) and the online-banking gateway (网关支付接口规范,
 * the `web_api` form, 2323, 782, `gateway/`).
 */
/** The engine's generic field names as the scan document spells them. */
const FIELD_NAMES: Record<string, string> = { notifyUrl: 'NOTIFY_URL', returnUrl: 'JUMP_URL' };

export default defineSimulator({
  id: 'mmsp',
  title: 'MMSP open platform (扫码 scan/QR pay, 快捷 quick pay, 网关 gateway)',
  mount: '/mmsp',
  routes: mmspRoutes,
  products: [...SCAN_PRODUCTS, ...QUICK_PRODUCTS, ...GATEWAY_PRODUCTS, ...PAYOUT_PRODUCTS],
  // Quick pay: SMS challenges, card bindings, and orders whose end settles both (quick/order-kind.ts); payouts and accounts.
  kinds: [MMSP_ORDER_KIND, QUICK_SMS_KIND, BINDING_KIND, ...PAYOUT_KINDS],
  accounts: payoutAccounts,
  stateLabel: payoutStateLabel,
  errors: {
    // No MMSP envelope document has a system error: orders and refunds drop the connection (scan/failures.ts).
    system: envelopeSystemError,
    duplicate: (existing) => new BusinessError('DUPLICATE', undefined, duplicateFields(existing) ?? { MERORDERID: existing.number }),
    internal: () => new EnvelopeError('INTERNAL'),
    malformed: (reason) => new EnvelopeError('MALFORMED', reason),
    badField: (field, reason) => new EnvelopeError('FIELD', FIELD_NAMES[field] ?? field, reason),
  },
  errorResponse: (c, error) => refusalResponse(c, error as EnvelopeError),
  merchants: [
    {
      // 扫码 §12.2 测试商户信息 / §12.3 测试密钥.
      merchantId: '001440353999853',
      terminalId: '84970001',
      md5Key: 'ea21842eea24e448b991b1cb0a0294cf',
      name: 'MMSP测试商户',
      // Payouts sign with a 1024-bit merchant key (代付 §3.2 "1024位 PKCS#8").
      rsaBits: 1024,
      // 代付 §6.5: the test merchant's payout account (payout/settings.ts).
      settings: { payout: TEST_MERCHANT_PAYOUT },
    },
  ],
  keys: { platform: { bits: 1024, certificate: false } },
  notifications: { [SCAN_CHANNEL]: scanPushChannel, [QUICK_CHANNEL]: quickPayChannel, [GATEWAY_CHANNEL]: gatewayPayChannel },
  announce,
  page: { describe, browserReturn },
  /**
   * `POST /_sim/sign/mmsp {"CommandID":2306,"Body":{…}}` → the whole envelope,
   * defaults filled and Sign computed, ready to POST to /mmsp/api.
   */
  signRequest(input, merchant) {
    const body = (input.Body ?? {}) as Record<string, unknown>;
    return {
      CommandID: input.CommandID,
      SeqID: input.SeqID ?? 1,
      NodeType: input.NodeType ?? 3,
      NodeID: input.NodeID ?? 'openplat',
      Version: input.Version ?? '1.0.0',
      AGENTNO: input.AGENTNO ?? '',
      MERNO: merchant.merchantId,
      TERMNO: input.TERMNO ?? merchant.terminalId,
      Body: body,
      Sign: signBody(body, merchant.md5Key ?? ''),
    };
  },
  diagnose,
  // An operator refund from the dashboard (as from the merchant portal) numbers like a 2312 refund: REFUND_ORDERNO string(20).
  refunds: { platformNumber: (sequence, now) => sequenceNumber(now, sequence, { length: 20, stamp: 'date' }) },
  codes: [...MMSP_CODES, ...PAYOUT_CODES],
});
