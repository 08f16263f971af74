import { describe, expect, it } from 'vitest';
import { seal } from '../../simulators/icashier/envelope.js';
import { openReply, signOf, signRequest, verifyNotification } from './icashier.js';

// The document prints no signature example (PROVIDERS.md §6); this is the checklist's generated vector (§5.1).
const VECTOR = { action: 'WeiXin', txnamt: 100, merid: 'M0001', orderid: 'ORDER0001', backurl: 'https://m.example/back' };
const VECTOR_REQ =
  'eyJhY3Rpb24iOiJXZWlYaW4iLCJ0eG5hbXQiOjEwMCwibWVyaWQiOiJNMDAwMSIsIm9yZGVyaWQiOiJPUkRFUjAwMDEiLCJiYWNrdXJsIjoiaHR0cHM6Ly9tLmV4YW1wbGUvYmFjayJ9';

describe('testkit icashier helpers', () => {
  it('reproduces the PROVIDERS.md §5.1 vector', () => {
    expect(signRequest(VECTOR, 'testkey')).toEqual({ req: VECTOR_REQ, sign: '5af33dd5ffd4078fc7500556f90edf89' });
  });

  it('opens what the sandbox seals, and refuses another key or an empty sign', () => {
    const sealed = seal({ respcode: '00', resultcode: '0000', orderid: 'ORDER0001', txnamt: 100 }, 'testkey');
    expect(openReply(sealed, 'testkey')).toEqual({ valid: true, fields: { respcode: '00', resultcode: '0000', orderid: 'ORDER0001', txnamt: 100 } });
    expect(openReply(sealed, 'otherkey').valid).toBe(false);
    expect(openReply({ ...sealed, sign: '' }, 'testkey').valid).toBe(false);
    expect(openReply({ resp: '!!!', sign: signOf('!!!', 'testkey') }, 'testkey').valid).toBe(false);
  });

  it('reads a back notification from its URL, query string or parameters', () => {
    const sealed = seal({ resultcode: '0000', orderid: 'ORDER0001' }, 'k');
    const url = `http://shop.example/back?x=1&resp=${encodeURIComponent(sealed.resp)}&sign=${sealed.sign}`;
    expect(verifyNotification(url, 'k')).toMatchObject({ valid: true, fields: { orderid: 'ORDER0001' } });
    expect(verifyNotification(new URL(url), 'k').valid).toBe(true);
    expect(verifyNotification(new URL(url).search.slice(1), 'k').valid).toBe(true);
    expect(verifyNotification(sealed, 'k').valid).toBe(true);
    expect(verifyNotification(url.replace(sealed.sign, sealed.sign.toUpperCase()), 'k').valid).toBe(true);
    expect(verifyNotification(url, 'other').valid).toBe(false);
  });
});
