import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffText, tokens } from './diff.js';

const side = (parts: ReturnType<typeof diffText>, op: '-' | '+') =>
  parts.filter((part) => part.op === '=' || part.op === op).map((part) => part.text).join('');

describe('diffText', () => {
  it('marks an escaped slash against a raw one', () => {
    expect(diffText('{"URL":"http:\\/\\/a.cn"}', '{"URL":"http://a.cn"}')).toEqual([
      { op: '=', text: '{"URL":"http:' },
      { op: '-', text: '\\' },
      { op: '=', text: '/' },
      { op: '-', text: '\\' },
      { op: '=', text: '/a.cn"}' },
    ]);
  });

  it('keeps names and values whole', () => {
    expect(tokens('appid=gpu1&order_no=A1')).toEqual(['appid', '=', 'gpu1', '&', 'order_no', '=', 'A1']);
    const parts = diffText('a=1&b=2&secret=k', 'b=2&a=1&secret=k');
    expect(parts.some((part) => part.op !== '=' && /a=1|b=2/.test(part.text))).toBe(true);
  });

  it('answers nothing for two empty texts and one part for equal ones', () => {
    expect(diffText('', '')).toEqual([]);
    expect(diffText('same', 'same')).toEqual([{ op: '=', text: 'same' }]);
    expect(diffText('', 'new')).toEqual([{ op: '+', text: 'new' }]);
  });

  it('always rebuilds both texts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (a, b) => {
        const parts = diffText(a, b);
        expect(side(parts, '-')).toBe(a);
        expect(side(parts, '+')).toBe(b);
      }),
    );
  });
});
