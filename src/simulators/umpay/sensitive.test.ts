import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decryptField, encryptField } from './sensitive.js';

const pair = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const other = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const encryptBytes = (bytes: Buffer, key = pair.publicKey) => publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, bytes).toString('base64');

describe('sensitive fields (PKCS#1 v1.5 with the platform key)', () => {
  it('decrypts what the SDKs send: GBK bytes', () => {
    expect(decryptField(encryptField('6222021307418529630', pair.publicKey), pair.privateKey)).toBe('6222021307418529630');
    // 鈥玜 and 陇 are GBK whose bytes are also valid UTF-8 (U+202B "a", and "·"): still read as GBK.
    for (const name of ['张三', '郑十', '钱十一', '欧阳娜娜', '鈥玜', '陇']) {
      expect(decryptField(encryptBytes(iconv.encode(name, 'gbk')), pair.privateKey), name).toBe(name);
    }
  });

  it('reads UTF-8 Chinese as UTF-8 (SDKs that encrypt UTF-8 bytes)', () => {
    for (const name of ['张三', '阿依古丽·买买提', '北京市，朝阳区']) {
      expect(decryptField(encryptBytes(Buffer.from(name, 'utf8')), pair.privateKey), name).toBe(name);
    }
  });

  it('refuses plaintext, another key’s ciphertext, a wrong length and garbage', () => {
    expect(decryptField('6222021307418529630', pair.privateKey)).toBeUndefined();
    expect(decryptField(encryptField('123', other.publicKey), pair.privateKey)).toBeUndefined();
    expect(decryptField(Buffer.alloc(64, 1).toString('base64'), pair.privateKey)).toBeUndefined();
    expect(decryptField('张三', pair.privateKey)).toBeUndefined();
  });
});
