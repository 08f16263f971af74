import { generateKeyPairSync, createVerify } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { findMetaContent, metaPage, metaSafe, signFields, splitContent } from './meta.js';

const pair = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

describe('the META answer (§2.2.2)', () => {
  it('signs sorted fields with sign_type among them and sign last, over GBK', () => {
    const entries = signFields({ ret_msg: '成功', mer_id: '60000100', ret_code: '0000', version: '4.0' }, pair.privateKey);
    expect(entries.map(([k]) => k)).toEqual(['mer_id', 'ret_code', 'ret_msg', 'sign_type', 'version', 'sign']);
    const signed = 'mer_id=60000100&ret_code=0000&ret_msg=成功&version=4.0';
    expect(createVerify('RSA-SHA1').update(iconv.encode(signed, 'gbk')).verify(pair.publicKey, entries.at(-1)![1], 'base64')).toBe(true);
  });

  it('never lets a value break the attribute: & < > " become full-width, and are signed so', () => {
    expect(metaSafe('a&b<c>"d"')).toBe('a＆b＜c＞＂d＂');
    const entries = signFields({ mer_priv: 'x&y' }, pair.privateKey);
    expect(entries.find(([k]) => k === 'mer_priv')![1]).toBe('x＆y');
  });

  it('writes one META tag ended by "> before a lower-case </head', () => {
    const html = metaPage([['a', '1'], ['sign', 'S+/=']]);
    expect(html).toContain('<META NAME="MobilePayPlatform" CONTENT="a=1&sign=S+/=">\n</head>');
    expect(metaPage([['a', '1']], '<b>')).toContain('<p>&lt;b&gt;</p>');
  });
});

describe('reading a merchant’s META', () => {
  const bytes = (text: string) => Buffer.from(text, 'latin1');

  it('finds the content whatever the tag’s end and position', () => {
    for (const end of ['">', '"/>', '" />']) {
      expect(findMetaContent(bytes(`<html><head><meta charset="x"><META NAME="MobilePayPlatform" CONTENT="a=1&b=2${end}</head></html>`))).toBe('a=1&b=2');
    }
    expect(findMetaContent(bytes('<META CONTENT="a=1" NAME="MobilePayPlatform">'))).toBe('a=1');
    expect(findMetaContent(bytes('<META NAME="MobilePayPlatform" CONTENT="a=1">'))).toBe('a=1');
  });

  it('needs the name, and CONTENT upper-case ("CONTENT必须大写")', () => {
    expect(findMetaContent(bytes('<META NAME="Other" CONTENT="a=1">'))).toBeUndefined();
    expect(findMetaContent(bytes('<META NAME="MobilePayPlatform" content="a=1">'))).toBeUndefined();
    expect(findMetaContent(bytes('ret_code=0000'))).toBeUndefined();
  });

  it('splits items at their first =, values raw', () => {
    expect(splitContent('a=1&sign=ab==&c=&d')).toEqual([
      { name: 'a', raw: '1' },
      { name: 'sign', raw: 'ab==' },
      { name: 'c', raw: '' },
      { name: 'd', raw: '' },
    ]);
  });
});
