import type { Clock } from './clock.js';
import { setMaxListeners } from 'node:events';
import type { Notifier } from './notifier.js';
import type { Records } from './records.js';
import type { Store } from './store/index.js';
import type { OutboxHead, OutboxItem, Schedule } from './store/outbox.js';

/** Longest real wait between two looks at the queue while the clock runs. */
const MAX_IDLE_MS = 1000;
/** A guard against a schedule that keeps producing events due at once. */
const MAX_EVENTS_PER_RUN = 1_000_000;
/** Due notifications read from the outbox per look (running clock). */
const BATCH = 500;
/** Due notifications a fast-forward keeps in line at once. */
const READY_PAGE = 5000;
/** How far down the line a fast-forward looks for one it may start. */
const SCAN_WINDOW = 256;

export interface DispatcherOptions {
  /** Deliveries in flight at once, across every endpoint. */
  concurrency: number;
  /** Deliveries in flight at once to one endpoint (scheme, host and port): a silent merchant cannot take every slot. */
  perEndpoint: number;
  onError?: (error: unknown) => void;
}

/** A fast-forward's line of due notifications (see {@link Dispatcher.loadReady}). */
interface Ready {
  list: OutboxHead[];
  complete: boolean;
  /** The outbox's insert count when the line was read. */
  inserted: number;
  /** How many of the line's notifications go to each endpoint (see {@link Dispatcher.startDue}). */
  endpoints: Map<string, number>;
}

interface Flight {
  item: OutboxHead;
  /** The virtual time it is recorded at. */
  at: number;
  endpoint: string;
  done: Promise<void>;
}

const endpoints = new Map<string, string>();

/** Scheme, host and port of a URL, remembered (the dispatcher asks for every due notification it looks at). */
function endpointOf(url: string): string {
  let endpoint = endpoints.get(url);
  if (endpoint === undefined) {
    try {
      endpoint = new URL(url).origin;
    } catch {
      endpoint = url;
    }
    if (endpoints.size > 10_000) endpoints.clear();
    endpoints.set(url, endpoint);
  }
  return endpoint;
}

/**
 * Runs every due event — a record's timed change (expiry, scenario step, a
 * kind's timer) and notification attempts — on the virtual clock.
 *
 * - Deliveries run **concurrently**, bounded in all and per endpoint, so a
 *   merchant that never answers delays nobody else; each notification's
 *   attempts stay in order (a retry exists only once the attempt before it is
 *   recorded).
 * - Timed changes run one at a time with the clock pinned at their due time,
 *   and act as barriers: everything due before them is finished first.
 * - {@link advance} jumps the clock and plays everything due on the way, in
 *   time order, before it resolves: a delivery starts only when nothing still
 *   in flight could schedule an earlier event, and is recorded at its due time.
 * - {@link reset} never waits for a delivery: it aborts what is in flight and
 *   empties the store at once.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private saver: NodeJS.Timeout | null = null;
  private running = false;
  private kicked = false;
  private pumping = false;
  private advancing: Promise<unknown> = Promise.resolve();
  private advanceDepth = 0;
  private readonly flights = new Map<number, Flight>();
  private readonly perEndpoint = new Map<string, number>();
  /** Bumped by reset: work started before it records nothing. */
  private epoch = 0;
  /** Aborts the scheduled deliveries in flight (a reset, a stop): one for all of them, replaced once used. */
  private deliveries = newAbort();
  /** Replays in flight, each with its own controller. */
  private readonly controllers = new Set<AbortController>();
  /** Resolved when the next delivery ends: what a fast-forward waits for while every slot is taken. */
  private ending: { promise: Promise<void>; resolve: () => void } | null = null;
  /**
   * The parts of notifications that never change once queued (payload, URL, merchant), as read right after a commit:
   * each retry of a fast-forward reads only where the schedule stands. Emptied with the outbox (ids start again).
   */
  private readonly fixed = new Map<number, OutboxItem>();
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly records: Records,
    private readonly notifier: Notifier,
    private readonly options: DispatcherOptions = { concurrency: 64, perEndpoint: 4 },
  ) {
    this.onError = options.onError ?? ((error) => console.error('[dispatcher]', error));
  }

  /** Starts following the clock, and saves it every second whatever the traffic. */
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

  /**
   * Stops the timers and aborts the deliveries in flight: they record nothing
   * and stay due, so the next start makes them again.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.saver) clearInterval(this.saver);
    this.timer = null;
    this.saver = null;
    this.epoch++;
    this.abortAll();
    await this.advancing.catch(() => {});
    await Promise.allSettled([...this.flights.values()].map((flight) => flight.done));
  }

  /** Something due now was queued, or a delivery finished: look soon, without waiting for the timer. */
  kick(): void {
    if (!this.running || this.kicked) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      this.pump();
    });
  }

  /**
   * Jumps the clock forward, playing every event due on the way in time order,
   * and resolves with the new time once every attempt due before it is recorded.
   * Advances run one after another.
   */
  advance(ms: number): Promise<number> {
    const run = this.advancing.catch(() => {}).then(async () => {
      this.advanceDepth++;
      try {
        const target = this.clock.now() + ms;
        await this.playUntil(target);
        this.clock.jumpTo(target);
        this.persistClock();
        return this.clock.now();
      } finally {
        this.advanceDepth--;
        this.kick();
      }
    });
    this.advancing = run;
    return run;
  }

  /**
   * Runs `work` (emptying the store) at once: deliveries in flight are aborted
   * and record nothing, an advance in progress stops where it is. Resolves once
   * the delivery thread has dropped the aborted requests (a round trip to it,
   * never a wait for a merchant).
   */
  async reset<T>(work: () => T): Promise<T> {
    this.epoch++;
    this.abortAll();
    this.fixed.clear();
    this.notifier.forget();
    const result = work();
    // The store is emptied before this wait, so nothing of it can start meanwhile.
    await this.notifier.aborted();
    return result;
  }

  /** One extra delivery attempt of a notification now, outside its schedule. */
  replay(outboxId: number) {
    // As a scheduled delivery: never announce a change not committed yet (the notification may be in the open batch).
    this.store.commitQueued();
    const controller = new AbortController();
    const epoch = this.epoch;
    this.controllers.add(controller);
    return this.notifier
      .replay(outboxId, { signal: controller.signal, isCurrent: () => epoch === this.epoch })
      .finally(() => this.controllers.delete(controller));
  }

  /** The earliest pending event not already under way, or null. */
  nextDueAt(): number | null {
    const job = this.store.jobs.nextDueAt();
    const waiting = this.store.outbox.dueHeads(Number.MAX_SAFE_INTEGER, this.flights.size + 1).find((item) => !this.flights.has(item.id));
    const outbox = waiting?.nextAttemptAt ?? null;
    if (job === null) return outbox;
    if (outbox === null) return job;
    return Math.min(job, outbox);
  }

  persistClock(): void {
    this.store.setMeta('clock', JSON.stringify({ virtual: this.clock.now(), real: Date.now() }));
  }

  /** Aborts every delivery and replay in flight: they record nothing. */
  private abortAll(): void {
    this.deliveries.abort();
    this.deliveries = newAbort();
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
  }

  /** Resolves when the next delivery in flight ends (one promise for every waiter, not a race over all flights). */
  private nextEnd(): Promise<void> {
    if (!this.ending) {
      let resolve!: () => void;
      const promise = new Promise<void>((res) => {
        resolve = res;
      });
      this.ending = { promise, resolve };
    }
    return this.ending.promise;
  }

  /** The notification as it stands, its fixed parts from {@link fixed} when read before. */
  private current(head: OutboxHead): OutboxItem | undefined {
    const known = this.fixed.get(head.id);
    if (known) {
      const state = this.store.outbox.state(head.id);
      return state && { ...known, ...state };
    }
    const item = this.store.outbox.get(head.id);
    if (item) {
      // As many as a fast-forward keeps in line: enough for its retries, bounded for a long-running sandbox.
      if (this.fixed.size >= READY_PAGE) this.fixed.clear();
      this.fixed.set(item.id, item);
    }
    return item;
  }

  /** The running clock's loop: due changes now, due deliveries started as slots allow. */
  private pump(): void {
    // A look queued (kick) before stop() must not start a delivery once stopped: nothing would abort or await it.
    if (this.pumping || this.advanceDepth > 0 || !this.running) return;
    this.pumping = true;
    try {
      const now = this.clock.now();
      for (let played = 0; played < MAX_EVENTS_PER_RUN; played++) {
        const job = this.store.jobs.nextDue(now);
        if (!job) break;
        this.runJob(job, null);
      }
      if (this.flights.size < this.options.concurrency) {
        for (const item of this.store.outbox.dueHeads(now, BATCH + this.flights.size)) {
          if (this.flights.size >= this.options.concurrency) break;
          if (this.flights.has(item.id) || !this.hasSlot(item)) continue;
          this.startDelivery(item, now);
        }
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.pumping = false;
      this.schedule();
    }
  }

  private async playUntil(target: number): Promise<void> {
    const epoch = this.epoch;
    // The due notifications not started yet, earliest first, so the outbox is not read again for every delivery (with
    // a thousand notifications owed, that read was most of a fast-forward's time). Kept in step with the outbox as
    // deliveries end (a retry comes back in), and reloaded whenever a notification was queued since it was read — by a
    // timed change here, or by a request served meanwhile (a merchant's notify handler querying the sandbox, a payer).
    let ready = this.loadReady(target);
    const ended: { id: number; schedule: Schedule | undefined }[] = [];
    this.flightEnded = (id, schedule) => ended.push({ id, schedule });
    try {
      for (let steps = 0; steps < MAX_EVENTS_PER_RUN; steps++) {
        if (epoch !== this.epoch) return;
        for (const { id, schedule } of ended.splice(0)) this.requeue(ready, id, target, schedule);
        if (this.store.outbox.inserted !== ready.inserted || (ready.list.length === 0 && !ready.complete)) ready = this.loadReady(target);
        const job = this.store.jobs.nextDue(target);
        // Items due before the horizon cannot be affected by anything still to happen: start them now.
        const horizon = Math.min(job?.dueAt ?? Number.POSITIVE_INFINITY, this.consequenceHorizon(), target + 1);
        if (this.startDue(ready, horizon, target)) continue;
        if (this.flights.size > 0) {
          await this.nextEnd();
          continue;
        }
        if (!job) {
          if (ready.complete && this.store.outbox.inserted === ready.inserted) return;
          ready = this.loadReady(target);
          continue;
        }
        // Jobs first on a tie: a state change at t comes before a notification due at t. Only a change that queued
        // notifications reloads the line, at the next pass (most queue none: an expiry of a paid order).
        this.runJob(job, job.dueAt);
      }
      this.onError(new Error(`stopped after ${MAX_EVENTS_PER_RUN} events in one run`));
    } finally {
      this.flightEnded = null;
    }
  }

  /**
   * Starts the deliveries in line due before `horizon`, while slots are free; true if it started any. A method of its
   * own (not part of the loop above): V8 compiles the loop again each time a fast-forward takes a branch of it for the
   * first time, and the smaller the function, the cheaper each compile (`--trace-opt`: the loop was compiled six times,
   * 109 of the 470 ms spent compiling during one advance).
   */
  private startDue(ready: Ready, horizon: number, target: number): boolean {
    let started = false;
    let blocked = false;
    // The first few hundred in line are looked at: those behind are due later, and a merchant whose slots are full
    // (a thousand notifications to one shop) must not cost a scan of the whole line per delivery.
    for (let i = 0; i < ready.list.length && i < SCAN_WINDOW && this.flights.size < this.options.concurrency; ) {
      const item = ready.list[i]!;
      if (item.nextAttemptAt >= horizon) break;
      if (!this.hasSlot(item)) {
        // Slots are only taken during a pass, never freed: once every endpoint in line is full, nothing further
        // down can start. Without this, each delivery's end cost a look at 150 items on average (a fast-forward of
        // 10,000 attempts to one shop: 1.5 million), all of them to the one full endpoint. Asked again only after a
        // start (which may have taken the last free slot).
        if (!blocked && !this.anyEndpointFree(ready)) break;
        blocked = true;
        i++;
        continue;
      }
      ready.list.splice(i, 1);
      this.leftLine(ready, item);
      this.clock.jumpTo(item.nextAttemptAt);
      if (!this.startDelivery(item, item.nextAttemptAt)) {
        this.requeue(ready, item.id, target);
        continue;
      }
      started = true;
      blocked = false;
      horizon = Math.min(horizon, this.retryAt(item, item.nextAttemptAt));
    }
    return started;
  }

  /**
   * Whether any endpoint with notifications in line has a free slot. A line to more endpoints than a pass looks at is
   * assumed to have one (it is scanned as it always was).
   */
  private anyEndpointFree(ready: Ready): boolean {
    if (ready.endpoints.size > SCAN_WINDOW) return true;
    for (const endpoint of ready.endpoints.keys()) if ((this.perEndpoint.get(endpoint) ?? 0) < this.options.perEndpoint) return true;
    return false;
  }

  private joinedLine(ready: Ready, head: OutboxHead): void {
    const endpoint = endpointOf(head.url);
    ready.endpoints.set(endpoint, (ready.endpoints.get(endpoint) ?? 0) + 1);
  }

  private leftLine(ready: Ready, head: OutboxHead): void {
    const endpoint = endpointOf(head.url);
    const left = (ready.endpoints.get(endpoint) ?? 1) - 1;
    if (left > 0) ready.endpoints.set(endpoint, left);
    else ready.endpoints.delete(endpoint);
  }

  /**
   * Called with a notification's id when its delivery ends, and the schedule that delivery set if it set one (a
   * fast-forward puts its next attempt back in line).
   */
  private flightEnded: ((id: number, schedule: Schedule | undefined) => void) | null = null;

  /**
   * Due notifications not in flight, earliest first; `complete` when every one due by `target` is in the list, as of
   * the outbox's `inserted` count it was read at.
   */
  private loadReady(target: number): Ready {
    const inserted = this.store.outbox.inserted;
    const heads = this.store.outbox.dueHeads(target, READY_PAGE + this.flights.size);
    const ready: Ready = { list: heads.filter((head) => !this.flights.has(head.id)), complete: heads.length < READY_PAGE + this.flights.size, inserted, endpoints: new Map() };
    for (const head of ready.list) this.joinedLine(ready, head);
    return ready;
  }

  /**
   * Puts a notification back in line at its next due time, if it still has one by `target`. `schedule`, when its
   * delivery just set it, spares reading the row (if something changed it since, the delivery's own check sees it).
   */
  private requeue(ready: Ready, id: number, target: number, schedule?: Schedule): void {
    const flown = schedule && this.fixed.get(id);
    const head: OutboxHead | undefined = flown
      ? schedule.status === 'pending' && schedule.nextAttemptAt !== null
        ? { id, provider: flown.provider, channel: flown.channel, url: flown.url, attemptCount: schedule.attemptCount, nextAttemptAt: schedule.nextAttemptAt }
        : undefined
      : this.store.outbox.head(id);
    if (!head || head.nextAttemptAt > target || this.flights.has(id)) return;
    const list = ready.list;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const other = list[mid]!;
      if (other.nextAttemptAt < head.nextAttemptAt || (other.nextAttemptAt === head.nextAttemptAt && other.id < head.id)) low = mid + 1;
      else high = mid;
    }
    list.splice(low, 0, head);
    this.joinedLine(ready, head);
  }

  /** The earliest time a delivery in flight could schedule its next attempt (if it fails). */
  private consequenceHorizon(): number {
    let horizon = Number.POSITIVE_INFINITY;
    for (const flight of this.flights.values()) horizon = Math.min(horizon, this.retryAt(flight.item, flight.at));
    return horizon;
  }

  /** The notifier's own retry time for an attempt made at `at` (a delivery the running clock started late included). */
  private retryAt(item: OutboxHead, at: number): number {
    return this.notifier.retryAt(item, at) ?? Number.POSITIVE_INFINITY;
  }

  private runJob(job: Parameters<Records['runJob']>[0], pinAt: number | null): void {
    if (pinAt !== null) this.clock.pin(pinAt);
    try {
      this.records.runJob(job);
    } catch (error) {
      this.onError(error);
      // Take it out of the queue so one broken event cannot stall the rest.
      try {
        this.store.jobs.finish(job.id);
      } catch {
        // the store is closing
      }
    } finally {
      if (pinAt !== null) this.clock.unpin();
    }
  }

  private hasSlot(item: OutboxHead): boolean {
    if (this.flights.size >= this.options.concurrency) return false;
    return (this.perEndpoint.get(endpointOf(item.url)) ?? 0) < this.options.perEndpoint;
  }

  /** Starts one delivery; false when the notification is no longer the one scheduled (delivered by a replay, reset). */
  private startDelivery(head: OutboxHead, at: number): boolean {
    // A notification never announces a change that is not committed yet (group commit).
    this.store.commitQueued();
    // Every notification queued is committed now, so its fixed parts can be remembered (an insert rolled back could
    // have handed its id to another notification).
    const item = this.current(head);
    if (!item || item.status !== 'pending' || item.nextAttemptAt !== head.nextAttemptAt) return false;
    const endpoint = endpointOf(item.url);
    const epoch = this.epoch;
    const signal = this.deliveries.signal;
    this.perEndpoint.set(endpoint, (this.perEndpoint.get(endpoint) ?? 0) + 1);
    let schedule: Schedule | undefined;
    const done = this.notifier
      .deliver(item, { at, signal, isCurrent: () => epoch === this.epoch })
      .then((set) => {
        schedule = set;
      })
      .catch((error) => {
        this.onError(error);
        // One broken notification cannot stall the rest.
        try {
          if (epoch === this.epoch) this.store.outbox.update({ ...item, status: 'exhausted', nextAttemptAt: null });
        } catch {
          // the store is closing
        }
      })
      .finally(() => {
        this.flights.delete(item.id);
        this.flightEnded?.(item.id, schedule);
        const left = (this.perEndpoint.get(endpoint) ?? 1) - 1;
        if (left > 0) this.perEndpoint.set(endpoint, left);
        else this.perEndpoint.delete(endpoint);
        const ending = this.ending;
        this.ending = null;
        ending?.resolve();
        this.kick();
      });
    this.flights.set(item.id, { item: head, at, endpoint, done });
    return true;
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.nextDueAt();
    const wait = next === null ? MAX_IDLE_MS : Math.min(MAX_IDLE_MS, this.clock.realDelayUntil(next));
    this.timer = setTimeout(() => this.pump(), Math.max(0, wait));
    this.timer.unref();
  }
}

/** A controller whose signal any number of deliveries listen to at once (no leak warning past ten). */
function newAbort(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
