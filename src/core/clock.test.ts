import { describe, expect, it } from 'vitest';
import { Clock } from './clock.js';

function fakeReal(start = 1_000_000) {
  let now = start;
  return { now: () => now, tick: (ms: number) => (now += ms) };
}

describe('Clock', () => {
  it('runs at the scale of real time from its start', () => {
    const real = fakeReal();
    const clock = new Clock({ scale: 60, start: 0, realNow: real.now });
    real.tick(1000);
    expect(clock.now()).toBe(60_000);
  });

  it('is frozen at scale 0 until shifted', () => {
    const real = fakeReal();
    const clock = new Clock({ scale: 0, start: 5000, realNow: real.now });
    real.tick(10_000);
    expect(clock.now()).toBe(5000);
    clock.shift(250);
    expect(clock.now()).toBe(5250);
    expect(clock.realDelayUntil(6000)).toBe(Number.POSITIVE_INFINITY);
  });

  it('pins to an event time while real time passes, then resumes from there', () => {
    const real = fakeReal();
    const clock = new Clock({ scale: 1, start: 0, realNow: real.now });
    clock.pin(15_000);
    real.tick(500);
    expect(clock.now()).toBe(15_000);
    clock.unpin();
    real.tick(100);
    expect(clock.now()).toBe(15_100);
  });

  it('never goes backward', () => {
    const clock = new Clock({ scale: 0, start: 10_000 });
    clock.jumpTo(5000);
    expect(clock.now()).toBe(10_000);
    expect(() => clock.shift(-1)).toThrow(RangeError);
    expect(() => new Clock({ scale: -1 })).toThrow(RangeError);
  });

  it('converts a virtual delay into real milliseconds', () => {
    const clock = new Clock({ scale: 10, start: 0, realNow: () => 0 });
    expect(clock.realDelayUntil(10_000)).toBe(1000);
    expect(clock.realDelayUntil(-5)).toBe(0);
  });
});
