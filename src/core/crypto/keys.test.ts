import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { privateKeyOf, publicKeyOf } from './keys.js';

describe('parsed keys', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

  it('parses a PEM once and signs and verifies as the PEM text would', () => {
    expect(privateKeyOf(privateKey)).toBe(privateKeyOf(privateKey));
    expect(publicKeyOf(publicKey)).toBe(publicKeyOf(publicKey));
    const data = Buffer.from('mer_id=60000100&order_id=1');
    const signature = sign('sha1', data, privateKeyOf(privateKey));
    expect(signature.equals(sign('sha1', data, privateKey))).toBe(true);
    expect(verify('sha1', data, publicKeyOf(publicKey), signature)).toBe(true);
    expect(privateKeyOf(privateKey).asymmetricKeyDetails?.modulusLength).toBe(1024);
  });

  it('refuses what is not a key, as node:crypto does', () => {
    expect(() => privateKeyOf('not a key')).toThrow();
    expect(() => publicKeyOf('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow();
  });
});
