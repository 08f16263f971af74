import { describe, expect, it } from 'vitest';
import { IcashierError } from './errors.js';
import { parseFields, querySchema, submitSchema, withUrlAliases } from './fields.js';

const good = { action: 'WeiXin', txnamt: 100, merid: '880000000000001', orderid: 'ORDER0001', backurl: 'https://m.example/back' };

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof IcashierError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('did not fail');
}

describe('submit fields', () => {
  it('accepts the table and reads camelCase URLs (DMP-5)', () => {
    expect(parseFields(submitSchema, good)).toMatchObject(good);
    const { backurl, ...rest } = good;
    const aliased = parseFields(submitSchema, withUrlAliases({ ...rest, backUrl: backurl, frontUrl: 'http://m.example/f' }));
    expect(aliased).toMatchObject({ backurl, fronturl: 'http://m.example/f' });
    // The lower-case name wins when both are sent.
    expect(withUrlAliases({ backurl: 'http://a.example', backUrl: 'http://b.example' }).backurl).toBe('http://a.example');
  });

  it('names a missing field with respcode 12 and a malformed one with 13', () => {
    for (const field of ['action', 'txnamt', 'merid', 'orderid', 'backurl']) {
      const body: Record<string, unknown> = { ...good };
      delete body[field];
      expect(failure(() => parseFields(submitSchema, body))).toEqual({ code: '12', message: `缺少必填字段：${field}` });
    }
    for (const [field, value] of [
      ['txnamt', 0],
      ['txnamt', -1],
      ['txnamt', 1.5],
      ['txnamt', '100'],
      ['orderid', 'ABC1234'],
      ['orderid', 'A'.repeat(33)],
      ['orderid', 'ORDER-0001'],
      ['action', 'UnionPay'],
      ['backurl', 'ftp://m.example'],
      ['fronturl', 'not a url'],
      ['accno', '12345'],
    ] as const) {
      const result = failure(() => parseFields(submitSchema, { ...good, accname: '张三', accno: '110101199003070011', [field]: value }));
      expect(result.code, `${field}=${String(value)}`).toBe('13');
      expect(result.message).toContain(field);
    }
  });

  it('bind-card needs both accname and accno (DMP-4)', () => {
    expect(failure(() => parseFields(submitSchema, { ...good, accname: '张三' })).message).toContain('accno');
    expect(failure(() => parseFields(submitSchema, { ...good, accno: '110101199003070011' })).message).toContain('accname');
    expect(parseFields(submitSchema, { ...good, accname: '张三', accno: '11010119900307001X' }).accno).toBe('11010119900307001X');
  });
});

describe('query fields', () => {
  it('needs queryid or orderid, and ignores orderid when queryid is sent (§3.4.3)', () => {
    expect(failure(() => parseFields(querySchema, { merid: 'M1' })).code).toBe('12');
    expect(parseFields(querySchema, { merid: 'M1', queryid: 'Q1', orderid: 'bad-shape' })).toEqual({ merid: 'M1', queryid: 'Q1' });
    expect(parseFields(querySchema, { merid: 'M1', queryid: 'Q1' })).toEqual({ merid: 'M1', queryid: 'Q1' });
    expect(parseFields(querySchema, { merid: 'M1', orderid: 'ORDER0001' })).toEqual({ merid: 'M1', orderid: 'ORDER0001' });
    expect(failure(() => parseFields(querySchema, { merid: 'M1', orderid: 'bad-shape' })).code).toBe('13');
  });
});
