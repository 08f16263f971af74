import { describe, expect, it } from 'vitest';
import { parseForm } from './charset.js';

describe('parseForm', () => {
  it('keeps the first of a repeated field, and a field named __proto__ as a field (it is signed like any other)', () => {
    const fields = parseForm(Buffer.from('amount=1&__proto__=x&amount=2'), 'utf-8');
    expect(Object.keys(fields)).toEqual(['amount', '__proto__']);
    expect(fields.__proto__).toBe('x');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  it('decodes percent-escapes in the declared charset', () => {
    expect(parseForm('name=%D5%C5%C8%FD&t=a+b', 'gbk')).toEqual({ name: '张三', t: 'a b' });
    expect(parseForm('', 'utf-8')).toEqual({});
  });
});
