import { describe, expect, it } from 'vitest';
import { ORDER_STATES, type Order } from '../../core/domain.js';
import { frontFields, resultFields, resultOf } from './results.js';

const order = (overrides: Partial<Order> = {}): Order => ({
  id: 1,
  provider: 'icashier',
  merchantId: '880000000000001',
  orderNo: 'ORDER0001',
  platformOrderNo: '20260301100000123456',
  product: 'icashier.weixin',
  amount: 100,
  currency: 'CNY',
  state: 'created',
  refundedAmount: 0,
  notifyUrl: 'https://m.example/back',
  returnUrl: null,
  attributes: {},
  scenarioId: null,
  scenarioState: {},
  createdAt: Date.parse('2026-03-01T02:00:00Z'),
  updatedAt: Date.parse('2026-03-01T02:00:00Z'),
  expiresAt: null,
  paidAt: null,
  closedAt: null,
  ...overrides,
});

describe('resultcode from the domain state', () => {
  it('maps every state as the brief and PROVIDERS.md say', () => {
    const codes = Object.fromEntries(ORDER_STATES.map((state) => [state, resultOf(state).resultcode]));
    expect(codes).toEqual({
      created: '1001',
      // §3.2.3: 1002 is 已支付 (paid, settled to the unavailable account); a payer still paying has paid nothing.
      pending: '1001',
      processing: '1002',
      held: '1004',
      paid: '0000',
      failed: '1003',
      closed: '1001',
      reversed: '1003',
      partially_refunded: '0000',
      refunded: '0000',
    });
  });

  it('says a closed order is closed, though 1001 stays (DMP-12)', () => {
    expect(resultOf('closed').resultmsg).toContain('关闭');
    expect(resultOf('created').resultmsg).toBe('未支付');
  });
});

describe('notification and query fields', () => {
  it('front fields are the §3.2.3 table, txnamt a number', () => {
    expect(frontFields(order())).toEqual({
      resultcode: '1001',
      resultmsg: '未支付',
      queryid: '20260301100000123456',
      txnamt: 100,
      merid: '880000000000001',
      orderid: 'ORDER0001',
    });
  });

  it('paytime is China time once paid and empty before', () => {
    expect(resultFields(order()).paytime).toBe('');
    const paid = order({ state: 'paid', paidAt: Date.parse('2026-03-01T02:01:05Z') });
    expect(resultFields(paid)).toMatchObject({ resultcode: '0000', paytime: '2026-03-01 10:01:05' });
  });
});
