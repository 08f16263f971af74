import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from './format.js';

describe('the dashboard time filters', () => {
  it('read China time from a datetime-local input, a typed time or a bare date (its start)', () => {
    expect(fromLocalInput('2026-03-01T10:00')).toBe(Date.parse('2026-03-01T02:00:00Z'));
    expect(fromLocalInput('2026-03-01 10:00:30')).toBe(Date.parse('2026-03-01T02:00:30Z'));
    expect(fromLocalInput(' 2026-03-01 ')).toBe(Date.parse('2026-02-28T16:00:00Z'));
    expect(toLocalInput(fromLocalInput('2026-03-01T10:05'))).toBe('2026-03-01 10:05');
  });

  it('refuse a day that does not exist rather than rolling it into the next month', () => {
    expect(fromLocalInput('2026-02-31')).toBeUndefined();
    expect(fromLocalInput('2026-02-29T10:00')).toBeUndefined();
    expect(fromLocalInput('2026-03-01T24:00')).toBeUndefined();
    expect(fromLocalInput('2026-03-01T10')).toBeUndefined();
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput(undefined)).toBeUndefined();
  });
});
