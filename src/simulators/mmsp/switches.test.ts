import { describe, expect, it } from 'vitest';
import type { Merchant } from '../../core/domain.js';
import { hasProduct, requireProduct } from './switches.js';

const merchant = (settings: Record<string, unknown> = {}): Merchant => ({
  provider: 'mmsp',
  merchantId: '001440353999853',
  terminalId: '84970001',
  md5Key: 'k',
  publicKey: null,
  privateKey: null,
  name: null,
  settings,
  source: 'default',
});

describe('product switches', () => {
  it('default to the document: 暂未开通 commands off, the rest on', () => {
    const m = merchant();
    expect(['quick', 'quick.bindpay', 'quick.unionpay', 'gateway'].map((p) => hasProduct(m, p))).toEqual([true, true, true, true]);
    expect(['quick.bind', 'quick.unbind', 'quick.bindquery'].map((p) => hasProduct(m, p))).toEqual([false, false, false]);
  });

  it('follow settings.products, and refuse with 暂未开通 naming the product', () => {
    const m = merchant({ products: { 'quick.unbind': true, gateway: false } });
    expect(hasProduct(m, 'quick.unbind')).toBe(true);
    expect(hasProduct(m, 'gateway')).toBe(false);
    expect(() => requireProduct(m, 'gateway')).toThrow(/^\[-1009\] 暂未开通：网关支付/);
    expect(() => requireProduct(m, undefined)).not.toThrow();
  });
});
