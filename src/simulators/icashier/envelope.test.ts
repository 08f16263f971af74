import { describe, expect, it } from 'vitest';
import { DecodeError, decodeMessage, encodeMessage, seal, signOf, signRequestMessage, verifySign } from './envelope.js';

// PROVIDERS.md §5.1 generated vector.
const VECTOR_JSON = { action: 'WeiXin', txnamt: 100, merid: 'M0001', orderid: 'ORDER0001', backurl: 'https://m.example/back' };
const VECTOR_REQ =
  'eyJhY3Rpb24iOiJXZWlYaW4iLCJ0eG5hbXQiOjEwMCwibWVyaWQiOiJNMDAwMSIsIm9yZGVyaWQiOiJPUkRFUjAwMDEiLCJiYWNrdXJsIjoiaHR0cHM6Ly9tLmV4YW1wbGUvYmFjayJ9';
const VECTOR_SIGN = '5af33dd5ffd4078fc7500556f90edf89';

describe('the base64 + md5 envelope', () => {
  it('reproduces the PROVIDERS.md vector', () => {
    expect(encodeMessage(VECTOR_JSON)).toBe(VECTOR_REQ);
    expect(signOf(VECTOR_REQ, 'testkey')).toBe(VECTOR_SIGN);
    expect(signRequestMessage(VECTOR_JSON, 'testkey')).toEqual({ req: VECTOR_REQ, sign: VECTOR_SIGN });
    expect(decodeMessage(VECTOR_REQ)).toEqual(VECTOR_JSON);
  });

  it('accepts either hex case and nothing but 32 hex characters', () => {
    expect(verifySign(VECTOR_REQ, 'testkey', VECTOR_SIGN)).toBe(true);
    expect(verifySign(VECTOR_REQ, 'testkey', VECTOR_SIGN.toUpperCase())).toBe(true);
    expect(verifySign(VECTOR_REQ, 'otherkey', VECTOR_SIGN)).toBe(false);
    expect(verifySign(VECTOR_REQ, 'testkey', `${VECTOR_SIGN} `)).toBe(false);
    expect(verifySign(VECTOR_REQ, 'testkey', '')).toBe(false);
  });

  it('signs the raw base64, not its URL-encoded form', () => {
    const req = encodeMessage({ note: '>>>???' }); // base64 with + and /
    expect(req).toMatch(/[+/]/);
    expect(verifySign(req, 'k', signOf(encodeURIComponent(req), 'k'))).toBe(false);
    expect(verifySign(req, 'k', signOf(req, 'k'))).toBe(true);
  });

  it('keeps Chinese as UTF-8', () => {
    const req = encodeMessage({ accname: '张三' });
    expect(Buffer.from(req, 'base64').toString('utf8')).toBe('{"accname":"张三"}');
    expect(decodeMessage(req)).toEqual({ accname: '张三' });
  });

  it('seals a reply, with an empty sign when no key is known', () => {
    const sealed = seal({ respcode: '00' }, 'k');
    expect(sealed.sign).toBe(signOf(sealed.resp, 'k'));
    expect(sealed.sign).toMatch(/^[0-9a-f]{32}$/);
    expect(seal({ respcode: '20' }, null).sign).toBe('');
  });

  const failure = (text: string) => {
    try {
      decodeMessage(text);
    } catch (error) {
      return error instanceof DecodeError ? error.failure : 'other';
    }
    return 'none';
  };

  it('rejects anything but strict padded base64 of a JSON object', () => {
    expect(failure('')).toBe('base64');
    expect(failure('not base64!')).toBe('base64');
    expect(failure(VECTOR_REQ.slice(0, -1))).toBe('base64'); // padding cut
    expect(failure(VECTOR_REQ.replace(/\+/g, ' '))).toBe('none'); // the vector has no '+'
    expect(failure(encodeMessage({ a: '>>>' }).replace('+', ' '))).toBe('base64');
    expect(failure(Buffer.from('{"a":').toString('base64'))).toBe('json');
    expect(failure(Buffer.from('[1,2]').toString('base64'))).toBe('json');
    expect(failure(Buffer.from('"text"').toString('base64'))).toBe('json');
    expect(failure(Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'))).toBe('json');
  });
});
