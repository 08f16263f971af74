import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callbackSign as sandboxCallbackSign, requestSign as sandboxRequestSign } from '../../simulators/aggpay/signature.js';
import { callbackSign, requestSign, signingString, signRequest, verifyNotification, verifyReturn } from './aggpay.js';

describe('testkit aggpay helpers (the document’s worked examples, PROVIDERS.md §6)', () => {
  it('E6: the request sign of §4 (empty values dropped, secret added, sorted, raw URLs)', () => {
    const params = {
      order_no: '2019xxxxxxxxxxxx', bank_code: '901', amount: '10000', appid: 'gpu10000000',
      return_url: 'https://www.return.com/return', notify_url: 'http://www.notify.com/notify', product_name: 'onlinepay', attach: '',
    };
    expect(signingString(params, 'c1277xxxxxxxxx', false)).toBe(
      'amount=10000&appid=gpu10000000&bank_code=901&notify_url=http://www.notify.com/notify&order_no=2019xxxxxxxxxxxx&product_name=onlinepay&return_url=https://www.return.com/return&secret=c1277xxxxxxxxx',
    );
    expect(requestSign(params, 'c1277xxxxxxxxx')).toBe('06eb02e7332217cca8ba5a20f8c9383a');
    expect(signRequest({ ...params, sign: 'stale' }, 'c1277xxxxxxxxx').sign).toBe('06eb02e7332217cca8ba5a20f8c9383a');
  });

  it('E7: the notification sign of §4 (attach= kept, the space in pay_time raw)', () => {
    const form = {
      actual_amount: '10000.00', amount: '10000.00', appid: 'gpu10000000', attach: '', order_no: '2019xxxxxxxxxxxx',
      pay_status: 1, pay_time: '2019-08-18 00:13:41', platform_order_no: 'A2019xxxxxxxxxxxx', sign: 'eecb33027f752c51663f12ddbaf26ac9',
    };
    expect(callbackSign(form, '229254ceaf2xxxxxxxxxxxx')).toBe('eecb33027f752c51663f12ddbaf26ac9');
    expect(verifyNotification(form, '229254ceaf2xxxxxxxxxxxx')).toMatchObject({ valid: true, fields: { pay_status: '1', attach: '' } });
    // As a urlencoded body, as it arrives.
    const body = new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString();
    expect(verifyNotification(body, '229254ceaf2xxxxxxxxxxxx').valid).toBe(true);
    expect(verifyNotification(body.replace('pay_status=1', 'pay_status=0'), '229254ceaf2xxxxxxxxxxxx').valid).toBe(false);
    expect(verifyReturn({ order_no: 'A', pay_status: '1', sign: callbackSign({ order_no: 'A', pay_status: '1' }, 's') }, 's').valid).toBe(true);
  });

  it('signs a field named __proto__ like any other, as a form carries it', () => {
    const form = 'amount=1&__proto__=x';
    expect(signingString(Object.fromEntries(new URLSearchParams(form)), 's', false)).toBe('__proto__=x&amount=1&secret=s');
    expect(signingString(JSON.parse('{"__proto__":"x","amount":"1"}'), 's', false)).toBe('__proto__=x&amount=1&secret=s');
  });

  it('signs exactly as the sandbox does, in both directions (an independent implementation)', () => {
    const params = fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== 'sign' && k !== 'secret'), fc.string());
    fc.assert(
      fc.property(params, fc.string(), (fields, secret) => {
        expect(requestSign(fields, secret)).toBe(sandboxRequestSign(fields, secret));
        expect(callbackSign(fields, secret)).toBe(sandboxCallbackSign(fields, secret));
      }),
      { numRuns: 300 },
    );
  });
});
