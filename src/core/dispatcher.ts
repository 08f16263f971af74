import type { Clock } from './clock.js';
import type { Notifier } from './notifier.js';
import type { Records } from './records.js';
import type { Store } from './store/index.js';

/** Longest real wait between two looks at the queue while the clock runs. */
const MAX_IDLE_MS = 1000;
/** A guard against a schedule that keeps producing events due at once. */
const MAX_EVENTS_PER_RUN = 100_000;

/**
 * Runs every due event — a notification attempt, a record expiring, a scenario
 * step, a kind's timer — in time order, one at a time. Two things drive it: a timer that
 * follows the running clock, and {@link Dispatcher.advance}, which jumps the
 * clock and plays everything due on the way before it returns.
 */
export class Dispatcher {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private kicked = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly records: Records,
    private readonly notifier: Notifier,
    private readonly onError: (error: unknown) => void = (error) => console.error('[dispatcher]', error),
  ) {}

  private saver: NodeJS.Timeout | null = null;

  /** Starts following the clock, and saves it every second whatever the traffic (kicks re-arm the event timer, not this one). */
  start(): void {
    this.running = true;
    this.schedule();
    this.saver = setInterval(() => {
      try {
        this.persistClock();
      } catch (error) {
        this.onError(error);
      }
    }, MAX_IDLE_MS);
    this.saver.unref();
  }

  /** Stops the timer and waits for the event in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.saver) clearInterval(this.saver);
    this.timer = null;
    this.saver = null;
    await this.chain.catch(() => {});
  }

  /** Something due now was queued: run it soon, without waiting for the timer. */
  kick(): void {
    if (!this.running || this.kicked) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      // Re-arm the timer afterwards: what just ran may have queued the next event (a retry 15 s on).
      void this.runDue()
        .catch(this.onError)
        .finally(() => this.schedule());
    });
  }

  /** Plays every event due up to now. */
  runDue(): Promise<void> {
    return this.exclusive(() => this.playUntil(this.clock.now(), false));
  }

  /**
   * Jumps the clock forward, playing every event due on the way in time order;
   * each runs with the clock pinned at its due time. Resolves with the new time.
   */
  advance(ms: number): Promise<number> {
    return this.exclusive(async () => {
      const target = this.clock.now() + ms;
      await this.playUntil(target, true);
      this.clock.jumpTo(target);
      this.persistClock();
      return this.clock.now();
    });
  }

  /** Runs `work` between events, never during one. */
  runExclusive<T>(work: () => T | Promise<T>): Promise<T> {
    return this.exclusive(async () => work());
  }

  /** One extra delivery attempt of a notification now, serialised with the scheduled ones. */
  replay(outboxId: number) {
    return this.exclusive(() => this.notifier.replay(outboxId));
  }

  /** The earliest pending event, or null. */
  nextDueAt(): number | null {
    const job = this.store.jobs.nextDueAt();
    const outbox = this.store.outbox.nextDueAt();
    if (job === null) return outbox;
    if (outbox === null) return job;
    return Math.min(job, outbox);
  }

  persistClock(): void {
    this.store.setMeta('clock', JSON.stringify({ virtual: this.clock.now(), real: Date.now() }));
  }

  private async playUntil(until: number, pin: boolean): Promise<void> {
    for (let played = 0; played < MAX_EVENTS_PER_RUN; played++) {
      const job = this.store.jobs.nextDue(until);
      const item = this.store.outbox.nextDue(until);
      if (!job && !item) return;
      // Jobs first on a tie: a state change at t comes before a notification at t.
      const runJob = job !== undefined && (item === undefined || job.dueAt <= (item.nextAttemptAt ?? 0));
      const dueAt = runJob ? job!.dueAt : item!.nextAttemptAt!;
      if (pin) this.clock.pin(dueAt);
      try {
        if (runJob) this.records.runJob(job!);
        else await this.notifier.deliver(item!);
      } catch (error) {
        this.onError(error);
        // Take the event out of the queue so one broken event cannot stall the rest.
        try {
          if (runJob) this.store.jobs.finish(job!.id, 'failed');
          else this.store.outbox.update({ ...item!, status: 'exhausted', nextAttemptAt: null });
        } catch {
          return;
        }
      } finally {
        if (pin) this.clock.unpin();
      }
    }
    this.onError(new Error(`stopped after ${MAX_EVENTS_PER_RUN} events in one run`));
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.chain.then(work, work);
    this.chain = result.catch(() => {});
    return result;
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.nextDueAt();
    const wait = next === null ? MAX_IDLE_MS : Math.min(MAX_IDLE_MS, this.clock.realDelayUntil(next));
    this.timer = setTimeout(() => {
      this.runDue()
        .catch(this.onError)
        .finally(() => {
          this.persistClock();
          this.schedule();
        });
    }, Math.max(0, wait));
    this.timer.unref();
  }
}
