import { generateKeyPairSync, createSign } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { platformSign, signingString, verifyBytes, verifyMerchantSign } from './signature.js';

const pair = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const sign = (bytes: Buffer) => createSign('RSA-SHA1').update(bytes).sign(pair.privateKey, 'base64');

describe('the string to sign (§2.3.1)', () => {
  it('drops sign and sign_type, sorts by name, keeps empty values and raw values', () => {
    const text = signingString({ sign_type: 'RSA', version: '4.0', media_id: 'test@msn.com', amount: '1', goods_inf: '', sign: 'x', service: 'pay_req' });
    expect(text).toBe('amount=1&goods_inf=&media_id=test@msn.com&service=pay_req&version=4.0');
  });

  it('compares names character by character (a before a_)', () => {
    expect(signingString({ mer_id: '1', mer: '2', merchant: '3' })).toBe('mer=2&mer_id=1&merchant=3');
  });
});

describe('signatures', () => {
  const text = 'goods_inf=商品&mer_id=60000100';

  it('the platform signs the GBK bytes', () => {
    const signature = platformSign(text, pair.privateKey);
    expect(verifyBytes(iconv.encode(text, 'gbk'), signature, pair.publicKey)).toBe(true);
    expect(verifyBytes(Buffer.from(text, 'utf8'), signature, pair.publicKey)).toBe(false);
  });

  it('a merchant may sign the declared charset, UTF-8 or GBK', () => {
    expect(verifyMerchantSign(text, sign(Buffer.from(text, 'utf8')), pair.publicKey, 'UTF-8')).toBe('UTF-8');
    expect(verifyMerchantSign(text, sign(iconv.encode(text, 'gbk')), pair.publicKey, 'UTF-8')).toBe('GBK');
    expect(verifyMerchantSign(text, sign(iconv.encode(text, 'gb18030')), pair.publicKey, 'GB18030')).toBe('GB18030');
    expect(verifyMerchantSign(`${text}x`, sign(Buffer.from(text, 'utf8')), pair.publicKey, 'UTF-8')).toBeNull();
  });

  it('a malformed sign or key verifies nothing', () => {
    expect(verifyMerchantSign(text, 'not base64!', pair.publicKey, 'UTF-8')).toBeNull();
    expect(verifyBytes(Buffer.from(text), sign(Buffer.from(text)), 'not a key')).toBe(false);
  });
});
