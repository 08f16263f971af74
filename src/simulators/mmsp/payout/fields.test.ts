import { describe, expect, it } from 'vitest';
import { DEFAULT_CARDS } from '../../../core/test-cards.js';
import { bankByCnaps, bankNamed, isProvince } from './banks.js';
import { insideWindow } from './commands.js';
import { commandIdOf, isCompactTime, isResidentId, readFields, withAliases, QUERY_RULES } from './fields.js';
import { PayoutError } from './errors.js';
import { payoutSettingsSchema } from './settings.js';

describe('field checks', () => {
  it('resident IDs carry their GB 11643 check character', () => {
    for (const card of DEFAULT_CARDS) expect(isResidentId(card.idNumber), card.idNumber).toBe(true);
    expect(isResidentId('11010519900307123X')).toBe(false);
    expect(isResidentId('110105199003071238')).toBe(false);
    expect(isResidentId('11010519900307123')).toBe(false);
  });

  it('REQTIME is a real YYYYMMDDhhmmss', () => {
    expect(isCompactTime('20240229235959')).toBe(true);
    expect(isCompactTime('20250229000000')).toBe(false);
    expect(isCompactTime('20260301240000')).toBe(false);
    expect(isCompactTime('2026030110000')).toBe(false);
  });

  it('reads a table in order, 1001 for the first missing required field, the field code for a malformed one', () => {
    expect(readFields(QUERY_RULES, { ORDERNO: 123, REQTIME: '20260301100000' })).toEqual({ ORDERNO: '123', BSORDERNO: undefined, REQTIME: '20260301100000' });
    const codeOf = (plaintext: Record<string, unknown>) => {
      try {
        readFields(QUERY_RULES, plaintext);
        return 'ok';
      } catch (error) {
        return `${(error as PayoutError).code} ${(error as PayoutError).message}`;
      }
    };
    expect(codeOf({ ORDERNO: 'x' })).toBe('1001 参数错误：ORDERNO格式错误，应为纯数字，最长32位');
    expect(codeOf({ ORDERNO: '1' })).toBe('1001 参数错误：缺少必填字段REQTIME');
    expect(codeOf({ ORDERNO: ['1'], REQTIME: '20260301100000' })).toBe('1001 参数错误：ORDERNO必须为字符串，应为纯数字，最长32位');
  });

  it('takes the document’s misspellings and CMDID as an int or a decimal string', () => {
    expect(withAliases({ MERNNO: '1', BUSITYPE: '002' })).toMatchObject({ MERNO: '1', BUSIYPE: '002' });
    expect(withAliases({ MERNO: '1', MERNNO: '2' }).MERNO).toBe('1');
    expect(commandIdOf({ CMDID: 4097 })).toBe(4097);
    expect(commandIdOf({ CMDID: '4097' })).toBe(4097);
    expect(commandIdOf({ CMDID: '0x1001' })).toBeUndefined();
  });
});

describe('banks and provinces', () => {
  it('knows full and short names and CNAPS codes', () => {
    expect(bankNamed('工商银行')).toBe(bankNamed('中国工商银行'));
    expect(bankNamed('花旗银行')).toBeUndefined();
    expect(bankByCnaps('308584000013')?.name).toBe('招商银行');
    expect(bankByCnaps('999100099996')).toBeUndefined();
    for (const card of DEFAULT_CARDS) expect(bankNamed(card.bank), card.bank).toBeDefined();
  });

  it('provinces as §5.1.2 writes them', () => {
    expect(['北京', '北京市', '广东省', '广西壮族自治区'].every(isProvince)).toBe(true);
    expect(['广东', '北京省', 'Guangdong'].some(isProvince)).toBe(false);
  });
});

describe('the channel window, China time', () => {
  const at = (hhmmss: string) => Date.parse(`2026-03-01T${hhmmss.slice(0, 2)}:${hhmmss.slice(2, 4)}:${hhmmss.slice(4)}+08:00`);
  const channel = (beginAt: string, endAt: string) => {
    const settings = payoutSettingsSchema.parse({ channel: { beginAt, endAt } });
    if (settings.channel === false) throw new Error('unreachable');
    return settings.channel;
  };

  it('includes both ends; a window ending before it begins runs over midnight', () => {
    expect(insideWindow(at('090000'), channel('09:00', '17:00'))).toBe(true);
    expect(insideWindow(at('170000'), channel('09:00', '17:00'))).toBe(true);
    expect(insideWindow(at('170001'), channel('09:00', '17:00'))).toBe(false);
    expect(insideWindow(at('235959'), channel('22:00', '02:00'))).toBe(true);
    expect(insideWindow(at('013000'), channel('220000', '02:00:00'))).toBe(true);
    expect(insideWindow(at('120000'), channel('22:00', '02:00'))).toBe(false);
  });

  it('refuses a malformed time of day in the settings', () => {
    expect(payoutSettingsSchema.safeParse({ channel: { beginAt: '25:00' } }).success).toBe(false);
  });
});
