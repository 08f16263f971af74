import { describe, expect, it } from 'vitest';
import { cstCompact, cstDateTime, parseCstDateTime, parseOffsetTime } from './time-format.js';

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
    // Provider fields are strict: a space, seconds; a bare date is the end of the day unless asked otherwise.
    expect(parseCstDateTime('2026-03-02T00:30:05')).toBeUndefined();
    expect(parseCstDateTime('2026-03-02 00:30')).toBeUndefined();
    expect(parseCstDateTime('2026-03-02', { bareDate: 'start' })).toBe(Date.parse('2026-03-01T16:00:00Z'));
    expect(parseCstDateTime('2026-03-02T00:30', { loose: true })).toBe(Date.parse('2026-03-01T16:30:00Z'));
    expect(parseCstDateTime('2026-02-31', { loose: true, bareDate: 'start' })).toBeUndefined();
  });
});

describe('ISO times with an offset', () => {
  it('reads them, and refuses a time without an offset or no time at all', () => {
    expect(parseOffsetTime('2026-03-01T10:00:00+08:00')).toBe(Date.parse('2026-03-01T02:00:00Z'));
    expect(parseOffsetTime('2026-03-01T02:00:00z')).toBe(Date.parse('2026-03-01T02:00:00Z'));
    expect(parseOffsetTime('2026-03-01T10:00:00+0800')).toBe(Date.parse('2026-03-01T02:00:00Z'));
    expect(parseOffsetTime('2026-03-01T10:00:00')).toBeUndefined();
    expect(parseOffsetTime('yesterday+08:00')).toBeUndefined();
  });
});
