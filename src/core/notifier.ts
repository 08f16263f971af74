import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import type { Merchant } from './domain.js';
import { charsetOfContentType, decodeBytes } from './codec/charset.js';
import type { KeyPairPem, MerchantReply, NotificationPayload, OutgoingRequest, SimulatorRegistry } from './simulator.js';
import type { Store } from './store/index.js';
import type { UrlGuard } from './url-guard.js';
import { DeliveryThread } from './delivery-thread.js';
import type { OutboxItem, Schedule, Verdict } from './store/outbox.js';

export interface AttemptOptions {
  at?: number;
  signal?: AbortSignal;
  isCurrent?: () => boolean;
}

export interface NotifierOptions {
  /** Per-attempt timeout in real milliseconds (connect + read). */
  timeoutMs: number;
  /** Refuses URLs that are, or resolve to, the sandbox itself or link-local addresses (checked on the connection's own lookup). */
  urlGuard?: UrlGuard;
  platformKeys: (provider: string) => KeyPairPem | null;
}

/** Replies are read (and kept) up to this many bytes; the rest is never read. */
export const MAX_REPLY = 16 * 1024;

/**
 * Delivers queued notifications, one attempt at a time, with the simulator's
 * own encoder, acknowledgement rule and retry schedule. Every attempt is
 * recorded; redirects are not followed (PROVIDERS.md X-1). Replies are read
 * up to {@link MAX_REPLY} bytes, the rest dropped unread (the ack rules look at the start).
 */
export class Notifier {
  private wrongKeys: KeyPairPem | null = null;
  private numbers = new AttemptNumbers();
  private readonly transport = new DeliveryThread();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly simulators: SimulatorRegistry,
    private readonly options: NotifierOptions,
  ) {}

  /**
   * Makes the scheduled attempt of a pending item and schedules the next one.
   * `at` is the virtual time the attempt is recorded at (its due time while the
   * clock is fast-forwarded); `signal` aborts it (a reset); when `isCurrent`
   * answers false once the reply is in, nothing is recorded (the outbox it
   * belonged to was emptied meanwhile).
   */
  async deliver(item: OutboxItem, options: AttemptOptions = {}): Promise<Schedule | undefined> {
    return this.attempt(item, 'schedule', options);
  }

  /**
   * One extra attempt now, outside the schedule (the admin API's replay): acknowledged, it closes the notification;
   * otherwise the schedule goes on as it was.
   */
  async replay(id: number, options: AttemptOptions = {}): Promise<OutboxItem | undefined> {
    const item = this.store.outbox.get(id);
    if (!item) return undefined;
    await this.attempt(item, 'replay', options);
    return this.store.outbox.get(id);
  }

  /** Closes the kept-alive connections to merchants (the sandbox is closing). */
  close(): void {
    this.transport.close();
  }

  /** Seconds until the retry after this item's next attempt, if it fails; undefined when that attempt is its last. */
  nextGapAfter(item: Pick<OutboxItem, 'provider' | 'channel' | 'attemptCount'>): number | undefined {
    const schedule = this.simulators.get(item.provider)?.notifications[item.channel]?.schedule;
    const next = item.attemptCount + 1;
    // Bounds checked rather than read past the end: V8 drops the optimized code of a read out of bounds (and of every
    // function it was inlined into: the dispatcher's loop), and a fast-forward reaches the end of every schedule.
    return schedule !== undefined && next < schedule.length ? schedule[next] : undefined;
  }

  /**
   * When the retry after this item's scheduled attempt made at `at` comes if that attempt fails, or undefined when it is
   * the last. The dispatcher bounds a fast-forward with it, so it must be the time {@link deliver} records.
   */
  retryAt(item: Pick<OutboxItem, 'provider' | 'channel' | 'attemptCount' | 'nextAttemptAt'>, at: number): number | undefined {
    const gap = this.nextGapAfter(item);
    if (gap === undefined) return undefined;
    // The gap counts from when this attempt was due, so timer lateness on a running clock does not
    // accumulate; after a long stop (the due time plus the gap already past) it counts from now.
    const fromDue = (item.nextAttemptAt ?? at) + Math.round(gap * 1000);
    return fromDue > at ? fromDue : at + Math.round(gap * 1000);
  }

  /** Makes one attempt and records it; resolves with the schedule it set, or undefined when it changed none. */
  private async attempt(item: OutboxItem, trigger: 'schedule' | 'replay', options: AttemptOptions): Promise<Schedule | undefined> {
    const simulator = this.simulators.get(item.provider);
    const channel = simulator?.notifications[item.channel];
    const merchant = this.store.merchants.get(item.provider, item.signerId ?? item.merchantId);
    const at = options.at ?? this.clock.now();
    // A replay may run beside a scheduled attempt of the same notification: each takes its own number now (it goes
    // into the message, e.g. MMSP's SeqID), counting the ones still in flight.
    const numbers = this.numbers; // released where it was taken, even if a reset starts a new set meanwhile
    const attemptNo = numbers.take(item.id, this.store.outbox.lastAttemptNo(item.id));
    const started = performance.now();

    let request: OutgoingRequest | undefined;
    let httpStatus: number | null = null;
    let replyBytes: Uint8Array | null = null;
    let replyCharset: string | null = null;
    let verdict: Verdict = 'error';
    let error: string | null = null;

    try {
      try {
        if (!simulator || !channel) throw new Error(`no notification channel ${item.provider}/${item.channel}`);
        if (!merchant) throw new Error(`merchant ${item.signerId ?? item.merchantId} no longer exists`);
        const wrong = item.flags.wrongSignature === true;
        const payload = item.payload as unknown as NotificationPayload;
        const platformKeys = this.options.platformKeys(item.provider);
        request = channel.encode(payload, {
          merchant: wrong ? this.scramble(merchant) : merchant,
          platformKeys: wrong ? this.wrongKeyPair() : platformKeys,
          attemptNo,
          now: at,
        });
        const guard = this.options.urlGuard;
        const refused = guard?.refusal(request.url);
        if (refused) throw new Error(`not sent: ${refused}`);
        // The guard resolves the name for the connection itself: the address it checks is the one connected to.
        const response = await this.transport.send(request.url, {
          method: request.method,
          ...(request.headers ? { headers: request.headers } : {}),
          ...(request.method === 'POST' && request.body !== undefined ? { body: request.body } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          timeoutMs: this.options.timeoutMs,
          ...(guard ? { lookup: guard.lookupFor(request.url) } : {}),
          maxReplyBytes: MAX_REPLY,
        });
        httpStatus = response.status;
        replyBytes = response.bytes;
        replyCharset = charsetOfContentType(response.headers.get('content-type')) ?? null;
        const reply: MerchantReply = {
          status: httpStatus,
          body: decodeBytes(replyBytes, replyCharset),
          bytes: replyBytes,
          headers: response.headers,
        };
        verdict = channel.isAck(reply, { payload, merchant, platformKeys, request }) ? 'acked' : 'rejected';
      } catch (cause) {
        error = describeDeliveryError(cause, this.options.timeoutMs);
      }

      if (options.isCurrent && !options.isCurrent()) return undefined;
      return this.store.tx(() => {
        // Written only over the row as it was read before the request: a replay or a scheduled attempt may have been
        // recorded meanwhile, and what it wrote must not be overwritten with older state.
        let update: Schedule | null = null;
        let now: Schedule | undefined;
        if (trigger === 'schedule') {
          // Only the attempt the row is still waiting for moves the schedule on; one overtaken (a replay was
          // acknowledged meanwhile) is recorded and changes nothing.
          const attemptCount = item.attemptCount + 1;
          let next: Schedule;
          if (verdict === 'acked') next = { status: 'delivered', attemptCount, nextAttemptAt: null };
          else {
            const retry = this.retryAt(item, at);
            next = retry === undefined ? { status: 'exhausted', attemptCount, nextAttemptAt: null } : { status: 'pending', attemptCount, nextAttemptAt: retry };
          }
          if (this.store.outbox.advance(item, next)) update = next;
        }
        if (!update) {
          now = this.store.outbox.state(item.id);
          if (!now) return undefined;
          if (trigger === 'replay' && verdict === 'acked' && now.status !== 'delivered') {
            // A replay only ever closes a notification; one not acknowledged leaves the schedule as it is.
            update = { status: 'delivered', attemptCount: now.attemptCount, nextAttemptAt: null };
            this.store.outbox.update({ id: item.id, ...update });
          }
        }
        this.store.outbox.recordAttempt({
          outboxId: item.id,
          attemptNo,
          at,
          method: request?.method ?? 'POST',
          url: request?.url ?? item.url,
          requestBody: recordedBody(request),
          requestCharset: request?.charset ?? null,
          httpStatus,
          replyBody: replyBytes,
          replyCharset,
          verdict,
          error,
          nextAttemptAt: (update ?? now)?.nextAttemptAt ?? null,
          durationMs: Math.round(performance.now() - started),
          trigger,
        });
        return update ?? undefined;
      });
    } finally {
      numbers.release(item.id, attemptNo);
    }
  }

  /**
   * Resolves once the deliveries aborted so far are dropped by the delivery thread: a reset answers only then, so
   * nothing it aborted is sent after it (a request already written is on its way, as it was before the abort).
   */
  aborted(): Promise<void> {
    return this.transport.synced();
  }

  /** Forgets the attempt numbers held by attempts in flight: the outbox was emptied (its ids start again). */
  forget(): void {
    this.numbers = new AttemptNumbers();
  }

  /** The merchant with keys it does not have: for the "wrong signature" scenario. */
  private scramble(merchant: Merchant): Merchant {
    const wrong = this.wrongKeyPair();
    return {
      ...merchant,
      md5Key: randomBytes(16).toString('hex'),
      publicKey: wrong.publicKey,
      privateKey: wrong.privateKey,
    };
  }

  private wrongKeyPair(): KeyPairPem {
    if (!this.wrongKeys) {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 1024,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      this.wrongKeys = { publicKey, privateKey, certificate: null };
    }
    return this.wrongKeys;
  }
}

/** Attempt numbers taken by attempts not recorded yet, per notification. */
class AttemptNumbers {
  private readonly taken = new Map<number, number[]>();

  /** The number after both the last one recorded and those in flight. */
  take(outboxId: number, lastRecorded: number): number {
    const held = this.taken.get(outboxId);
    const next = Math.max(lastRecorded, ...(held ?? [])) + 1;
    if (held) held.push(next);
    else this.taken.set(outboxId, [next]);
    return next;
  }

  release(outboxId: number, attemptNo: number): void {
    const held = this.taken.get(outboxId);
    if (!held) return;
    const rest = held.filter((n) => n !== attemptNo);
    if (rest.length > 0) this.taken.set(outboxId, rest);
    else this.taken.delete(outboxId);
  }
}

/** What an attempt sent: the body, or for a GET (which carries its message in the URL) the query string. */
function recordedBody(request: OutgoingRequest | undefined): string | Uint8Array {
  if (!request) return '';
  if (request.method === 'GET') return new URL(request.url).search.replace(/^\?/, '');
  return request.body ?? '';
}

function describeDeliveryError(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error) {
    if (cause.name === 'TimeoutError') return `no reply within ${timeoutMs} ms`;
    const inner = (cause as Error & { cause?: unknown }).cause;
    if (inner instanceof Error) return `${cause.message}: ${inner.message}`;
    return cause.message;
  }
  return String(cause);
}
