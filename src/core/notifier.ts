import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import type { Merchant } from './domain.js';
import type { KeyPairPem, NotificationPayload, OutgoingRequest, SimulatorRegistry } from './simulator.js';
import type { Store } from './store/index.js';
import type { OutboxItem, OutboxStatus, Verdict } from './store/outbox.js';

export interface NotifierOptions {
  /** Per-attempt timeout in real milliseconds (connect + read). */
  timeoutMs: number;
  platformKeys: (provider: string) => KeyPairPem | null;
}

/** Replies are kept up to this many characters. */
const MAX_REPLY = 16 * 1024;

/**
 * Delivers queued notifications, one attempt at a time, with the simulator's
 * own encoder, acknowledgement rule and retry schedule. Every attempt is
 * recorded; redirects are not followed (PROVIDERS.md X-1).
 */
export class Notifier {
  private wrongKeys: KeyPairPem | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly simulators: SimulatorRegistry,
    private readonly options: NotifierOptions,
  ) {}

  /** Makes the scheduled attempt of a pending item and schedules the next one. */
  async deliver(item: OutboxItem): Promise<void> {
    await this.attempt(item, 'schedule');
  }

  /** One extra attempt now, outside the schedule (the admin API's replay). */
  async replay(id: number): Promise<OutboxItem | undefined> {
    const item = this.store.outbox.get(id);
    if (!item) return undefined;
    await this.attempt(item, 'replay');
    return this.store.outbox.get(id);
  }

  private async attempt(item: OutboxItem, trigger: 'schedule' | 'replay'): Promise<void> {
    const simulator = this.simulators.get(item.provider);
    const channel = simulator?.notifications[item.channel];
    const merchant = this.store.merchants.get(item.provider, item.signerId ?? item.merchantId);
    const at = this.clock.now();
    const attemptNo = this.store.outbox.attempts(item.id).length + 1;
    const started = performance.now();

    let request: OutgoingRequest | undefined;
    let httpStatus: number | null = null;
    let replyBody: string | null = null;
    let verdict: Verdict = 'error';
    let error: string | null = null;

    try {
      if (!simulator || !channel) throw new Error(`no notification channel ${item.provider}/${item.channel}`);
      if (!merchant) throw new Error(`merchant ${item.signerId ?? item.merchantId} no longer exists`);
      const wrong = item.flags.wrongSignature === true;
      request = channel.encode(item.payload as unknown as NotificationPayload, {
        merchant: wrong ? this.scramble(merchant) : merchant,
        platformKeys: wrong ? this.wrongKeyPair() : this.options.platformKeys(item.provider),
        attemptNo,
        now: at,
      });
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.method === 'POST' ? request.body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      httpStatus = response.status;
      replyBody = (await response.text()).slice(0, MAX_REPLY);
      verdict = channel.isAck({ status: httpStatus, body: replyBody }) ? 'acked' : 'rejected';
    } catch (cause) {
      error = describeFetchError(cause, this.options.timeoutMs);
    }

    const scheduled = trigger === 'schedule';
    const scheduledCount = item.attemptCount + (scheduled ? 1 : 0);
    let status: OutboxStatus = item.status;
    let nextAttemptAt = item.nextAttemptAt;
    if (verdict === 'acked') {
      status = 'delivered';
      nextAttemptAt = null;
    } else if (scheduled) {
      const gap = channel?.schedule[scheduledCount];
      if (gap === undefined) {
        status = 'exhausted';
        nextAttemptAt = null;
      } else {
        // The gap counts from when this attempt was due, so timer lateness on a running clock does not
        // accumulate; after a long stop (the due time plus the gap already past) it counts from now.
        const fromDue = (item.nextAttemptAt ?? at) + Math.round(gap * 1000);
        nextAttemptAt = fromDue > at ? fromDue : at + Math.round(gap * 1000);
      }
    }

    this.store.tx(() => {
      this.store.outbox.recordAttempt({
        outboxId: item.id,
        attemptNo,
        at,
        method: request?.method ?? 'POST',
        url: request?.url ?? item.url,
        requestBody: recordedBody(request),
        httpStatus,
        replyBody,
        verdict,
        error,
        nextAttemptAt,
        durationMs: Math.round(performance.now() - started),
        trigger,
      });
      this.store.outbox.update({ id: item.id, status, attemptCount: scheduledCount, nextAttemptAt });
    });
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

/** What an attempt sent: the body, or for a GET (which carries its message in the URL) the query string. */
function recordedBody(request: OutgoingRequest | undefined): string {
  if (!request) return '';
  if (request.method === 'GET') return new URL(request.url).search.replace(/^\?/, '');
  return request.body ?? '';
}

function describeFetchError(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error) {
    if (cause.name === 'TimeoutError') return `no reply within ${timeoutMs} ms`;
    const inner = (cause as Error & { cause?: unknown }).cause;
    if (inner instanceof Error) return `${cause.message}: ${inner.message}`;
    return cause.message;
  }
  return String(cause);
}
