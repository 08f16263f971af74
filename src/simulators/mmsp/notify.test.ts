import { describe, expect, it } from 'vitest';
import type { Merchant, Order } from '../../core/domain.js';
import type { NotificationPayload } from '../../core/simulator.js';
import { scanPushChannel } from './notify.js';
import { verifyBody } from './signature.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf';

function payload(): NotificationPayload {
  const order = {
    merchantId: '001440353999853',
    orderNo: 'SHOP-1',
    platformOrderNo: '202603010000000001',
    amount: 100,
    createdAt: Date.UTC(2026, 2, 1, 2, 0, 0),
    paidAt: Date.UTC(2026, 2, 1, 2, 0, 30),
    notifyUrl: 'http://127.0.0.1:9/notify',
    attributes: { family: 'scan', wallet: 'wechat', terminalId: '84970001', agentNo: '' },
  } as unknown as Order;
  return { order } as unknown as NotificationPayload;
}

function push(of: NotificationPayload, key: string, attemptNo: number) {
  const merchant = { merchantId: '001440353999853', md5Key: key } as Merchant;
  const request = scanPushChannel.encode(of, { merchant, platformKeys: null, attemptNo, now: Date.UTC(2026, 2, 1, 3) });
  return JSON.parse(request.body as string) as { SeqID: number; Body: Record<string, unknown>; Sign: string };
}

describe('MMSP scan push (10.8, CommandID 2324)', () => {
  it('sends the same signed Body on every push of a notification, with the push’s own SeqID', () => {
    const notification = payload();
    const first = push(notification, KEY, 1);
    const second = push(notification, KEY, 2);
    expect([first.SeqID, second.SeqID]).toEqual([1, 2]);
    expect(second.Body).toEqual(first.Body);
    expect(first.Body).toMatchObject({ AMT: 100, MERORDERID: 'SHOP-1', TRDETIME: '2026-03-01 10:00:00', PAYTIME: '2026-03-01 10:00:30' });
    expect(verifyBody(second.Body, KEY, second.Sign)).toBe(true);
  });

  it('signs again when the key changes between pushes (an edited merchant, a scripted wrong signature)', () => {
    const notification = payload();
    push(notification, KEY, 1);
    const other = 'ffffffffffffffffffffffffffffffff';
    const changed = push(notification, other, 2);
    expect(verifyBody(changed.Body, other, changed.Sign)).toBe(true);
    expect(verifyBody(changed.Body, KEY, changed.Sign)).toBe(false);
    // And back: the first key's signature again, not the other one's.
    const back = push(notification, KEY, 3);
    expect(verifyBody(back.Body, KEY, back.Sign)).toBe(true);
  });
});
