import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signBody as sandboxSignBody } from '../../simulators/mmsp/signature.js';
import { jsonEncode, negativeCode, signBody, signingString, signRequest, verifyBody, verifyNotification, verifyReply, type MmspReply } from './mmsp.js';

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
    const negative: MmspReply = { CommandID: 32768, RetCode: 0, ErrorMsg: '[-9999] 系统繁忙', Body: '', Sign: '' };
    expect(verifyReply(negative, KEY)).toBe(false);
    expect(negativeCode(negative)).toBe(-9999);

    const body = { AMT: 100, ORDERNO: '1', MERORDERID: 'A1', STATUS: '1' };
    const push = JSON.stringify({ CommandID: 2324, Body: body, Sign: signBody(body, KEY) });
    expect(verifyNotification(push, KEY)).toMatchObject({ valid: true, fields: { MERORDERID: 'A1', AMT: 100 } });
    expect(verifyNotification(Buffer.from(push), 'another-key').valid).toBe(false);
    expect(verifyNotification('not json', KEY).valid).toBe(false);
    // The AMT number signed as a string is another Sign (FAQ 3: 数字类型加了"").
    expect(verifyNotification({ CommandID: 2324, Body: { ...body, AMT: '100' }, Sign: signBody(body, KEY) }, KEY).valid).toBe(false);
  });
});
