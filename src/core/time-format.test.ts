import { describe, expect, it } from 'vitest';
import { cstCompact, cstDateTime, parseCstDateTime } from './time-format.js';

describe('China time formatting', () => {
  const at = Date.parse('2026-03-01T16:30:05Z');
  it('writes UTC+8 whatever the machine zone', () => {
    expect(cstDateTime(at)).toBe('2026-03-02 00:30:05');
    expect(cstCompact(at)).toBe('20260302003005');
  });

  it('parses both forms the documents print, and rejects impossible dates', () => {
    expect(parseCstDateTime('2026-03-02 00:30:05')).toBe(at);
    expect(parseCstDateTime('2026-03-02')).toBe(Date.parse('2026-03-02T15:59:59Z'));
    expect(parseCstDateTime('2026-02-30 10:00:00')).toBeUndefined();
    expect(parseCstDateTime('2026-03-02 24:00:00')).toBeUndefined();
    expect(parseCstDateTime('20260302003005')).toBeUndefined();
  });
});
