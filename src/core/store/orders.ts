import { recordToOrder, type Order } from '../domain.js';
import type { RecordRepository } from './records.js';

export type NewOrder = Omit<Order, 'id' | 'refundedAmount' | 'updatedAt' | 'paidAt' | 'closedAt'>;

export interface OrderFilter {
  provider?: string;
  merchantId?: string;
  orderNo?: string;
  platformOrderNo?: string;
  state?: string;
  limit?: number;
}

/** Payment orders: the typed view of records of kind `order`, which every provider reads the most. */
export class OrderRepository {
  constructor(private readonly records: RecordRepository) {}

  insert(order: NewOrder): Order {
    const { orderNo, platformOrderNo, ...rest } = order;
    return recordToOrder(
      this.records.insert({ ...rest, kind: 'order', number: orderNo, platformNumber: platformOrderNo, parentId: null }),
    );
  }

  get(id: number): Order | undefined {
    const record = this.records.get(id);
    return record?.kind === 'order' ? recordToOrder(record) : undefined;
  }

  findByOrderNo(provider: string, merchantId: string, orderNo: string): Order | undefined {
    const record = this.records.findByNumber(provider, 'order', merchantId, orderNo);
    return record && recordToOrder(record);
  }

  findByPlatformNo(provider: string, platformOrderNo: string): Order | undefined {
    const record = this.records.findByPlatformNumber(provider, 'order', platformOrderNo);
    return record && recordToOrder(record);
  }

  /** Newest first. */
  list(filter: OrderFilter = {}): Order[] {
    const { orderNo, platformOrderNo, ...rest } = filter;
    return this.records
      .list({
        ...rest,
        kind: 'order',
        ...(orderNo ? { number: orderNo } : {}),
        ...(platformOrderNo ? { platformNumber: platformOrderNo } : {}),
      })
      .map(recordToOrder);
  }
}
