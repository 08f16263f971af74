import { recordToRefund, type Refund } from '../domain.js';
import type { RecordRepository } from './records.js';

/** Refunds: the typed view of records of kind `refund`, each belonging to its order. */
export class RefundRepository {
  constructor(private readonly records: RecordRepository) {}

  findByRefundNo(provider: string, merchantId: string, refundNo: string): Refund | undefined {
    const record = this.records.findByNumber(provider, 'refund', merchantId, refundNo);
    return record && recordToRefund(record);
  }

  findByPlatformNo(provider: string, platformRefundNo: string): Refund | undefined {
    const record = this.records.findByPlatformNumber(provider, 'refund', platformRefundNo);
    return record && recordToRefund(record);
  }

  forOrder(orderId: number): Refund[] {
    return this.records.children(orderId, 'refund').map(recordToRefund);
  }
}
