import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import {
  form,
  ICASHIER_KEY,
  ICASHIER_MERCHANT,
  sealValid,
  signed,
  SINGLE_KEY,
  SINGLE_MERCHANT,
  submitBody,
  unseal,
  type Sealed,
} from './support/icashier.js';

const { sim, merchant } = useSandbox({ ack: '0000' });
let backurl: string;
/** An order of the default merchant, and one of the single-channel merchant, for the lookup cases. */
let own: { orderid: string; queryid: string };
let other: { orderid: string; queryid: string };

async function place(message: Record<string, unknown>, key: string) {
  const response = await fetch(`${sim.url}/icashier/api/icashier`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form(signed(message, key)),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return { orderid: String(message.orderid), queryid: response.headers.get('location')!.split('/').pop()! };
}

beforeAll(async () => {
  backurl = `${merchant.url}/back`;
  own = await place(submitBody(backurl), ICASHIER_KEY);
  other = await place(submitBody(backurl, { merid: SINGLE_MERCHANT }), SINGLE_KEY);
});

type Send = () => Promise<Response>;

/** Sends a bad request; asserts HTTP 200 with the resp + sign envelope and no state change. */
async function rejects(send: Send): Promise<Sealed> {
  const before = await sim.state();
  const response = await send();
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = (await response.json()) as { resp: string; sign: string };
  expect(Object.keys(body).sort()).toEqual(['resp', 'sign']);
  expect(await sim.state()).toBe(before);
  return unseal(body.resp, body.sign);
}

/** What a failed query still carries (§3.4.4 marks them not nullable): the order's, or the request's, or empty. */
const QUERY_FAILURE_FIELDS = ['merid', 'orderid', 'queryid', 'respcode', 'respmsg', 'txnamt'];

/**
 * The failure, signed with `key` — or, for a 前置性错误, with an empty sign (§2.2).
 * A submit's failure is respcode and respmsg; a query's adds queryid, txnamt, merid, orderid.
 */
function expectFailure(reply: Sealed, respcode: string, key: string | null = ICASHIER_KEY) {
  expect(reply.message.respcode).toBe(respcode);
  expect(typeof reply.message.respmsg).toBe('string');
  const keys = Object.keys(reply.message).sort();
  expect([['respcode', 'respmsg'], QUERY_FAILURE_FIELDS]).toContainEqual(keys);
  if (keys.length > 2) {
    for (const field of ['queryid', 'merid', 'orderid']) expect(typeof reply.message[field]).toBe('string');
    expect(reply.message.txnamt === null || typeof reply.message.txnamt === 'number').toBe(true);
  }
  if (key === null) expect(reply.sign).toBe('');
  else expect(sealValid(reply, key)).toBe(true);
  return reply.message.respmsg as string;
}

const postRaw = (path: string, body: string, contentType = 'application/x-www-form-urlencoded'): Send => () =>
  fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body, redirect: 'manual' });
const postParams = (path: string, params: Record<string, string>) => postRaw(path, form(params));
const submitPost = (message: Record<string, unknown>, key = ICASHIER_KEY) => postParams('/icashier/api/icashier', signed(message, key));
const submitGet = (params: Record<string, string>): Send => () =>
  fetch(`${sim.url}/icashier/apis/icashier?${form(params)}`, { redirect: 'manual' });
const query = (message: Record<string, unknown>, key = ICASHIER_KEY) => postParams('/icashier/api/query', signed(message, key));
/** req built from raw text instead of JSON. */
const rawReq = (text: string, key = ICASHIER_KEY) => {
  const req = Buffer.from(text, 'utf8').toString('base64');
  return { req, sign: signed({}, key).sign.replace(/./g, '0') };
};

const SUBMIT_PATHS = [
  ['POST api/icashier', (params: Record<string, string>) => postParams('/icashier/api/icashier', params)],
  ['GET apis/icashier', submitGet],
  ['POST api/query', (params: Record<string, string>) => postParams('/icashier/api/query', params)],
] as const;

describe('the envelope', () => {
  for (const [name, send] of SUBMIT_PATHS) {
    it(`${name}: a wrong sign answers 21, signed`, async () => {
      const message = name.includes('query') ? { merid: ICASHIER_MERCHANT, queryid: own.queryid } : submitBody(backurl);
      const { req } = signed(message);
      expectFailure(await rejects(send({ req, sign: '0'.repeat(32) })), '21');
      expectFailure(await rejects(send(signed(message, 'not-the-key'))), '21');
      expectFailure(await rejects(send({ req, sign: 'xyz' })), '21');
      // md5 over the URL-encoded req is not the document's rule (DMP-1).
      const { createHash } = await import('node:crypto');
      const overEncoded = createHash('md5').update(encodeURIComponent(`${req}=`) + ICASHIER_KEY).digest('hex');
      expectFailure(await rejects(send({ req, sign: overEncoded })), '21');
    });

    it(`${name}: malformed base64 answers 10 with an empty sign`, async () => {
      expect(expectFailure(await rejects(send({ req: 'not base64!!', sign: '0'.repeat(32) })), '10', null)).toContain('Base64');
      const { req, sign } = signed(submitBody(backurl));
      expectFailure(await rejects(send({ req: req.slice(0, -2), sign })), '10', null);
      expectFailure(await rejects(send({ req: `${req}====`, sign })), '10', null);
    });

    it(`${name}: malformed JSON answers 11 with an empty sign`, async () => {
      expectFailure(await rejects(send(rawReq('{"merid":"880000000000001",'))), '11', null);
      expectFailure(await rejects(send(rawReq('[1,2]'))), '11', null);
      expectFailure(await rejects(send(rawReq('"text"'))), '11', null);
    });

    it(`${name}: missing req answers 12 with an empty sign; missing sign answers 12, signed`, async () => {
      expect(expectFailure(await rejects(send({ sign: '0'.repeat(32) })), '12', null)).toContain('req');
      const message = name.includes('query') ? { merid: ICASHIER_MERCHANT, queryid: own.queryid } : submitBody(backurl);
      expect(expectFailure(await rejects(send({ req: signed(message).req })), '12')).toContain('sign');
    });

    it(`${name}: an unknown merid answers 20 with an empty sign (§2.2 前置性错误)`, async () => {
      const message = name.includes('query') ? { merid: '889999999999999', queryid: own.queryid } : submitBody(backurl, { merid: '889999999999999' });
      expect(expectFailure(await rejects(send(signed(message))), '20', null)).toContain('889999999999999');
    });
  }

  it('an unencoded + (a space after decoding) is named in the message', async () => {
    const message = submitBody(backurl, { note: '>>>' });
    const { req, sign } = signed(message);
    expect(req).toContain('+');
    const send: Send = () =>
      fetch(`${sim.url}/icashier/api/icashier`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `req=${req}&sign=${sign}`,
        redirect: 'manual',
      });
    expect(expectFailure(await rejects(send), '10', null)).toContain('%2B');
  });

  it('requests without a form body never answer HTTP 500', async () => {
    expectFailure(await rejects(postRaw('/icashier/api/icashier', '')), '12', null);
    expectFailure(await rejects(postRaw('/icashier/api/icashier', JSON.stringify(submitBody(backurl)), 'application/json')), '12', null);
    expectFailure(await rejects(postRaw('/icashier/api/query', '--x\r\nbroken', 'multipart/form-data; boundary=x')), '12', null);
    expectFailure(await rejects(submitGet({})), '12', null);
  });
});

describe('3.1 submit fields', () => {
  it('names each missing required field (12); merid missing is a pre-error with an empty sign', async () => {
    for (const field of ['action', 'txnamt', 'orderid', 'backurl']) {
      const message = submitBody(backurl);
      delete message[field];
      expect(expectFailure(await rejects(submitPost(message)), '12'), field).toContain(field);
    }
    const { merid: _merid, ...noMerid } = submitBody(backurl);
    expect(expectFailure(await rejects(submitPost(noMerid)), '12', null)).toContain('merid');
    expect(expectFailure(await rejects(submitPost(submitBody(backurl, { orderid: '' }))), '12')).toContain('orderid');
  });

  it('refuses an orderid of the wrong shape (13)', async () => {
    for (const orderid of ['ABCD123', 'A'.repeat(33), 'ORDER-0001', 'ORDER 0001', '订单号12345678', 12345678]) {
      expect(expectFailure(await rejects(submitPost(submitBody(backurl, { orderid }))), '13'), String(orderid)).toContain('orderid');
    }
  });

  it('refuses a txnamt that is not a positive whole number of fen (13)', async () => {
    for (const txnamt of [0, -1, 1.5, '100', null]) {
      const code = txnamt === null ? '12' : '13';
      expect(expectFailure(await rejects(submitPost(submitBody(backurl, { txnamt }))), code), String(txnamt)).toContain('txnamt');
    }
  });

  it('refuses an unknown action and URLs that are not http(s) (13)', async () => {
    expect(expectFailure(await rejects(submitPost(submitBody(backurl, { action: 'weixin' }))), '13')).toContain('action');
    expect(expectFailure(await rejects(submitPost(submitBody('ftp://m.example/back'))), '13')).toContain('backurl');
    expect(expectFailure(await rejects(submitPost(submitBody(backurl, { fronturl: 'javascript:alert(1)' }))), '13')).toContain('fronturl');
  });

  it('refuses half a bind-card request and a malformed ID number', async () => {
    expect(expectFailure(await rejects(submitPost(submitBody(backurl, { accname: '张三' }))), '12')).toContain('accno');
    expect(expectFailure(await rejects(submitPost(submitBody(backurl, { accno: '110101199003070011' }))), '12')).toContain('accname');
    expect(expectFailure(await rejects(submitPost(submitBody(backurl, { accname: '张三', accno: '6222020000000000' }))), '13')).toContain('accno');
  });

  it('a merid of the wrong type is a pre-error', async () => {
    expectFailure(await rejects(submitPost(submitBody(backurl, { merid: 880000000000001 }))), '13', null);
  });

  it('refuses a duplicate orderid (40) and leaves the first order as it was', async () => {
    const reply = await rejects(submitPost(submitBody(backurl, { orderid: own.orderid, txnamt: 999 })));
    expect(expectFailure(reply, '40')).toContain(own.orderid);
    // The same orderid is free for another merchant (unique per merchant).
    await place(submitBody(backurl, { merid: SINGLE_MERCHANT, orderid: own.orderid }), SINGLE_KEY);
  });
});

describe('3.1 permissions', () => {
  it('refuses an action the merchant has not enabled (30)', async () => {
    for (const action of ['Bank', 'AliPay']) {
      const reply = await rejects(submitPost(submitBody(backurl, { merid: SINGLE_MERCHANT, action }), SINGLE_KEY));
      expect(expectFailure(reply, '30', SINGLE_KEY)).toContain(action);
    }
  });

  it('refuses Arbi when fewer than two actions are enabled (30)', async () => {
    const reply = await rejects(submitPost(submitBody(backurl, { merid: SINGLE_MERCHANT, action: 'Arbi' }), SINGLE_KEY));
    expect(expectFailure(reply, '30', SINGLE_KEY)).toContain('Arbi');
  });

  it('refuses bind-card pay without the 鉴权 permission (31)', async () => {
    const message = submitBody(backurl, { merid: SINGLE_MERCHANT, accname: '张三', accno: '110101199003070011' });
    expectFailure(await rejects(submitPost(message, SINGLE_KEY)), '31', SINGLE_KEY);
  });
});

describe('3.4 query', () => {
  it('needs queryid or orderid (12)', async () => {
    expect(expectFailure(await rejects(query({ merid: ICASHIER_MERCHANT })), '12')).toContain('queryid');
    expectFailure(await rejects(query({ merid: ICASHIER_MERCHANT, queryid: '', orderid: '' })), '12');
  });

  it('unknown queryid or orderid: 41', async () => {
    expectFailure(await rejects(query({ merid: ICASHIER_MERCHANT, queryid: '99999999999999999999' })), '41');
    expectFailure(await rejects(query({ merid: ICASHIER_MERCHANT, orderid: 'NOSUCHORDER1' })), '41');
    // queryid wins: a good orderid does not rescue an unknown queryid.
    expectFailure(await rejects(query({ merid: ICASHIER_MERCHANT, queryid: '99999999999999999999', orderid: own.orderid })), '41');
  });

  it('another merchant’s order is not found (41)', async () => {
    expectFailure(await rejects(query({ merid: ICASHIER_MERCHANT, queryid: other.queryid })), '41');
    expectFailure(await rejects(query({ merid: SINGLE_MERCHANT, queryid: own.queryid }, SINGLE_KEY)), '41', SINGLE_KEY);
  });

  it('every failure carries queryid, txnamt, merid and orderid (§3.4.4): what the request named, else empty', async () => {
    expect((await rejects(query({ merid: ICASHIER_MERCHANT, orderid: 'NOSUCHORDER1' }))).message).toEqual({
      respcode: '41',
      respmsg: '订单不存在：NOSUCHORDER1',
      queryid: '',
      txnamt: null,
      merid: ICASHIER_MERCHANT,
      orderid: 'NOSUCHORDER1',
    });
    expect((await rejects(query({ merid: ICASHIER_MERCHANT, queryid: '99999999999999999999' }))).message).toMatchObject({
      queryid: '99999999999999999999',
      orderid: '',
      txnamt: null,
    });
    const unreadable = await rejects(postParams('/icashier/api/query', { req: 'not base64!!', sign: '0'.repeat(32) }));
    expect(unreadable.message).toMatchObject({ respcode: '10', queryid: '', txnamt: null, merid: '', orderid: '' });
  });

  it('a malformed orderid or queryid (13)', async () => {
    expectFailure(await rejects(query({ merid: ICASHIER_MERCHANT, orderid: 'bad-id' })), '13');
    expectFailure(await rejects(query({ merid: ICASHIER_MERCHANT, queryid: 12345 })), '13');
  });

  it('explains a wrong sign in the journal', async () => {
    const { req } = signed({ merid: ICASHIER_MERCHANT, queryid: own.queryid });
    await rejects(postParams('/icashier/api/query', { req, sign: 'f'.repeat(32) }));
    const [entry] = await sim.get('/_sim/requests?provider=icashier&limit=1');
    expect(entry.note).toContain('respcode 21');
    expect(entry.note).toContain(signed({ merid: ICASHIER_MERCHANT, queryid: own.queryid }).sign);
  });
});
