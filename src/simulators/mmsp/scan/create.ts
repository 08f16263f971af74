import type { Context } from 'hono';
import type { Order } from '../../../core/domain.js';
import { sequenceNumber } from '../../../core/numbers.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { parseCstDateTime } from '../../../core/time-format.js';
import type { VerifiedEnvelope } from '../envelope.js';
import { EnvelopeError } from '../errors.js';
import { DEFAULT_EXPIRY_MS, type ScanAttributes, type Wallet } from './wallets.js';

/** The fields every scan order request has, after validation. */
export interface ScanOrderFields {
  AMT: number;
  MERORDERID: string;
  GOODSNAME: string;
  NOTIFY_URL: string;
  TIME_END?: string | undefined;
  CODE?: string | undefined;
  TRADETYPE?: string | undefined;
}

export interface ScanOrderSpec {
  wallet: Wallet;
  mode: ScanAttributes['mode'];
  /** The product scenarios match on, e.g. `wechat.qr`, `alipay.micropay`. */
  product: string;
  fields: ScanOrderFields;
  attributes?: Partial<ScanAttributes>;
}

/** ORDERNO is string(18) (扫码 §5.1.3): the China date, then the order sequence. */
export const platformOrderNo = (sequence: number, now: number) => sequenceNumber(now, sequence, { length: 18, stamp: 'date' });

/**
 * Creates a scan order: TIME_END (default five minutes) sets its expiry; a
 * micropay succeeds in the answer unless a scenario says otherwise. A duplicate
 * MERORDERID is refused with STATUS 2 / ERR_CODE 94 and creates nothing.
 * A pre-order (QR, official account, H5) is placed before anyone pays, so a
 * scripted failure (magic amount 2003) is the payer's payment failing, not
 * the order: the answer is STATUS 1 and the payer's attempt ends in 2 / 51.
 */
export function createScanOrder(
  request: VerifiedEnvelope,
  sim: SimulatorContext,
  c: Context,
  spec: ScanOrderSpec,
): Order {
  const now = sim.clock.now();
  const { fields } = spec;
  let expiresAt = now + DEFAULT_EXPIRY_MS;
  if (fields.TIME_END) {
    expiresAt = parseCstDateTime(fields.TIME_END)!;
    if (expiresAt <= now) throw new EnvelopeError('FIELD', '字段TIME_END必须晚于当前时间');
  }
  const attributes: ScanAttributes = {
    family: 'scan',
    wallet: spec.wallet,
    mode: spec.mode,
    goodsName: fields.GOODSNAME,
    terminalId: request.terminalId,
    agentNo: request.agentNo,
    signerId: request.signerId,
    ...(fields.TRADETYPE ? { tradeType: fields.TRADETYPE } : {}),
    ...spec.attributes,
  };
  return sim.placeOrder(c, {
    provider: 'mmsp',
    merchantId: request.merchantId,
    orderNo: fields.MERORDERID,
    product: spec.product,
    amount: fields.AMT,
    notifyUrl: fields.NOTIFY_URL,
    attributes: attributes as unknown as Record<string, unknown>,
    expiresAt,
    natural: spec.mode === 'micropay' ? 'paid' : 'awaiting',
    deferFailureToPayer: spec.mode !== 'micropay',
    platformOrderNo: platformOrderNo,
    ...(fields.CODE ? { match: { code: fields.CODE } } : {}),
  });
}
