import { constants, publicEncrypt } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decryptSegmented, DecryptError, encryptSegmented, keyBytes, signSha1, unpadPkcs1Type2, verifySha1 } from './crypto.js';

/**
 * The envelope crypto (node:crypto) against an independent implementation
 * (node-forge), both directions, 1024-bit keys as the document says and a
 * 2048-bit merchant key as a merchant may register.
 */
function forgePair(bits: number) {
  const pair = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 });
  return {
    forgePublic: pair.publicKey,
    forgePrivate: pair.privateKey,
    publicKey: forge.pki.publicKeyToPem(pair.publicKey),
    privateKey: forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(pair.privateKey))),
  };
}

const k1024 = forgePair(1024);
const k2048 = forgePair(2048);

/** A plaintext of several blocks whose multi-byte characters straddle block boundaries. */
const LONG = JSON.stringify({
  CMDID: '4097',
  ACCNAME: '张三',
  MEMO: '代付测试'.repeat(20),
  BANKNAME: '中国工商银行',
  BANKCITY: '深圳市',
  ORDERNO: '2017122510300000000000003',
});

function forgeDecrypt(ciphertext: string, key: forge.pki.rsa.PrivateKey): string {
  const bytes = forge.util.decode64(ciphertext);
  const k = Math.ceil(key.n.bitLength() / 8);
  let out = '';
  for (let i = 0; i < bytes.length; i += k) out += key.decrypt(bytes.slice(i, i + k), 'RSAES-PKCS1-V1_5');
  return forge.util.decodeUtf8(out);
}

function forgeEncrypt(text: string, key: forge.pki.rsa.PublicKey): string {
  const bytes = forge.util.encodeUtf8(text);
  const chunk = Math.ceil(key.n.bitLength() / 8) - 11;
  let out = '';
  for (let i = 0; i < bytes.length; i += chunk) out += key.encrypt(bytes.slice(i, i + chunk), 'RSAES-PKCS1-V1_5');
  return forge.util.encode64(out);
}

describe('segmented RSA encryption', () => {
  it('knows the block size of a key', () => {
    expect(keyBytes(k1024.publicKey)).toBe(128);
    expect(keyBytes(k1024.privateKey)).toBe(128);
    expect(keyBytes(k2048.publicKey)).toBe(256);
  });

  it.each([
    ['1024', k1024],
    ['2048', k2048],
  ])('node:crypto encrypts what node-forge decrypts (%s bits), in blocks of k − 11 bytes', (_bits, key) => {
    const k = keyBytes(key.publicKey);
    const ciphertext = encryptSegmented(LONG, key.publicKey);
    const blocks = Math.ceil(Buffer.byteLength(LONG) / (k - 11));
    expect(blocks).toBeGreaterThan(1);
    expect(Buffer.from(ciphertext, 'base64').length).toBe(blocks * k);
    expect(forgeDecrypt(ciphertext, key.forgePrivate)).toBe(LONG);
  });

  it.each([
    ['1024', k1024],
    ['2048', k2048],
  ])('decrypts what node-forge encrypted (%s bits)', (_bits, key) => {
    expect(decryptSegmented(forgeEncrypt(LONG, key.forgePublic), key.privateKey).toString('utf8')).toBe(LONG);
  });

  it('decrypts what node:crypto publicEncrypt made block by block, and a plaintext of exactly one full block', () => {
    const exact = 'x'.repeat(117);
    const ciphertext = Buffer.concat([
      publicEncrypt({ key: k1024.publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(exact)),
      publicEncrypt({ key: k1024.publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('{}')),
    ]).toString('base64');
    expect(decryptSegmented(ciphertext, k1024.privateKey).toString()).toBe(`${exact}{}`);
    expect(Buffer.from(encryptSegmented(exact, k1024.publicKey), 'base64').length).toBe(128);
  });

  it('accepts Base64 broken into lines, as Java MIME encoders write it', () => {
    const ciphertext = encryptSegmented(LONG, k1024.publicKey);
    const wrapped = ciphertext.replace(/(.{76})/g, '$1\r\n');
    expect(decryptSegmented(wrapped, k1024.privateKey).toString()).toBe(LONG);
  });

  it('refuses what is not Base64, not whole blocks, or not for this key', () => {
    const ciphertext = encryptSegmented(LONG, k1024.publicKey);
    const refuse = (text: string, key = k1024.privateKey) => expect(() => decryptSegmented(text, key)).toThrow(DecryptError);
    refuse('not base64!');
    refuse('');
    refuse(ciphertext.slice(0, -4));
    refuse(Buffer.from('a'.repeat(128)).toString('base64'));
    refuse(ciphertext, forgePair(1024).privateKey);
    // Encrypted for the 2048-bit key: the block size does not even match.
    refuse(encryptSegmented('{}', k2048.publicKey));
  });

  it('strict Base64', () => {
    expect(decodeBase64('YWJj')?.toString()).toBe('abc');
    expect(decodeBase64('YWJ')).toBeUndefined();
    expect(decodeBase64('YW=j')).toBeUndefined();
    expect(decodeBase64('YW-j')).toBeUndefined();
  });
});

describe('PKCS#1 v1.5 type 2 unpadding', () => {
  const block = (bytes: number[], fill = 0x5a, length = 128) => {
    const out = new Uint8Array(length).fill(fill);
    bytes.forEach((b, i) => (out[i] = b));
    return out;
  };

  it('reads the message after the first zero past eight padding bytes', () => {
    const b = block([0, 2]);
    b[20] = 0;
    b[21] = 0x41;
    expect(unpadPkcs1Type2(b)?.subarray(0, 1).toString()).toBe('A');
    expect(unpadPkcs1Type2(b)?.length).toBe(128 - 21);
  });

  it('refuses a wrong header, short padding or no separator', () => {
    expect(unpadPkcs1Type2(block([0, 1]))).toBeUndefined();
    expect(unpadPkcs1Type2(block([1, 2]))).toBeUndefined();
    expect(unpadPkcs1Type2(block([0, 2]))).toBeUndefined();
    const short = block([0, 2]);
    short[9] = 0;
    expect(unpadPkcs1Type2(short)).toBeUndefined();
    const shortest = block([0, 2]);
    shortest[10] = 0;
    expect(unpadPkcs1Type2(shortest)).toBeDefined();
  });
});

describe('SHA1withRSA', () => {
  it('node:crypto signs what node-forge verifies, and verifies what node-forge signed', () => {
    const signature = signSha1(LONG, k1024.privateKey);
    const md = forge.md.sha1.create();
    md.update(LONG, 'utf8');
    expect(k1024.forgePublic.verify(md.digest().bytes(), forge.util.decode64(signature))).toBe(true);

    const theirs = forge.util.encode64(k1024.forgePrivate.sign(md));
    expect(verifySha1(Buffer.from(LONG), theirs, k1024.publicKey)).toBe(true);
  });

  it('refuses another text, another key, or a SIGN that is not Base64', () => {
    const signature = signSha1(LONG, k1024.privateKey);
    expect(verifySha1(Buffer.from(`${LONG} `), signature, k1024.publicKey)).toBe(false);
    expect(verifySha1(Buffer.from(LONG), signature, k2048.publicKey)).toBe(false);
    expect(verifySha1(Buffer.from(LONG), 'not base64', k1024.publicKey)).toBe(false);
    // A signature with SHA-256 is not SHA1withRSA.
    const md = forge.md.sha256.create();
    md.update(LONG, 'utf8');
    expect(verifySha1(Buffer.from(LONG), forge.util.encode64(k1024.forgePrivate.sign(md)), k1024.publicKey)).toBe(false);
  });
});
