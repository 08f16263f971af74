/**
 * The sandbox clock. Every time-dependent behaviour (order expiry, notification
 * retries, scenario steps, the timestamps a provider writes) reads it, so that a
 * test can fast-forward a 24-hour retry schedule in milliseconds.
 *
 * virtual now = anchorVirtual + (realNow - anchorReal) * scale
 *
 * - `scale` 1 runs at wall-clock speed, 60 runs a minute per second, 0 freezes
 *   time so that only {@link Clock.shift} and {@link Clock.jumpTo} move it (what
 *   CI wants; `POST /_sim/clock/advance` plays what falls due on the way).
 * - While the dispatcher processes a due event it *pins* the clock to that
 *   event's due time, so an attempt scheduled for t+15 s is recorded at t+15 s.
 *
 * @example
 * const clock = new Clock({ scale: 0, start: Date.parse('2026-01-01T00:00:00Z') });
 * clock.shift(60_000); // one virtual minute later
 */
export class Clock {
  readonly scale: number;
  private anchorVirtual: number;
  private anchorReal: number;
  private pinned: number | null = null;
  private readonly realNow: () => number;

  constructor(options: { scale?: number; start?: number; realNow?: () => number } = {}) {
    this.scale = options.scale ?? 1;
    if (!Number.isFinite(this.scale) || this.scale < 0) {
      throw new RangeError(`clock scale must be a finite number >= 0, got ${options.scale}`);
    }
    this.realNow = options.realNow ?? Date.now;
    this.anchorReal = this.realNow();
    this.anchorVirtual = options.start ?? this.anchorReal;
  }

  /** Virtual time in epoch milliseconds. */
  now(): number {
    if (this.pinned !== null) return this.pinned;
    return Math.floor(this.anchorVirtual + (this.realNow() - this.anchorReal) * this.scale);
  }

  /** Moves virtual time forward (never backward) by `ms`. */
  shift(ms: number): void {
    if (ms < 0) throw new RangeError('the clock never goes backward');
    const current = this.now();
    this.anchorReal = this.realNow();
    this.anchorVirtual = current + ms;
    if (this.pinned !== null) this.pinned = this.anchorVirtual;
  }

  /** Moves virtual time forward to `at` if it lies in the future. */
  jumpTo(at: number): void {
    const current = this.now();
    if (at > current) this.shift(at - current);
  }

  /** Freezes the clock at `at` (not before the current time) until {@link unpin}. */
  pin(at: number): void {
    this.jumpTo(at);
    this.pinned = this.now();
  }

  unpin(): void {
    if (this.pinned === null) return;
    this.anchorReal = this.realNow();
    this.anchorVirtual = this.pinned;
    this.pinned = null;
  }

  /** Real milliseconds until virtual time reaches `at`; Infinity when the clock is frozen. */
  realDelayUntil(at: number): number {
    const virtualDelay = at - this.now();
    if (virtualDelay <= 0) return 0;
    if (this.scale === 0) return Number.POSITIVE_INFINITY;
    return virtualDelay / this.scale;
  }
}
