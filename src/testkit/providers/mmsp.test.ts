import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import type { Merchant } from '../../core/domain.js';
import type { EncodeContext } from '../../core/simulator.js';
import { decryptSegmented, encryptSegmented, signSha1, verifySha1 } from '../../simulators/mmsp/payout/crypto.js';
import { sealReply } from '../../simulators/mmsp/payout/envelope.js';
import { scanPushChannel } from '../../simulators/mmsp/notify.js';
import { notificationEnvelope, startsWithSuccess } from '../../simulators/mmsp/quick/notify.js';
import { signBody as sandboxSignBody } from '../../simulators/mmsp/signature.js';
import {
  buildPayoutEnvelope,
  FRONT_FIELDS,
  gatewayForm,
  isAcknowledged,
  jsonEncode,
  negativeCode,
  openPayoutReply,
  PAYMENT_NOTIFY_COMMAND,
  signBody,
  signingString,
  signRequest,
  verifyBody,
  verifyFrontNotification,
  verifyNotification,
  verifyPaymentNotification,
  verifyReply,
  type MmspReply,
} from './mmsp.js';

const KEY = 'ea21842eea24e448b991b1cb0a0294cf';

describe('testkit mmsp helpers', () => {
  // None of the document's own MMSP sign examples reproduces (PROVIDERS.md §6 E8–E13: truncated, malformed or
  // placeholders), so these are the checklist's generated vector (§2.3) and the reference's worked example.
  it('reproduces the PROVIDERS.md §2.3 check vector, and not its unescaped-slash variant', () => {
    const body = {
      MERORDERID: '20170926151023152438', AMT: '1234', CARDNO: '6227000013830237349', CARDTYPE: '1', CVN2: '344',
      EXPDATE: '0117', ID_NO: '23210219820916601X', NAME: '张安', NOTIFY_URL: 'http://ib.fxclouds.com/Notify/MerPay_notify_url',
      PHONENO: '18826570890', RANDSTR: '123456',
    };
    expect(signBody(body, KEY)).toBe('659AADFFBA712142982F3E071EA9AA18');
    expect(verifyBody(body, KEY, '4B16D704E13E5E30DDD734C4E4BD86BF')).toBe(false);
    expect(verifyBody(body, KEY, '659aadffba712142982f3e071ea9aa18')).toBe(true);
  });

  it('reproduces the worked example of docs/providers/mmsp.md', () => {
    const body = { TRADETYPE: '1', AMT: '100', MERORDERID: 'DEMO0001', RANDSTR: 'a1b2c3', GOODSNAME: '测试商品', NOTIFY_URL: 'http://127.0.0.1:9999/notify' };
    expect(signingString(body, KEY)).toBe(
      '{"AMT":"100","GOODSNAME":"测试商品","MERORDERID":"DEMO0001","NOTIFY_URL":"http:\\/\\/127.0.0.1:9999\\/notify","RANDSTR":"a1b2c3","TRADETYPE":"1"}&key=' + KEY,
    );
    expect(signBody(body, KEY)).toBe('4524B9F3611FFA34ECD7C60F7FF44596');
  });

  it('encodes as PHP json_encode with JSON_UNESCAPED_UNICODE does', () => {
    expect(jsonEncode({ a: 'x/y"\\', b: 1, c: '中\u2028', d: '\u0001\n', e: null, f: [true, 'é'] })).toBe(
      '{"a":"x\\/y\\"\\\\","b":1,"c":"中\\u2028","d":"\\u0001\\n","e":null,"f":[true,"é"]}',
    );
  });

  it('signs a key named __proto__ like any other, as a JSON request carries it', () => {
    const body = JSON.parse('{"__proto__":"x","AMT":"1"}') as Record<string, unknown>;
    expect(signingString(body, 'k')).toBe('{"AMT":"1","__proto__":"x"}&key=k');
    expect(signBody(body, KEY)).toBe(sandboxSignBody(body, KEY));
  });

  it('signs exactly as the sandbox does, whatever the values (an independent implementation)', () => {
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), value), (body) => {
        expect(signBody(body, KEY)).toBe(sandboxSignBody(body, KEY));
      }),
      { numRuns: 300 },
    );
  });

  it('builds an envelope and reads replies and pushes', () => {
    const request = signRequest(2310, { MERORDERID: 'A1', RANDSTR: 'r' }, { merchantId: 'M', terminalId: 'T', key: KEY });
    expect(request).toMatchObject({ CommandID: 2310, MERNO: 'M', TERMNO: 'T', AGENTNO: '', NodeID: 'openplat' });
    expect(verifyBody(request.Body, KEY, request.Sign)).toBe(true);

    const reply: MmspReply = { CommandID: 35078, RetCode: 1, ErrorMsg: '', Body: { STATUS: '1' }, Sign: signBody({ STATUS: '1' }, KEY) };
    expect(verifyReply(reply, KEY)).toBe(true);
    expect(verifyReply({ ...reply, Body: { STATUS: '2' } }, KEY)).toBe(false);
    expect(negativeCode(reply)).toBeNull();
    const negative: MmspReply = { CommandID: 32768, RetCode: 0, ErrorMsg: '[-2002] 没有该订单', Body: '', Sign: '' };
    expect(verifyReply(negative, KEY)).toBe(false);
    expect(negativeCode(negative)).toBe(-2002);

    const body = { AMT: 100, ORDERNO: '1', MERORDERID: 'A1', STATUS: '1' };
    const push = JSON.stringify({ CommandID: 2324, Body: body, Sign: signBody(body, KEY) });
    expect(verifyNotification(push, KEY)).toMatchObject({ valid: true, fields: { MERORDERID: 'A1', AMT: 100 } });
    expect(verifyNotification(Buffer.from(push), 'another-key').valid).toBe(false);
    expect(verifyNotification('not json', KEY).valid).toBe(false);
    // The AMT number signed as a string is another Sign (FAQ 3: 数字类型加了"").
    expect(verifyNotification({ CommandID: 2324, Body: { ...body, AMT: '100' }, Sign: signBody(body, KEY) }, KEY).valid).toBe(false);
  });
});

describe('testkit mmsp helpers: quick pay and the gateway', () => {
  const context = (key: string, attemptNo = 1) => ({ merchant: { md5Key: key } as Merchant, platformKeys: null, attemptNo, now: 0 }) as unknown as EncodeContext;
  const header = { merchantId: '001440353999853', terminalId: '84970001', agentNo: '' };

  it('verifies the 35104 notification the sandbox builds, and nothing else (random Bodies)', () => {
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.integer());
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), value, { minKeys: 1 }), fc.integer({ min: 1, max: 8 }), (body, attempt) => {
        const raw = notificationEnvelope(body, header, context(KEY, attempt));
        const read = verifyPaymentNotification(raw, KEY);
        expect(read.valid).toBe(true);
        expect(read.envelope?.CommandID).toBe(PAYMENT_NOTIFY_COMMAND);
        expect(verifyPaymentNotification(raw, `${KEY}x`).valid).toBe(false);
        // Not a scan push: 2324's verifier refuses it, and the other way round.
        expect(verifyNotification(raw, KEY).valid).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the quick-pay notification of the document (快捷 §5.5.2) signed with the test key', () => {
    const body = { STATUS: '1', LIST_ID: '100000001467', MERORDERID: '123', PAY_DATE: '20171122090622', NOTIFY_DATE: '20171122090622', AMT: '1234', PUSH_COUNT: 1 };
    const raw = JSON.stringify({ CommandID: 35104, SeqID: 1, NodeType: 3, NodeID: 'openplat', Version: '1.0.0', RetCode: 1, ErrorMsg: '', Body: body, Sign: signBody(body, KEY) });
    expect(verifyPaymentNotification(raw, KEY)).toMatchObject({ valid: true, fields: { MERORDERID: '123', AMT: '1234', PUSH_COUNT: 1 } });
    // PUSH_COUNT is an int: signed as "1" it is another Sign.
    expect(verifyPaymentNotification({ ...JSON.parse(raw), Body: { ...body, PUSH_COUNT: '1' } }, KEY).valid).toBe(false);
    expect(verifyPaymentNotification('{', KEY).valid).toBe(false);
  });

  it('judges acknowledgements as the sandbox does: scan exactly SUCCESS, quick pay and gateway any SUCCESS… in any case', () => {
    const reply = (body: string) => ({ status: 200, body, bytes: Buffer.from(body), headers: new Headers() });
    for (const body of ['SUCCESS', ' SUCCESS\n', 'success', 'Success: ok', '\uFEFFSUCCESS', 'SUCCES', 'FAIL SUCCESS', '']) {
      expect(isAcknowledged(body, 'payment'), body).toBe(startsWithSuccess(reply(body)));
      expect(isAcknowledged(body, 'scan'), body).toBe(scanPushChannel.isAck(reply(body), undefined as never));
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((tail) => `success${tail}`), fc.string().map((tail) => ` SUCCESS${tail}`)), (body) => {
        expect(isAcknowledged(body, 'payment')).toBe(startsWithSuccess(reply(body)));
        expect(isAcknowledged(body, 'scan')).toBe(scanPushChannel.isAck(reply(body), undefined as never));
      }),
      { numRuns: 300 },
    );
  });

  it('verifies the gateway front notification over its result fields, JUMP_URL’s own parameters unsigned', () => {
    const result = fc.record(
      { STATUS: fc.constantFrom('0', '1', '2'), LIST_ID: fc.stringMatching(/^\d{12}$/), MERORDERID: fc.string({ minLength: 1 }), AMT: fc.stringMatching(/^[1-9]\d{0,5}$/), GOODSNAME: fc.string(), REMARK: fc.string(), PAY_CHANNEL: fc.constant('YLBILL-NET-B2C'), PAY_DATE: fc.constant('20260301100000'), NOTIFY_DATE: fc.constant('20260301100000') },
      { requiredKeys: ['STATUS', 'LIST_ID', 'MERORDERID', 'AMT', 'PAY_CHANNEL', 'PAY_DATE', 'NOTIFY_DATE'] },
    );
    fc.assert(
      fc.property(result, (fields) => {
        // As the hosted page redirects: JUMP_URL with the fields and Sign set on its query.
        const target = new URL('http://127.0.0.1:9999/return?shop=1&STATUS=stale');
        for (const [name, value] of Object.entries({ ...fields, Sign: sandboxSignBody(fields, KEY) })) target.searchParams.set(name, value as string);
        expect(verifyFrontNotification(target.toString(), KEY)).toMatchObject({ valid: true, fields: { MERORDERID: fields.MERORDERID, shop: '1' } });
        expect(verifyFrontNotification(target, KEY).valid).toBe(true);
        target.searchParams.set('AMT', '999999999');
        expect(verifyFrontNotification(target, KEY).valid).toBe(false);
      }),
      { numRuns: 200 },
    );
    expect(FRONT_FIELDS).toContain('ERRCODE');
  });

  it('builds the gateway web_api form: the 2322 envelope with NodeID openapi', () => {
    const form = gatewayForm({ MERORDERID: 'G1', AMT: '666', PAY_CHANNEL: 'YLBILL-NET-B2C' }, { merchantId: 'M', terminalId: 'T', key: KEY });
    const envelope = JSON.parse(form.web_api);
    expect(envelope).toMatchObject({ CommandID: 2322, NodeID: 'openapi', MERNO: 'M', TERMNO: 'T' });
    expect(envelope.Sign).toBe(sandboxSignBody(envelope.Body, KEY));
  });
});

describe('testkit mmsp helpers: the payout envelope', () => {
  const pem = () => generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const platform = pem();
  const merchant = pem();
  const keys = { merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey };
  /** Multi-byte characters straddle the 117-byte blocks. */
  const LONG = { CMDID: '4097', VERSION: '1.0', MERNO: '001440353999853', ORDERNO: '2017122510300000000000003', ACCNAME: '张三', MEMO: '代付测试'.repeat(12), BANKNAME: '中国工商银行' };

  it('builds what the sandbox opens: its decryption and its SHA1withRSA check (random plaintexts)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (plaintext) => {
        const envelope = buildPayoutEnvelope(plaintext, keys);
        const bytes = decryptSegmented(envelope.ENCRYPT, platform.privateKey);
        expect(bytes.toString('utf8')).toBe(JSON.stringify(plaintext));
        expect(verifySha1(bytes, envelope.SIGN, merchant.publicKey)).toBe(true);
      }),
      { numRuns: 60 },
    );
    const envelope = buildPayoutEnvelope(JSON.stringify(LONG, null, 1), keys);
    expect(Buffer.from(envelope.ENCRYPT, 'base64').length % 128).toBe(0);
    expect(Buffer.from(envelope.ENCRYPT, 'base64').length).toBeGreaterThan(128 * 2);
    // A string is sent and signed byte for byte: the spacing is the merchant's.
    expect(decryptSegmented(envelope.ENCRYPT, platform.privateKey).toString('utf8')).toBe(JSON.stringify(LONG, null, 1));
  });

  it('opens what the sandbox seals (random answers), and says when SIGN does not hold', () => {
    const sandboxMerchant = { publicKey: merchant.publicKey } as Merchant;
    const platformPair = { publicKey: platform.publicKey, privateKey: platform.privateKey, certificate: null };
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (answer) => {
        const { body, text } = sealReply(answer, sandboxMerchant, platformPair);
        expect(openPayoutReply(JSON.stringify(body), keys)).toEqual({ valid: true, fields: answer, encrypted: true, text });
      }),
      { numRuns: 60 },
    );
    const sealed = sealReply({ RETCODE: '0000', PAYSTATE: '2' }, sandboxMerchant, platformPair).body;
    const forged = { ...sealed, SIGN: signSha1('{"RETCODE":"0000","PAYSTATE":"2"}', merchant.privateKey) };
    expect(openPayoutReply(forged, keys)).toMatchObject({ valid: false, encrypted: true, fields: { PAYSTATE: '2' } });
    // With line breaks in the Base64, as Java's MIME encoder writes it.
    const wrapped = { ...sealed, ENCRYPT: sealed.ENCRYPT.replace(/(.{76})/g, '$1\r\n') };
    expect(openPayoutReply(wrapped, keys).valid).toBe(true);
  });

  it('agrees with node-forge, an implementation apart from node:crypto, both ways', () => {
    const forgePlatform = forge.pki.privateKeyFromPem(platform.privateKey) as forge.pki.rsa.PrivateKey;
    const envelope = buildPayoutEnvelope(LONG, keys);
    const cipher = forge.util.decode64(envelope.ENCRYPT);
    let plain = '';
    for (let i = 0; i < cipher.length; i += 128) plain += forgePlatform.decrypt(cipher.slice(i, i + 128), 'RSAES-PKCS1-V1_5');
    expect(forge.util.decodeUtf8(plain)).toBe(JSON.stringify(LONG));
    const md = forge.md.sha1.create();
    md.update(plain);
    const forgeMerchantPublic = forge.pki.publicKeyFromPem(merchant.publicKey) as forge.pki.rsa.PublicKey;
    expect(forgeMerchantPublic.verify(md.digest().bytes(), forge.util.decode64(envelope.SIGN))).toBe(true);

    // An answer sealed by node-forge: the merchant's public key encrypts, the platform's private key signs.
    const answer = forge.util.encodeUtf8(JSON.stringify({ RETCODE: '0000', RETMSG: '交易成功', PAYSTATE: '1', DESC: '付款成功'.repeat(10) }));
    let sealed = '';
    for (let i = 0; i < answer.length; i += 117) sealed += forgeMerchantPublic.encrypt(answer.slice(i, i + 117), 'RSAES-PKCS1-V1_5');
    const answerMd = forge.md.sha1.create();
    answerMd.update(answer);
    const reply = { ENCRYPT: forge.util.encode64(sealed), SIGN: forge.util.encode64(forgePlatform.sign(answerMd)) };
    expect(openPayoutReply(reply, keys)).toMatchObject({ valid: true, fields: { RETMSG: '交易成功', PAYSTATE: '1' } });
  });

  it('reads the plaintext refusal form, and refuses what is not an answer', () => {
    expect(openPayoutReply('{"RETCODE":"1006","RETMSG":"签名错误"}', keys)).toEqual({ valid: false, encrypted: false, text: null, fields: { RETCODE: '1006', RETMSG: '签名错误' } });
    expect(openPayoutReply('not json', keys)).toMatchObject({ valid: false, encrypted: false });
    expect(openPayoutReply({ ENCRYPT: 'not base64!', SIGN: '' }, keys)).toMatchObject({ valid: false, encrypted: true, text: null });
    // Made for another key: not PKCS#1 v1.5 once decrypted.
    const other = pem();
    expect(openPayoutReply({ ENCRYPT: encryptSegmented('{"RETCODE":"0000"}', other.publicKey), SIGN: '' }, keys)).toMatchObject({ valid: false, encrypted: true, text: null });
    // Node 20 refuses PKCS#1 v1.5 in privateDecrypt: the helper does not use it, so this works on every Node 20.
    expect(openPayoutReply({ ENCRYPT: encryptSegmented('{"RETCODE":"0000"}', merchant.publicKey), SIGN: signSha1('{"RETCODE":"0000"}', platform.privateKey) }, keys).valid).toBe(true);
  });
});
