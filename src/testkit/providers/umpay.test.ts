import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { encodeForm } from '../../core/codec/charset.js';
import type { Merchant } from '../../core/domain.js';
import type { AckContext } from '../../core/simulator.js';
import { generateKeyPair, selfSignedCertificate } from '../../keys/generate.js';

import { metaPage, signFields } from '../../simulators/umpay/meta.js';
import { isSignedAck } from '../../simulators/umpay/notify.js';
import { decryptField } from '../../simulators/umpay/sensitive.js';
import { platformSign, signingString as sandboxSigningString, verifyMerchantSign } from '../../simulators/umpay/signature.js';
import { UnmappableCharacterError } from './charset.js';
import { buildRequest, encryptField, metaReply, notificationAck, readMeta, signingString, signRequest, verifyNotification } from './umpay.js';

/** A key pair with its self-signed certificate, as a provider hands one out. */
const withCertificate = (pair: { publicKey: string; privateKey: string }, name: string) => ({ ...pair, certificate: selfSignedCertificate(pair, name) });

/**
 * UMPay's document prints no signature example (PROVIDERS.md §6): these check
 * the reference's worked signing string, the sandbox's own functions on random
 * input, and node-forge + iconv-lite — an implementation apart from both.
 */
const platform = withCertificate(generateKeyPair({ bits: 1024 }), 'umpay-testkit');
const merchant = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const certificate = platform.certificate!;

/** SHA1withRSA verified by node-forge over exact bytes. */
function forgeVerifies(bytes: Buffer, sign: string, pem: string): boolean {
  const key = (pem.includes('CERTIFICATE') ? forge.pki.certificateFromPem(pem).publicKey : forge.pki.publicKeyFromPem(pem)) as forge.pki.rsa.PublicKey;
  const md = forge.md.sha1.create();
  md.update(bytes.toString('binary'));
  try {
    return key.verify(md.digest().bytes(), forge.util.decode64(sign));
  } catch {
    return false;
  }
}

const chinese = fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCharCode(code)) });
/**
 * Chinese as names and addresses are written: GB2312's hanzi (GBK lead bytes B0–F7, trail A1–FE). Sensitive fields
 * use it: GBK bytes that also read as UTF-8 Chinese are ambiguous and read as UTF-8 (umpay/sensitive.ts), which
 * GB2312 text practically never is, while rarer GBK characters with ASCII trail bytes are (蹇猂 = E5 BF AA 52 reads
 * as 忪R).
 */
const commonChinese = fc.string({
  unit: fc
    .tuple(fc.integer({ min: 0xb0, max: 0xf7 }), fc.integer({ min: 0xa1, max: 0xfe }))
    .map(([lead, trail]) => iconv.decode(Buffer.from([lead, trail]), 'gbk'))
    .filter((ch) => /^[\u4e00-\u9fa5]$/.test(ch)),
});
const value = fc.oneof(fc.string(), chinese, fc.constant(''));
const name = fc.stringMatching(/^[a-z][a-z_]{0,11}$/);

describe('testkit umpay helpers', () => {
  it('reproduces the reference’s worked string to sign (docs/providers/umpay.md, query_order)', () => {
    const fields = { service: 'query_order', charset: 'UTF-8', mer_id: '60000100', sign_type: 'RSA', res_format: 'HTML', version: '4.0', order_id: 'DEMO0001', mer_date: '20260301' };
    expect(signingString(fields)).toBe('charset=UTF-8&mer_date=20260301&mer_id=60000100&order_id=DEMO0001&res_format=HTML&service=query_order&version=4.0');
    // §2.3.1: empty values kept as k=, raw values (test@msn.com, not %40).
    expect(signingString({ media_id: 'test@msn.com', goods_inf: '', sign: 'x' })).toBe('goods_inf=&media_id=test@msn.com');
  });

  it('builds the string as the sandbox does, whatever the fields', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (fields) => {
        expect(signingString(fields)).toBe(sandboxSigningString(fields));
      }),
      { numRuns: 300 },
    );
  });

  it('signs over UTF-8 (the Node SDK) or GBK (the Java SDK), as the sandbox verifies and node-forge agrees', () => {
    fc.assert(
      fc.property(fc.dictionary(name.filter((n) => !n.startsWith('sign')), value), fc.constantFrom('UTF-8', 'GBK'), (fields, charset) => {
        const signed = signRequest({ ...fields, charset: 'UTF-8' }, merchant.privateKey, { charset });
        expect(signed.sign_type).toBe('RSA');
        const text = sandboxSigningString(signed);
        const bytes = charset === 'GBK' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
        // The sandbox names the first charset that verifies: UTF-8 when the text is ASCII (the same bytes).
        const ascii = Buffer.from(text, 'utf8').equals(iconv.encode(text, 'gbk'));
        expect(verifyMerchantSign(text, signed.sign!, merchant.publicKey, 'UTF-8')).toBe(ascii ? 'UTF-8' : charset);
        expect(forgeVerifies(bytes, signed.sign!, merchant.publicKey)).toBe(true);
      }),
      { numRuns: 40 },
    );
    // By default the bytes of the request's own charset; a stale sign is replaced.
    const gbk = signRequest({ charset: 'GBK', goods_inf: '商品', sign: 'stale' }, merchant.privateKey);
    expect(forgeVerifies(iconv.encode('charset=GBK&goods_inf=商品', 'gbk'), gbk.sign!, merchant.publicKey)).toBe(true);
    expect(() => signRequest({ charset: 'GBK', goods_inf: '😀' }, merchant.privateKey)).toThrow(UnmappableCharacterError);
  });

  it('encrypts sensitive fields over GBK with the certificate, as the sandbox decrypts and node-forge reads', () => {
    const forgePrivate = forge.pki.privateKeyFromPem(platform.privateKey) as forge.pki.rsa.PrivateKey;
    for (const plain of ['6222021307418529630', '张三', '郑十', '110105199003071239']) {
      for (const key of [certificate, new X509Certificate(certificate).raw, platform.publicKey]) {
        const cipher = encryptField(plain, key);
        expect(Buffer.from(cipher, 'base64')).toHaveLength(128);
        expect(decryptField(cipher, platform.privateKey)).toBe(plain);
        expect(Buffer.from(forgePrivate.decrypt(forge.util.decode64(cipher), 'RSAES-PKCS1-V1_5'), 'binary').equals(iconv.encode(plain, 'gbk'))).toBe(true);
      }
    }
    fc.assert(
      fc.property(commonChinese.filter((text) => text.length <= 50), (plain) => {
        expect(decryptField(encryptField(plain, certificate), platform.privateKey)).toBe(plain);
      }),
      { numRuns: 30 },
    );
    // Bytes are encrypted as given: a merchant's own encoding.
    expect(decryptField(encryptField(Buffer.from('张三', 'utf8'), certificate), platform.privateKey)).toBe('张三');
    expect(() => encryptField('😀', certificate)).toThrow(UnmappableCharacterError);
    expect(() => encryptField('x'.repeat(118), certificate)).toThrow(RangeError);
  });

  it('builds a whole request as an SDK does: protocol fields, encrypted elements, sign', () => {
    const form = buildRequest('sms_req_shortcut', { trade_no: '3603011000000001', media_id: '13800138000', card_id: '6222021307418529630', card_holder: '张三' }, {
      merId: '60000100',
      merchantPrivateKey: merchant.privateKey,
      platformCertificate: certificate,
    });
    expect(form).toMatchObject({ service: 'sms_req_shortcut', charset: 'UTF-8', mer_id: '60000100', sign_type: 'RSA', res_format: 'HTML', version: '4.0', media_id: '13800138000' });
    expect(decryptField(form.card_id!, platform.privateKey)).toBe('6222021307418529630');
    expect(decryptField(form.card_holder!, platform.privateKey)).toBe('张三');
    expect(verifyMerchantSign(sandboxSigningString(form), form.sign!, merchant.publicKey, 'UTF-8')).toBe('UTF-8');
  });

  it('reads the META answers the sandbox writes, and their signature (random fields)', () => {
    fc.assert(
      fc.property(fc.dictionary(name.filter((n) => !n.startsWith('sign')), value), (fields) => {
        const html = metaPage(signFields({ ...fields, ret_code: '0000' }, platform.privateKey));
        const read = readMeta(html, certificate);
        expect(read.valid).toBe(true);
        expect(read.fields.ret_code).toBe('0000');
        expect(read.fields.sign_type).toBe('RSA');
        // Bytes in the answer's charset read the same.
        expect(readMeta(iconv.encode(html, 'gbk'), certificate, { charset: 'GBK' }).valid).toBe(true);
        expect(readMeta(Buffer.from(html, 'utf8'), certificate).valid).toBe(true);
        expect(readMeta(html.replace('ret_code=0000', 'ret_code=0001'), certificate).valid).toBe(false);
      }),
      { numRuns: 40 },
    );
    expect(readMeta('', certificate)).toEqual({ valid: false, fields: {} });
    const other = withCertificate(generateKeyPair({ bits: 1024 }), 'other');
    expect(readMeta(metaPage(signFields({ ret_code: '0000' }, platform.privateKey)), other.certificate!).valid).toBe(false);
  });

  it('writes the signed META reply the sandbox acknowledges, and node-forge verifies over GBK', () => {
    const order = { merchantId: '60000100', attributes: { family: 'umpay', orderId: 'DEMO0001', merDate: '20260301' } };
    const context = { payload: { order }, merchant: { publicKey: merchant.publicKey } as Merchant } as unknown as AckContext;
    const reply = (body: string, status = 200) => ({ status, body, bytes: Buffer.from(body, 'utf8'), headers: new Headers() });
    const notification = { service: 'pay_result_notify', mer_id: '60000100', order_id: 'DEMO0001', mer_date: '20260301', trade_state: 'TRADE_SUCCESS' };
    const ack = notificationAck(notification, merchant.privateKey);
    expect(ack).toMatch(/^<html><head><META NAME="MobilePayPlatform" CONTENT="mer_date=20260301&mer_id=60000100&order_id=DEMO0001&ret_code=0000&ret_msg=success&sign_type=RSA&version=4\.0&sign=[A-Za-z0-9+/=]+"><\/head>/);
    expect(isSignedAck(reply(ack), context, true)).toBe(true);
    expect(isSignedAck(reply(ack, 500), context, true)).toBe(false);
    const sign = /&sign=([^"]+)"/.exec(ack)![1]!;
    expect(forgeVerifies(iconv.encode('mer_date=20260301&mer_id=60000100&order_id=DEMO0001&ret_code=0000&ret_msg=success&version=4.0', 'gbk'), sign, merchant.publicKey)).toBe(true);
    // Chinese in GBK or UTF-8: the sandbox reads both.
    for (const charset of ['GBK', 'UTF-8']) {
      expect(isSignedAck(reply(metaReply({ mer_id: '60000100', ret_code: '0000', ret_msg: '成功', version: '4.0' }, merchant.privateKey, { charset })), context, true)).toBe(true);
    }
    // Another order, a failure code, another key: not acknowledged.
    expect(isSignedAck(reply(notificationAck({ ...notification, order_id: 'OTHER' }, merchant.privateKey)), context, true)).toBe(false);
    expect(isSignedAck(reply(metaReply({ mer_id: '60000100', ret_code: '1111' }, merchant.privateKey)), context, true)).toBe(false);
    expect(isSignedAck(reply(notificationAck(notification, platform.privateKey)), context, true)).toBe(false);
    expect(() => metaReply({ ret_msg: 'a&b' }, merchant.privateKey)).toThrow(/may not hold/);
  });

  it('verifies notifications as the sandbox sends them: a GET query in the order’s charset, notify_url’s own parameters signed', () => {
    fc.assert(
      fc.property(fc.dictionary(name.filter((n) => !n.startsWith('sign') && n !== 'charset' && n !== 'shop'), value), fc.constantFrom('UTF-8', 'GBK'), (trade, charset) => {
        const fields = { service: 'pay_result_notify', charset, version: '4.0', mer_id: '60000100', ...trade };
        const own = { shop: '1' };
        const sign = platformSign(sandboxSigningString({ ...own, ...fields }), platform.privateKey);
        const url = `http://127.0.0.1:9999/notify/umpay?shop=1&${encodeForm({ ...fields, sign_type: 'RSA', sign }, charset)}`;
        const read = verifyNotification(url, certificate);
        expect(read.valid).toBe(true);
        expect(read.fields).toMatchObject({ ...fields, shop: '1' });
        expect(verifyNotification(new URL(url), certificate).valid).toBe(true);
        expect(verifyNotification(url.replace('version=4.0', 'version=4.1'), certificate).valid).toBe(false);
      }),
      { numRuns: 40 },
    );
    expect(verifyNotification({ mer_id: '1', sign: 'AAAA' }, certificate).valid).toBe(false);
  });
});
