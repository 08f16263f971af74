import { describe, expect, it } from 'vitest';
import { encodeForm, parseForm, percentDecodeBytes } from './charset.js';

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

  it('reads a % not followed by two hex digits as itself, + as a space and %2B as a plus, as a servlet container does', () => {
    expect(parseForm('a=100%&b=%4&c=%zz1&d=%e4%B8%ad&e=1+1%2B1&f=%&g=%%41', 'utf-8')).toEqual({
      a: '100%',
      b: '%4',
      c: '%zz1',
      d: '中',
      e: '1 1+1',
      f: '%',
      g: '%A',
    });
    // Escaped names decode too; a name alone is a field with an empty value.
    expect(parseForm('order%5Fid=1&flag', undefined)).toEqual({ order_id: '1', flag: '' });
  });

  it('decodes bytes sent unescaped in the declared charset, and plain ASCII as it is in every charset', () => {
    const gbk = Buffer.concat([Buffer.from('name='), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from('&id=A-1.x_2')]);
    expect(parseForm(gbk, 'GB2312')).toEqual({ name: '张三', id: 'A-1.x_2' });
    expect(parseForm(Buffer.from('name=张三&id=7'), 'UTF-8')).toEqual({ name: '张三', id: '7' });
    // A charset iconv-lite knows but no provider declares is decoded by iconv-lite, ASCII bytes included: in UTF-16LE
    // the bytes of "ab" are one character, U+6261.
    expect(parseForm(Buffer.from('ab=cd'), 'utf16le')).toEqual({ '\u6261': '\u6463' });
  });
});

describe('percentDecodeBytes', () => {
  it('answers the bytes of a part: escapes decoded, + a space, a stray % kept, raw Latin-1 characters as their bytes', () => {
    expect([...percentDecodeBytes('%D6%d0+a%2B%G1%')]).toEqual([0xd6, 0xd0, 0x20, 0x61, 0x2b, 0x25, 0x47, 0x31, 0x25]);
    expect([...percentDecodeBytes('\u00d6\u00d0')]).toEqual([0xd6, 0xd0]);
    expect(percentDecodeBytes('').length).toBe(0);
  });
});

describe('encodeForm', () => {
  it('writes the bytes of the charset: letters, digits and *-._ as they are, a space as +, the rest as %XY', () => {
    expect(encodeForm({ v: '中 文*-._~!+%', e: '' }, 'GBK')).toBe('v=%D6%D0+%CE%C4*-._%7E%21%2B%25&e=');
    expect(encodeForm({ 'k 1': '中' }, 'UTF-8')).toBe('k+1=%E4%B8%AD');
    // Read back, it is what was written.
    expect(parseForm(encodeForm({ v: '中 文*-._~!+%' }, 'GBK'), 'GBK')).toEqual({ v: '中 文*-._~!+%' });
  });
});
