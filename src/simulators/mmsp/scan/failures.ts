import type { SimRecord } from '../../../core/domain.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { TransportFailure } from '../../../core/transport.js';
import { cstDateTime } from '../../../core/time-format.js';
import type { ScanAttributes } from './wallets.js';

/**
 * The fields each scan reply table marks 必须, besides STATUS: a STATUS 2
 * reply carries them all (the failure's values, else ""), so a merchant's
 * parser that reads them does not crash on a failure.
 */
export const REQUIRED = {
  /** 5.1.3, 6.1.2, 6.3.2, 6.4.2, 7.1.2, 8.1.2, 9.1.2. */
  prepay: ['ORDERNO', 'URL', 'TRADETYPE', 'TRADETIME', 'MERORDERID'],
  /** 5.2.3, 6.2.3, 7.2.3. */
  micropay: ['ORDERNO', 'TRADETIME', 'MERORDERID'],
  /** 5.3.1 应答参数, 6.5.2. */
  h5: ['ORDERNO', 'TRADETIME', 'MERORDERID', 'URL'],
  /** 10.3.2, 10.4.2, 10.5.2. */
  order: ['ORDERNO', 'AMT', 'TRADETIME', 'PAYTIME', 'MERORDERID', 'TRADETYPE'],
  /** 10.6.2, 10.7.2. */
  refund: ['REFUND_ORDERNO', 'AMT', 'REFUND_TIME', 'REFUND_MERORDERID'],
} as const;

const isScan = (record: SimRecord) => record.attributes.family === 'scan';

/**
 * What a duplicate MERORDERID answers besides ERR_CODE 94: the existing
 * order's ORDERNO, TRADETIME, MERORDERID and (a pre-order's) TRADETYPE. Not
 * its URL: STATUS 2 says this request placed nothing, and a payment address
 * in a failure would have the merchant show a code for an order that may not
 * be the one it meant (docs/providers/mmsp.md). Undefined for a record of
 * another MMSP document.
 */
export function duplicateFields(existing: SimRecord): Record<string, string> | undefined {
  if (existing.kind !== 'order' || !isScan(existing)) return undefined;
  const attributes = existing.attributes as unknown as ScanAttributes;
  return {
    ORDERNO: existing.platformNumber,
    TRADETIME: cstDateTime(existing.createdAt),
    MERORDERID: existing.number,
    ...(attributes.tradeType ? { TRADETYPE: attributes.tradeType } : {}),
  };
}

/**
 * The JSON-envelope documents (扫码 §11, 快捷/网关 §6) define no system error:
 * their only header code besides success is 0 消息结构体错误, which a merchant
 * reads as "never placed". So a scripted system error (magic amount 2004) of an
 * order or refund is a lost answer — the connection drops after the state
 * change and the merchant must query. (Payouts answer their documented 0001
 * themselves and never come here.)
 */
export function envelopeSystemError(record: SimRecord): Error {
  return new TransportFailure(`the MMSP envelope defines no system error: the answer about ${record.kind} ${record.number} is lost; query it`);
}

/** The provider's system error for a query that a scenario fails (`fail-queries`, the first query after 2004). */
export function queryFailure(sim: SimulatorContext, recordId: number): Error {
  return sim.errors.system(sim.store.records.get(recordId)!);
}
