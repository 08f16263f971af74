import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phpJsonEncode, sortKeys } from './php-json.js';

describe('phpJsonEncode', () => {
  it('keeps Chinese raw and escapes slashes like PHP json_encode with JSON_UNESCAPED_UNICODE', () => {
    expect(phpJsonEncode({ NAME: '张安', URL: 'http://a.cn/b' }, { unescapedUnicode: true })).toBe('{"NAME":"张安","URL":"http:\\/\\/a.cn\\/b"}');
  });

  it('escapes quotes, backslashes, control characters and line terminators as PHP does', () => {
    expect(phpJsonEncode('a"b\\c\n\u0001\u2028', { unescapedUnicode: true })).toBe('"a\\"b\\\\c\\n\\u0001\\u2028"');
  });

  it('keeps each value type: a number is not a quoted number', () => {
    expect(phpJsonEncode({ AMT: 1 })).toBe('{"AMT":1}');
    expect(phpJsonEncode({ AMT: '1' })).toBe('{"AMT":"1"}');
    expect(phpJsonEncode({ A: null, B: true, C: [1, 'x'] })).toBe('{"A":null,"B":true,"C":[1,"x"]}');
  });

  it('sorts only top-level keys, by code unit', () => {
    expect(Object.keys(sortKeys({ b: 1, B: 2, a: 3, A_B: 4 }))).toEqual(['A_B', 'B', 'a', 'b']);
  });

  it('keeps a key named __proto__ as the parsed request had it (found by the testkit’s cross-check)', () => {
    const body = JSON.parse('{"b":"1","__proto__":"x"}') as Record<string, unknown>;
    expect(phpJsonEncode(sortKeys(body))).toBe('{"__proto__":"x","b":"1"}');
  });
});

describe('phpJsonEncode without JSON_UNESCAPED_UNICODE', () => {
  it('escapes Chinese as PHP does, matching the aggregated platform’s example', () => {
    expect(phpJsonEncode({ status: '1', message: '查询成功' })).toBe('{"status":"1","message":"\\u67e5\\u8be2\\u6210\\u529f"}');
  });

  it('writes astral characters as surrogate pairs and leaves DEL alone', () => {
    expect(phpJsonEncode('😀\u007f')).toBe('"\\ud83d\\ude00\u007f"');
  });
});

describe('phpJsonEncode on any JSON value', () => {
  // PHP's output is JSON: it differs from JSON.stringify only in the escapes PHP adds (`\/`, `\u2028`, `\u2029`, and
  // without JSON_UNESCAPED_UNICODE every code unit past ASCII).
  const phpEscapes = (json: string, unescapedUnicode: boolean) =>
    json.replace(unescapedUnicode ? /[/\u2028\u2029]/g : /[/\u0080-\uffff]/g, (ch) => (ch === '/' ? '\\/' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
  // Whole characters only: JSON.stringify escapes a lone surrogate, PHP refuses one.
  const value = fc.jsonValue({ stringUnit: 'grapheme' }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

  it('is JSON.stringify with PHP’s escapes added, with and without JSON_UNESCAPED_UNICODE', () => {
    fc.assert(
      fc.property(value, fc.boolean(), (v, unescapedUnicode) => {
        expect(phpJsonEncode(v, { unescapedUnicode })).toBe(phpEscapes(JSON.stringify(v), unescapedUnicode));
      }),
      { numRuns: 300 },
    );
  });
});
