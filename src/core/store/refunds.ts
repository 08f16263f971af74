import type { Refund } from '../domain.js';
import type { Db } from './database.js';
import { readJson } from './json-column.js';

interface RefundRow {
  id: number;
  order_id: number;
  provider: string;
  merchant_id: string;
  refund_no: string;
  platform_refund_no: string;
  amount: number;
  state: Refund['state'];
  attributes: string;
  created_at: number;
  updated_at: number;
}

function toRefund(row: RefundRow): Refund {
  return {
    id: row.id,
    orderId: row.order_id,
    provider: row.provider,
    merchantId: row.merchant_id,
    refundNo: row.refund_no,
    platformRefundNo: row.platform_refund_no,
    amount: row.amount,
    state: row.state,
    attributes: readJson(row.attributes),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type NewRefund = Omit<Refund, 'id' | 'updatedAt'>;

export class RefundRepository {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly byRefundNoStmt;
  private readonly byPlatformNoStmt;
  private readonly byOrderStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`
      INSERT INTO refunds (order_id, provider, merchant_id, refund_no, platform_refund_no, amount, state, attributes,
        created_at, updated_at)
      VALUES (@orderId, @provider, @merchantId, @refundNo, @platformRefundNo, @amount, @state, @attributes,
        @createdAt, @createdAt)`);
    this.byIdStmt = db.prepare<[number], RefundRow>('SELECT * FROM refunds WHERE id = ?');
    this.byRefundNoStmt = db.prepare<[string, string, string], RefundRow>(
      'SELECT * FROM refunds WHERE provider = ? AND merchant_id = ? AND refund_no = ?',
    );
    this.byPlatformNoStmt = db.prepare<[string, string], RefundRow>(
      'SELECT * FROM refunds WHERE provider = ? AND platform_refund_no = ?',
    );
    this.byOrderStmt = db.prepare<[number], RefundRow>('SELECT * FROM refunds WHERE order_id = ? ORDER BY id');
  }

  insert(refund: NewRefund): Refund {
    const info = this.insertStmt.run({ ...refund, attributes: JSON.stringify(refund.attributes) });
    return toRefund(this.byIdStmt.get(Number(info.lastInsertRowid))!);
  }

  findByRefundNo(provider: string, merchantId: string, refundNo: string): Refund | undefined {
    const row = this.byRefundNoStmt.get(provider, merchantId, refundNo);
    return row && toRefund(row);
  }

  findByPlatformNo(provider: string, platformRefundNo: string): Refund | undefined {
    const row = this.byPlatformNoStmt.get(provider, platformRefundNo);
    return row && toRefund(row);
  }

  platformNoExists(provider: string, platformRefundNo: string): boolean {
    return this.byPlatformNoStmt.get(provider, platformRefundNo) !== undefined;
  }

  forOrder(orderId: number): Refund[] {
    return this.byOrderStmt.all(orderId).map(toRefund);
  }
}
