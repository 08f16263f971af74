import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodeText as sandboxEncodeText, parseForm as sandboxParseForm } from '../../core/codec/charset.js';
import { decodeText, encodeGbk, encodeText, parseForm, UnmappableCharacterError } from './charset.js';

/** Every BMP character but the surrogates. */
const BMP = Array.from({ length: 0x10000 }, (_, code) => code).filter((code) => code < 0xd800 || code > 0xdfff);

function mine(ch: string): Buffer | undefined {
  try {
    return encodeGbk(ch);
  } catch (error) {
    expect(error).toBeInstanceOf(UnmappableCharacterError);
    return undefined;
  }
}

describe('GBK without iconv (the testkit may import only node: modules)', () => {
  it('encodes as iconv-lite (the sandbox) does wherever it encodes at all, over the whole BMP', () => {
    const missing: number[] = [];
    for (const code of BMP) {
      const ch = String.fromCharCode(code);
      const ours = mine(ch);
      const theirs = iconv.encode(ch, 'gbk');
      const theirsMapped = !(theirs.length === 1 && theirs[0] === 0x3f && ch !== '?');
      if (ours === undefined) {
        if (theirsMapped) missing.push(code);
        continue;
      }
      // Never other bytes than iconv's: a character is encoded right or refused.
      expect(ours.equals(theirs), `U+${code.toString(16)}`).toBe(true);
    }
    // Missing: GBK's user-defined area (Private Use Area code points, no merchant's text), and fewer than
    // a hundred characters ICU decodes to the Private Use Area where iconv has GB18030-2005's real code
    // points; no CJK Unified Ideograph of GBK (U+4E00–U+9FA5) is among them.
    expect(missing.filter((code) => code < 0xe000 || code > 0xf8ff).length).toBeLessThan(100);
    expect(missing.filter((code) => code >= 0x4e00 && code <= 0x9fa5)).toEqual([]);
    expect(missing).toContain(0x2e81);
  });

  it('round-trips Chinese text, and writes what iconv and the sandbox write', () => {
    const chinese = fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCharCode(code)) });
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)) });
    fc.assert(
      fc.property(fc.array(fc.oneof(chinese, ascii, fc.constantFrom('张三', '￥', '€', '，', '＆'))), (parts) => {
        const text = parts.join('');
        const bytes = encodeGbk(text);
        expect(bytes.equals(iconv.encode(text, 'gbk'))).toBe(true);
        expect(bytes.equals(sandboxEncodeText(text, 'GBK'))).toBe(true);
        expect(decodeText(bytes, 'GBK')).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses what GBK cannot encode, or writes ? as iconv and Java do when asked to', () => {
    expect(encodeGbk('张三').toString('hex')).toBe('d5c5c8fd');
    expect(() => encodeGbk('😀')).toThrow(UnmappableCharacterError);
    expect(() => encodeGbk('😀')).toThrow(/U\+1F600/);
    expect(encodeGbk('a😀b', { unmappable: 'replace' }).toString('latin1')).toBe('a?b');
    expect(encodeText('张三', 'GB2312')).toEqual(iconv.encode('张三', 'gbk'));
    expect(encodeText('张三', 'utf8')).toEqual(Buffer.from('张三', 'utf8'));
  });

  it('decodes forms in their charset, as the sandbox does', () => {
    const gbk = 'name=%D5%C5%C8%FD&city=%C9%EE%DB%DA%CA%D0&a+b=c+d&__proto__=x';
    expect(parseForm(gbk, 'GBK')).toEqual(sandboxParseForm(gbk, 'GBK'));
    expect(parseForm(gbk, 'GBK')).toMatchObject({ name: '张三', city: '深圳市', 'a b': 'c d' });
    expect(Object.hasOwn(parseForm(gbk, 'GBK'), '__proto__')).toBe(true);
    // The charset may come from the form itself (UMPay's own charset field).
    expect(parseForm('charset=GBK&n=%D5%C5', (raw) => raw.get('charset'))).toEqual({ charset: 'GBK', n: '张' });
    // Raw characters of a string body are text already; raw bytes of a body are bytes.
    expect(parseForm('n=张&m=%E4%B8%89')).toEqual({ n: '张', m: '三' });
    expect(parseForm(iconv.encode('n=张三', 'gbk'), 'GBK')).toEqual({ n: '张三' });
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (fields) => {
        const body = new URLSearchParams(fields).toString();
        expect(parseForm(body)).toEqual(sandboxParseForm(body, 'UTF-8'));
      }),
      { numRuns: 200 },
    );
  });
});
