import { describe, expect, it } from 'vitest';
import { signBody, signingString, verifyBody } from './signature.js';

const TEST_KEY = 'ea21842eea24e448b991b1cb0a0294cf';

describe('MMSP signature', () => {
  // PROVIDERS.md §2.3 generated check vector: the 771 example Body with the test key.
  const body = {
    MERORDERID: '20170926151023152438',
    AMT: '1234',
    CARDNO: '6227000013830237349',
    CARDTYPE: '1',
    CVN2: '344',
    EXPDATE: '0117',
    ID_NO: '23210219820916601X',
    NAME: '张安',
    NOTIFY_URL: 'http://ib.fxclouds.com/Notify/MerPay_notify_url',
    PHONENO: '18826570890',
    RANDSTR: '123456',
  };

  it('reproduces the checklist vector with slashes escaped', () => {
    expect(signBody(body, TEST_KEY)).toBe('659AADFFBA712142982F3E071EA9AA18');
  });

  it('builds the documented signing string', () => {
    expect(signingString({ B: 'x/y', A: '中' }, 'K')).toBe('{"A":"中","B":"x\\/y"}&key=K');
  });

  it('rejects the unescaped-slash variant, which the FAQ lists as a cause of mismatches', () => {
    expect(verifyBody(body, TEST_KEY, '4B16D704E13E5E30DDD734C4E4BD86BF')).toBe(false);
    expect(verifyBody(body, TEST_KEY, '659aadffba712142982f3e071ea9aa18')).toBe(true);
  });
});
