import { describe, expect, it } from 'vitest';
import { callbackSign, requestSign, signingString } from './signature.js';

describe('aggregated platform signatures (PROVIDERS.md §6)', () => {
  it('E6: reproduces the document’s request sign (empty values dropped, secret added, sorted, raw URLs)', () => {
    const params = {
      order_no: '2019xxxxxxxxxxxx',
      bank_code: '901',
      amount: '10000',
      appid: 'gpu10000000',
      return_url: 'https://www.return.com/return',
      notify_url: 'http://www.notify.com/notify',
      product_name: 'onlinepay',
      attach: '',
    };
    expect(signingString(params, 'c1277xxxxxxxxx', false)).toBe(
      'amount=10000&appid=gpu10000000&bank_code=901&notify_url=http://www.notify.com/notify&order_no=2019xxxxxxxxxxxx&product_name=onlinepay&return_url=https://www.return.com/return&secret=c1277xxxxxxxxx',
    );
    expect(requestSign({ ...params, sign: 'ignored' }, 'c1277xxxxxxxxx')).toBe('06eb02e7332217cca8ba5a20f8c9383a');
  });

  it('E7: reproduces the document’s callback sign (attach= kept, the space in pay_time raw)', () => {
    const params = {
      actual_amount: '10000.00',
      amount: '10000.00',
      appid: 'gpu10000000',
      attach: '',
      order_no: '2019xxxxxxxxxxxx',
      pay_status: '1',
      pay_time: '2019-08-18 00:13:41',
      platform_order_no: 'A2019xxxxxxxxxxxx',
    };
    expect(callbackSign(params, '229254ceaf2xxxxxxxxxxxx')).toBe('eecb33027f752c51663f12ddbaf26ac9');
    expect(requestSign(params, '229254ceaf2xxxxxxxxxxxx')).not.toBe('eecb33027f752c51663f12ddbaf26ac9');
  });
});
