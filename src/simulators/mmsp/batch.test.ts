import { describe, expect, it } from 'vitest';
import { parseBatchDate, windowStart } from './batch.js';

const cst = (iso: string) => Date.parse(`${iso}+08:00`);

describe('batch query dates (PROVIDERS.md MMSP-13)', () => {
  it('reads 8, 10 and 14 digits in China time: a start from its first second, an end to its last', () => {
    expect(parseBatchDate('20260301', false)).toBe(cst('2026-03-01T00:00:00'));
    expect(parseBatchDate('20260301', true)).toBe(cst('2026-03-01T23:59:59.999'));
    expect(parseBatchDate('2026030110', false)).toBe(cst('2026-03-01T10:00:00'));
    expect(parseBatchDate('2026030110', true)).toBe(cst('2026-03-01T10:59:59.999'));
    expect(parseBatchDate('20260301102030', false)).toBe(cst('2026-03-01T10:20:30'));
  });

  it('refuses other lengths and dates that do not exist', () => {
    for (const bad of ['2026031', '202603011', '2026-03-01', '20260230', '2026030124', '20261301']) {
      expect(parseBatchDate(bad, false), bad).toBeUndefined();
    }
  });

  it('opens the window at the start of the China day three months back', () => {
    expect(windowStart(cst('2026-03-01T10:00:00'))).toBe(cst('2025-12-01T00:00:00'));
    // 00:30 China time is still the previous day in UTC: the China day counts.
    expect(windowStart(cst('2026-06-15T00:30:00'))).toBe(cst('2026-03-15T00:00:00'));
  });
});
