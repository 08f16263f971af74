import { randomInt } from 'node:crypto';
import type { SimRecord } from '../../../core/domain.js';
import { SMS_KIND, withTimers } from '../../../core/kinds.js';
import { sequenceNumber } from '../../../core/numbers.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { BODY_CODES } from '../codes.js';
import { BusinessError } from '../errors.js';
import { SMS_TTL_MS } from './attributes.js';

/**
 * SMS challenges (快捷 §5.3, 5.4, 5.11, 5.13, 5.1): an `sms` record whose parent
 * is the order being paid (or, in bind mode B, the binding), with a generated
 * 6-digit code in `attributes.code` — what `GET /_sim/orders` shows as `smsCode`.
 * - A code expires 5 minutes after it was sent (the kind's timer; MMSP-31 REC).
 * - A wrong code is refused and counted; the fifth wrong code voids the challenge.
 * - A resend (5.11) is allowed once per 60 s ("60秒可以重发一次") and voids the
 *   previous code.
 */
export const QUICK_SMS_KIND = withTimers(SMS_KIND, { sent: { afterMs: SMS_TTL_MS, to: 'expired' } });

export const MAX_WRONG_CODES = 5;
export const RESEND_INTERVAL_MS = 60_000;

interface SmsAttributes {
  code: string;
  phone: string;
  /** Wrong codes tried so far. */
  wrong: number;
}

const smsAttributes = (record: SimRecord) => record.attributes as unknown as SmsAttributes;

/** The newest challenge of an order or binding. */
function newest(sim: SimulatorContext, parent: SimRecord): SimRecord | undefined {
  return sim.store.records.children(parent.id, 'sms').at(-1);
}

/** Sends a new code to `phone` for `parent`, voiding any code still open. */
export function sendChallenge(sim: SimulatorContext, parent: SimRecord, phone: string): SimRecord {
  return sim.records.tx(() => {
    const previous = sim.store.records.children(parent.id, 'sms');
    for (const open of previous) if (open.state === 'sent') sim.records.transition(open.id, 'void', 'merchant');
    const attributes: SmsAttributes = { code: String(randomInt(0, 1_000_000)).padStart(6, '0'), phone, wrong: 0 };
    return sim.records.create({
      provider: 'mmsp',
      kind: 'sms',
      merchantId: parent.merchantId,
      number: `${parent.platformNumber}-${previous.length + 1}`,
      platformNumber: (sequence, now) => sequenceNumber(now, sequence, { length: 18, prefix: 'S', stamp: 'date' }),
      parentId: parent.id,
      attributes: attributes as unknown as Record<string, unknown>,
      expiresAt: sim.clock.now() + SMS_TTL_MS,
    }).record;
  });
}

/** 5.11: a new code, unless the last one went out less than 60 s ago. */
export function resendChallenge(sim: SimulatorContext, parent: SimRecord, phone: string, fields: Record<string, unknown>): SimRecord {
  const last = newest(sim, parent);
  if (last && sim.clock.now() - last.createdAt < RESEND_INTERVAL_MS) {
    const wait = Math.ceil((last.createdAt + RESEND_INTERVAL_MS - sim.clock.now()) / 1000);
    throw new BusinessError('SMS_TOO_FREQUENT', `${BODY_CODES.SMS_TOO_FREQUENT.text}（${wait}秒后可重发）`, fields);
  }
  return sendChallenge(sim, parent, phone);
}

/**
 * Checks a code against the newest challenge of `parent` and marks it verified,
 * or throws the refusal: expired, void after too many wrong codes, or wrong
 * (counted; the fifth voids it).
 */
export function verifyChallenge(sim: SimulatorContext, parent: SimRecord, code: string, fields: Record<string, unknown> = {}): void {
  let challenge = newest(sim, parent);
  // The expiry timer runs on the clock; a request in the same instant as the expiry sees it expired too.
  if (challenge?.state === 'sent' && challenge.expiresAt !== null && sim.clock.now() >= challenge.expiresAt) {
    challenge = sim.records.transition(challenge.id, 'expired', 'timer');
  }
  if (!challenge || challenge.state === 'expired' || challenge.state === 'verified') {
    throw new BusinessError('SMS_EXPIRED', undefined, fields);
  }
  const attributes = smsAttributes(challenge);
  if (challenge.state === 'void') {
    throw new BusinessError(attributes.wrong >= MAX_WRONG_CODES ? 'SMS_LOCKED' : 'SMS_EXPIRED', undefined, fields);
  }
  if (code !== attributes.code) {
    const wrong = attributes.wrong + 1;
    sim.records.tx(() => {
      sim.records.updateAttributes(challenge.id, { wrong });
      if (wrong >= MAX_WRONG_CODES) sim.records.transition(challenge.id, 'void', 'merchant');
    });
    if (wrong >= MAX_WRONG_CODES) throw new BusinessError('SMS_LOCKED', undefined, fields);
    throw new BusinessError('SMS_WRONG', `${BODY_CODES.SMS_WRONG.text}，还可输入${MAX_WRONG_CODES - wrong}次`, fields);
  }
  sim.records.transition(challenge.id, 'verified', 'merchant');
}
