import { describe, expect, it } from 'vitest';
import { payerData } from './payer-data.js';

describe('payerData', () => {
  it('builds the shapes the wallets use', () => {
    expect(payerData.wechatOpenId()).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(payerData.alipayUserId()).toMatch(/^2088\d{12}$/);
    expect(payerData.wechatPrepayId(Date.UTC(2026, 10, 29, 0, 0, 0))).toMatch(/^wx20261129080000[a-z0-9]{18}$/);
    expect(payerData.nonce(32)).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(payerData.hex(16)).toMatch(/^[0-9a-f]{16}$/);
    expect(payerData.digits(19)).toMatch(/^\d{19}$/);
  });

  it('draws a new value each time', () => {
    const seen = new Set(Array.from({ length: 50 }, () => payerData.hex(32)));
    expect(seen.size).toBe(50);
  });
});
