import { describe, expect, it } from 'vitest';
import { maskCard } from './attributes.js';
import { startsWithSuccess } from './notify.js';

const reply = (status: number, body: string) => ({ status, body, bytes: Buffer.from(body), headers: new Headers() });

describe('the quick-pay acknowledgement (快捷 §5.5.3)', () => {
  it('is a 2xx reply starting with SUCCESS in any case', () => {
    expect(startsWithSuccess(reply(200, 'SUCCESS'))).toBe(true);
    expect(startsWithSuccess(reply(200, 'success'))).toBe(true);
    expect(startsWithSuccess(reply(204, 'SuCcEsS and more'))).toBe(true);
    expect(startsWithSuccess(reply(200, '\uFEFF\r\nSUCCESS'))).toBe(true);
    expect(startsWithSuccess(reply(200, 'FAIL SUCCESS'))).toBe(false);
    expect(startsWithSuccess(reply(200, 'SUCCES'))).toBe(false);
    expect(startsWithSuccess(reply(302, 'SUCCESS'))).toBe(false);
  });
});

describe('card masking in notifications', () => {
  it('keeps the first six and last four digits', () => {
    expect(maskCard('6222021307418529630')).toBe('622202*********9630');
    expect(maskCard('4563517307418529')).toBe('456351******8529');
  });
});
