import type { Order, OrderState, ScenarioState } from '../domain.js';
import type { Db } from './database.js';
import { readJson } from './json-column.js';

interface OrderRow {
  id: number;
  provider: string;
  merchant_id: string;
  order_no: string;
  platform_order_no: string;
  product: string;
  amount: number;
  currency: string;
  state: OrderState;
  refunded_amount: number;
  notify_url: string | null;
  return_url: string | null;
  attributes: string;
  scenario_id: string | null;
  scenario_state: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  paid_at: number | null;
  closed_at: number | null;
}

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    provider: row.provider,
    merchantId: row.merchant_id,
    orderNo: row.order_no,
    platformOrderNo: row.platform_order_no,
    product: row.product,
    amount: row.amount,
    currency: row.currency,
    state: row.state,
    refundedAmount: row.refunded_amount,
    notifyUrl: row.notify_url,
    returnUrl: row.return_url,
    attributes: readJson(row.attributes),
    scenarioId: row.scenario_id,
    scenarioState: readJson<ScenarioState>(row.scenario_state),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    paidAt: row.paid_at,
    closedAt: row.closed_at,
  };
}

export type NewOrder = Omit<Order, 'id' | 'refundedAmount' | 'updatedAt' | 'paidAt' | 'closedAt'>;

export interface OrderFilter {
  provider?: string;
  merchantId?: string;
  orderNo?: string;
  platformOrderNo?: string;
  state?: string;
  limit?: number;
}

export class OrderRepository {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly byOrderNoStmt;
  private readonly byPlatformNoStmt;
  private readonly updateStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(`
      INSERT INTO orders (provider, merchant_id, order_no, platform_order_no, product, amount, currency, state,
        notify_url, return_url, attributes, scenario_id, scenario_state, created_at, updated_at, expires_at)
      VALUES (@provider, @merchantId, @orderNo, @platformOrderNo, @product, @amount, @currency, @state,
        @notifyUrl, @returnUrl, @attributes, @scenarioId, @scenarioState, @createdAt, @createdAt, @expiresAt)`);
    this.byIdStmt = db.prepare<[number], OrderRow>('SELECT * FROM orders WHERE id = ?');
    this.byOrderNoStmt = db.prepare<[string, string, string], OrderRow>(
      'SELECT * FROM orders WHERE provider = ? AND merchant_id = ? AND order_no = ?',
    );
    this.byPlatformNoStmt = db.prepare<[string, string], OrderRow>(
      'SELECT * FROM orders WHERE provider = ? AND platform_order_no = ?',
    );
    this.updateStmt = db.prepare(`
      UPDATE orders SET state = @state, refunded_amount = @refundedAmount, attributes = @attributes,
        scenario_state = @scenarioState, updated_at = @updatedAt, paid_at = @paidAt, closed_at = @closedAt,
        expires_at = @expiresAt
      WHERE id = @id`);
  }

  insert(order: NewOrder): Order {
    const info = this.insertStmt.run({
      ...order,
      attributes: JSON.stringify(order.attributes),
      scenarioState: JSON.stringify(order.scenarioState),
    });
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Order | undefined {
    const row = this.byIdStmt.get(id);
    return row && toOrder(row);
  }

  findByOrderNo(provider: string, merchantId: string, orderNo: string): Order | undefined {
    const row = this.byOrderNoStmt.get(provider, merchantId, orderNo);
    return row && toOrder(row);
  }

  findByPlatformNo(provider: string, platformOrderNo: string): Order | undefined {
    const row = this.byPlatformNoStmt.get(provider, platformOrderNo);
    return row && toOrder(row);
  }

  platformNoExists(provider: string, platformOrderNo: string): boolean {
    return this.byPlatformNoStmt.get(provider, platformOrderNo) !== undefined;
  }

  /** Writes every mutable column of `order` back. */
  save(order: Order): Order {
    this.updateStmt.run({
      id: order.id,
      state: order.state,
      refundedAmount: order.refundedAmount,
      attributes: JSON.stringify(order.attributes),
      scenarioState: JSON.stringify(order.scenarioState),
      updatedAt: order.updatedAt,
      paidAt: order.paidAt,
      closedAt: order.closedAt,
      expiresAt: order.expiresAt,
    });
    return order;
  }

  list(filter: OrderFilter = {}): Order[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    for (const [key, column] of [
      ['provider', 'provider'],
      ['merchantId', 'merchant_id'],
      ['orderNo', 'order_no'],
      ['platformOrderNo', 'platform_order_no'],
      ['state', 'state'],
    ] as const) {
      if (filter[key]) {
        where.push(`${column} = @${key}`);
        params[key] = filter[key];
      }
    }
    const sql = `SELECT * FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ${Math.max(1, Math.min(filter.limit ?? 500, 5000))}`;
    return this.db.prepare<Record<string, unknown>, OrderRow>(sql).all(params).map(toOrder);
  }
}
