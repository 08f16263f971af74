/**
 * The bench's baseline: a bare Hono server doing what the sandbox does on each
 * benchmarked path — parse the wire format, verify the signature, build and
 * sign an answer (or the redirect to a hosted page, for the cashier and
 * Allinpay) — with no state, no journal, no scenarios. The sandbox's
 * figures are printed as ratios against it, measured in the same run.
 *
 * Started by bench/run.ts as `node --import tsx bench/baseline.ts` with
 * PORT and BASELINE_KEYS (a JSON file of the keys to verify and sign with).
 *
 * `POST /stored/mmsp/api` is the 2306 creation again, writing what the sandbox writes for one through the sandbox's
 * own store (BASELINE_STORE, a file): the record, its creation event and expiry job, the journal row, group-committed
 * and answered after the commit; and the 2310 query, reading the record by its number and writing the journal row.
 * Between them and the sandbox is what the sandbox's request layers cost.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { parseForm } from '../src/core/codec/charset.js';
import { phpJsonEncode } from '../src/core/codec/php-json.js';
import { requestSign } from '../src/simulators/aggpay/signature.js';
import { PAY_DATA_SIGNED } from '../src/simulators/allinpay/fields.js';
import { charsetOf } from '../src/simulators/allinpay/request.js';
import { verifyMd5 } from '../src/simulators/allinpay/signature.js';
import { decodeMessage, seal, verifySign } from '../src/simulators/icashier/envelope.js';
import { decryptSegmented, encryptSegmented, signSha1, verifySha1 } from '../src/simulators/mmsp/payout/crypto.js';
import { signBody, verifyBody } from '../src/simulators/mmsp/signature.js';
import { Store } from '../src/core/store/index.js';
import { metaPage, signFields } from '../src/simulators/umpay/meta.js';
import { signingString as umpaySigningString, verifyBytes } from '../src/simulators/umpay/signature.js';

export interface BaselineKeys {
  mmspKey: string;
  aggSecret: string;
  cashierKey: string;
  allinpayKey: string;
  umpayMerchantPublic: string;
  umpayPlatformPrivate: string;
  payoutMerchantPublic: string;
  payoutPlatformPrivate: string;
}

const keys = JSON.parse(readFileSync(process.env.BASELINE_KEYS!, 'utf8')) as BaselineKeys;
const app = new Hono();
app.get('/health', (c) => c.text('ok'));

app.post('/mmsp/api', async (c) => {
  const envelope = JSON.parse(await c.req.text()) as Record<string, any>;
  if (!verifyBody(envelope.Body, keys.mmspKey, envelope.Sign)) return c.json({ CommandID: 32768, RetCode: 0, ErrorMsg: '[-1005]', Body: '', Sign: '' });
  const { MERORDERID, AMT, CARDNO } = envelope.Body;
  const body =
    envelope.CommandID === 2306
      ? { ORDERNO: '202603010000000001', TRADETYPE: '1', TRADETIME: '2026-03-01 10:00:00', MERORDERID, URL: 'http://127.0.0.1/pay/mmsp/202603010000000001', STATUS: '1' }
      : envelope.CommandID === 771
        ? { STATUS: '0', LIST_ID: '100000000001', MERORDERID, PAY_DATE: '', NOTIFY_DATE: '', AMT, BANK_NAME: '中国工商银行', CARDNO }
        : { ORDERNO: '202603010000000001', AMT: '100', TRADETIME: '2026-03-01 10:00:00', PAYTIME: '', MERORDERID, TRADETYPE: '1', STATUS: '3', ERR_CODE: 'AA', ERR_CODE_MSG: '用户支付中' };
  const { SeqID, NodeType, NodeID, Version, AGENTNO, MERNO, TERMNO } = envelope;
  return c.json({ CommandID: envelope.CommandID + 0x8000, SeqID, NodeType, NodeID, Version, AGENTNO, MERNO, TERMNO, RetCode: 1, ErrorMsg: '', Body: body, Sign: signBody(body, keys.mmspKey) });
});

/** The journal row the sandbox writes for every request. */
function journal(at: number, raw: string, answer: string, contentType: string | undefined, merchantId: string, orderNo: string, operation: string): void {
  store.journal.append({
    at, provider: 'mmsp', method: 'POST', path: '/mmsp/api', requestHeaders: { 'content-type': contentType ?? '' }, requestBody: raw, requestCharset: null,
    responseStatus: 200, responseBody: answer, responseCharset: 'utf-8', durationMs: 0, merchantId, orderNo, operation, note: null,
  });
}

const store = new Store({ file: process.env.BASELINE_STORE!, groupCommit: true, journalCap: 5000 });
let platformNumber = 0;
app.post('/stored/mmsp/api', async (c) => {
  const raw = await c.req.text();
  const envelope = JSON.parse(raw) as Record<string, any>;
  if (!verifyBody(envelope.Body, keys.mmspKey, envelope.Sign)) return c.json({ CommandID: 32768, RetCode: 0, ErrorMsg: '[-1005]', Body: '', Sign: '' });
  const now = Date.now();
  const { SeqID, NodeType, NodeID, Version, AGENTNO, MERNO, TERMNO } = envelope;
  const since = store.batchMark();
  if (envelope.CommandID === 2310) {
    // The query: the record read by its number, the answer built from it, the journal row committed with the turn's.
    const found = store.records.findByNumber('mmsp', 'order', MERNO, envelope.Body.MERORDERID);
    const body = found
      ? { ORDERNO: found.platformNumber, AMT: String(found.amount), TRADETIME: '2026-03-01 10:00:00', PAYTIME: '', MERORDERID: found.number, TRADETYPE: '1', STATUS: '3', ERR_CODE: 'AA', ERR_CODE_MSG: '用户支付中' }
      : { MERORDERID: envelope.Body.MERORDERID, STATUS: '0', ERR_CODE: 'D5', ERR_CODE_MSG: '订单不存在' };
    const answer = JSON.stringify({ CommandID: envelope.CommandID + 0x8000, SeqID, NodeType, NodeID, Version, AGENTNO, MERNO, TERMNO, RetCode: 1, ErrorMsg: '', Body: body, Sign: signBody(body, keys.mmspKey) });
    journal(now, raw, answer, c.req.header('content-type'), MERNO, envelope.Body.MERORDERID, '2310');
    await store.durable(since);
    return c.body(answer, 200, { 'content-type': 'application/json' });
  }
  const number = `20260301${String(++platformNumber).padStart(10, '0')}`;
  const record = store.tx(() => {
    const created = store.records.insert({
      provider: 'mmsp', kind: 'order', merchantId: MERNO, number: envelope.Body.MERORDERID, platformNumber: number, parentId: null, product: 'wechat.qr',
      state: 'created', amount: Number(envelope.Body.AMT), currency: 'CNY', notifyUrl: envelope.Body.NOTIFY_URL, returnUrl: null,
      attributes: { family: 'scan', wallet: 'wechat', mode: 'prepay', goodsName: envelope.Body.GOODSNAME, terminalId: TERMNO, agentNo: AGENTNO, signerId: MERNO, tradeType: '1' },
      scenarioId: null, scenarioState: {}, createdAt: now, expiresAt: now + 300_000,
    });
    store.records.recordEvent(created.id, now, null, 'created', '2306');
    store.jobs.schedule({ dueAt: now + 300_000, kind: 'record.expire', recordId: created.id, payload: {} }, now);
    return created;
  });
  const body = { ORDERNO: record.platformNumber, TRADETYPE: '1', TRADETIME: '2026-03-01 10:00:00', MERORDERID: record.number, URL: `http://127.0.0.1/pay/mmsp/${record.platformNumber}`, STATUS: '1' };
  const answer = JSON.stringify({ CommandID: envelope.CommandID + 0x8000, SeqID, NodeType, NodeID, Version, AGENTNO, MERNO, TERMNO, RetCode: 1, ErrorMsg: '', Body: body, Sign: signBody(body, keys.mmspKey) });
  journal(now, raw, answer, c.req.header('content-type'), MERNO, record.number, '2306');
  await store.durable(since);
  return c.body(answer, 200, { 'content-type': 'application/json' });
});

app.post('/aggpay/api/order/unified', async (c) => {
  const params = parseForm(new Uint8Array(await c.req.arrayBuffer()));
  const { sign, ...rest } = params;
  if (sign !== requestSign(rest, keys.aggSecret)) return c.body(phpJsonEncode({ status: '0', message: '签名错误', data: {} }), 200, { 'content-type': 'application/json' });
  return c.body(
    phpJsonEncode({ status: '1', message: '下单成功', data: { order_no: params.order_no, platform_order_no: 'A202603011000000000000001', pay_status: -1, amount: '100.00', redirect_url: 'http://127.0.0.1/pay/aggpay/A2026' } }),
    200,
    { 'content-type': 'application/json; charset=utf-8' },
  );
});

app.post('/icashier/api/icashier', async (c) => {
  const { req = '', sign = '' } = parseForm(new Uint8Array(await c.req.arrayBuffer()));
  const message = decodeMessage(req);
  if (!verifySign(req, keys.cashierKey, sign)) return c.json(seal({ respcode: '10', respmsg: '签名错误' }, keys.cashierKey));
  return c.redirect(`http://127.0.0.1/pay/icashier/C${String(message.orderid)}`, 303);
});

app.post('/allinpay/mobile/pay', async (c) => {
  const payData = JSON.parse(await c.req.text()) as Record<string, string>;
  const check = verifyMd5(payData, PAY_DATA_SIGNED, keys.allinpayKey, payData.signMsg ?? '', charsetOf(payData.inputCharset));
  if (!check.ok) return c.html('<p>ZF10001 签名错误</p>');
  return c.redirect(`http://127.0.0.1/allinpay/mobile/pay/P${payData.orderNo}`, 303);
});

app.post('/umpay/spay/pay/payservice.do', async (c) => {
  const fields = parseForm(new Uint8Array(await c.req.arrayBuffer()), 'UTF-8');
  const ok = verifyBytes(Buffer.from(umpaySigningString(fields), 'utf8'), fields.sign ?? '', keys.umpayMerchantPublic);
  const answer = { mer_id: fields.mer_id ?? '', order_id: fields.order_id ?? '', mer_date: fields.mer_date ?? '', trade_state: 'WAIT_BUYER_PAY', ret_code: ok ? '0000' : '00990001', ret_msg: ok ? '操作成功' : '验证签名失败', version: '4.0' };
  return c.body(metaPage(signFields(answer, keys.umpayPlatformPrivate)), 200, { 'content-type': 'text/html;charset=UTF-8' });
});

app.post('/mmsp/payout', async (c) => {
  const { ENCRYPT, SIGN } = (await c.req.json()) as { ENCRYPT: string; SIGN: string };
  const plaintext = decryptSegmented(ENCRYPT, keys.payoutPlatformPrivate);
  if (!verifySha1(plaintext, SIGN, keys.payoutMerchantPublic)) return c.json({ RETCODE: '1006', RETMSG: '签名错误' });
  const request = JSON.parse(plaintext.toString('utf8')) as Record<string, string>;
  // The answer 5.3 documents, as long as the sandbox's (the encryption costs a block per 117 bytes), values fixed.
  const reply = JSON.stringify({
    RETCODE: '0000', RETMMSG: '交易成功', RETMSG: '交易成功', MERNO: request.MERNO, ORDERNO: request.ORDERNO, RSPTIME: '20260301100000',
    ACCINFO: [{
      ACCSTATUS: '1', BALANCE: '0', BALANCEPAY: '10000000', ADVANCEPAY: '2000000', FREEZEBAL: '0', ISCHARGE: '2', MERTYPE: '2', CHLNO: 'MMSPSIM01',
      CHLMERNO: request.MERNO, LIMIT_DOWN: '1', LIMIT_TOP: '5000000', BEGIN_AT: '000000', END_AT: '235959', HOLIDAYTYPE: '3', SETTLE_AT: '16', SETTLE_TYPE: '1',
    }],
  });
  return c.json({ ENCRYPT: encryptSegmented(reply, keys.payoutMerchantPublic), SIGN: signSha1(reply, keys.payoutPlatformPrivate) });
});

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => console.log('baseline ready'));
