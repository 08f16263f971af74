import type { NewOutboxItem } from '../../src/core/store/outbox.js';

/**
 * A notification for the engine's unit tests to queue: provider `p`'s `push` channel for merchant `m`, due at time 0,
 * with whatever `fields` say otherwise.
 */
export function outboxItem(fields: Partial<NewOutboxItem> = {}): NewOutboxItem {
  return {
    provider: 'p',
    channel: 'push',
    recordId: null,
    recordKind: 'order',
    merchantId: 'm',
    signerId: null,
    orderNo: 'o1',
    url: 'http://shop.test/notify',
    payload: {},
    flags: {},
    createdAt: 0,
    nextAttemptAt: 0,
    ...fields,
  };
}
