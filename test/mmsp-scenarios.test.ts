import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { envelope, micropayBody, mmspClient, prepayBody, replySignatureValid } from './support/mmsp.js';
import { cstDateTime } from '../src/core/time-format.js';

const { sim, merchant } = useSandbox({ resetEach: true });
let client: ReturnType<typeof mmspClient>;
let notifyUrl: string;

beforeAll(() => {
  client = mmspClient(sim.url);
  notifyUrl = `${merchant.url}/notify`;
});

const query = (orderNo: string) => client.send(2310, { MERORDERID: orderNo, RANDSTR: 'q' });
const stateOf = async (orderNo: string) => (await sim.get(`/_sim/orders?provider=mmsp&orderNo=${orderNo}`))[0].state;

describe('magic amounts', () => {
  it('2001: a micropay answers STATUS 3/AA, stays AA for 60 s, then is paid and pushed', async () => {
    const request = micropayBody(notifyUrl, { AMT: '2001' });
    const reply = await client.send(2307, request);
    expect(reply.Body).toMatchObject({ STATUS: '3', ERR_CODE: 'AA', ERR_CODE_MSG: '用户支付中' });
    expect(replySignatureValid(reply)).toBe(true);

    await sim.advance(59);
    expect((await query(request.MERORDERID)).Body).toMatchObject({ STATUS: '3', ERR_CODE: 'AA' });
    expect(merchant.received).toHaveLength(0);

    await sim.advance(1);
    expect((await query(request.MERORDERID)).Body).toMatchObject({ STATUS: '1', PAYTIME: '2026-03-01 10:01:00' });
    expect(merchant.received).toHaveLength(1);
    expect(JSON.parse(merchant.received[0]!.body).Body.MERORDERID).toBe(request.MERORDERID);
  });

  it('2001: a QR order is placed normally, queries AA, and becomes paid and pushed after 60 s', async () => {
    const request = prepayBody(notifyUrl, { AMT: '2001' });
    expect((await client.send(2306, request)).Body.STATUS).toBe('1');
    expect(await stateOf(request.MERORDERID)).toBe('pending');
    await sim.advance(60);
    expect(await stateOf(request.MERORDERID)).toBe('paid');
    expect(merchant.received).toHaveLength(1);
  });

  it('2002: AA until TIME_END, then closed (D4), never pushed', async () => {
    const now = Date.parse((await sim.get('/_sim/health')).now);
    const request = micropayBody(notifyUrl, { AMT: '2002', TIME_END: cstDateTime(now + 600_000) });
    expect((await client.send(2309, request)).Body).toMatchObject({ STATUS: '3', ERR_CODE: 'AA' });
    await sim.advance(599);
    expect((await query(request.MERORDERID)).Body).toMatchObject({ STATUS: '3', ERR_CODE: 'AA' });
    await sim.advance(1);
    expect((await query(request.MERORDERID)).Body).toMatchObject({ STATUS: '2', ERR_CODE: 'D4', ERR_CODE_MSG: '订单已关闭' });
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(0);
  });

  it('an unpaid order closes after the default five minutes', async () => {
    const request = prepayBody(notifyUrl);
    await client.send(2306, request);
    await sim.advance(299);
    expect(await stateOf(request.MERORDERID)).toBe('created');
    await sim.advance(1);
    expect((await query(request.MERORDERID)).Body).toMatchObject({ STATUS: '2', ERR_CODE: 'D4' });
  });

  it('2003: a micropay fails at once with STATUS 2 and the failure code; a QR order fails when the payer pays', async () => {
    const micropay = micropayBody(notifyUrl, { AMT: '2003' });
    expect((await client.send(2307, micropay)).Body).toMatchObject({ STATUS: '2', ERR_CODE: '51' });
    const qr = prepayBody(notifyUrl, { AMT: '2003' });
    const reply = await client.send(2306, qr);
    expect(reply.Body).toMatchObject({ STATUS: '1' });
    expect(reply.Body.URL).toMatch(/\/pay\/mmsp\//);
    expect((await query(qr.MERORDERID)).Body).toMatchObject({ STATUS: '3', ERR_CODE: 'AA' });
    await sim.post(`/_sim/orders/mmsp/${qr.MERORDERID}/pay`);
    expect((await query(qr.MERORDERID)).Body).toMatchObject({ STATUS: '2', ERR_CODE: '51' });
    await sim.advance(3600);
    expect(merchant.received).toHaveLength(0);
  });

  it('2004: the answer is lost (connection dropped), so is the first query; the second shows the payment; it is pushed', async () => {
    const request = micropayBody(notifyUrl, { AMT: '2004' });
    await expect(client.send(2307, request)).rejects.toThrow();
    await expect(query(request.MERORDERID)).rejects.toThrow();
    const second = await query(request.MERORDERID);
    expect(second.Body).toMatchObject({ STATUS: '1', MERORDERID: request.MERORDERID });

    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
  });
});

describe('user scenarios', () => {
  it('are validated: a bad one is refused naming the field', async () => {
    const bad = await sim.request('POST', '/_sim/scenarios', { id: 'bad', match: { amount: 5 }, steps: [{ do: 'become', state: 'paid' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('steps[0].after');
  });

  it('duplicate notifications: the same push is delivered twice', async () => {
    await sim.post('/_sim/scenarios', { id: 'dup', match: { provider: 'mmsp', orderNo: '^DUP' }, steps: [{ do: 'notify', mode: 'duplicate' }] });
    const request = prepayBody(notifyUrl, { MERORDERID: 'DUP0001' });
    await client.send(2306, request);
    await sim.post('/_sim/orders/mmsp/DUP0001/pay');
    await sim.advance(0);
    expect(merchant.received).toHaveLength(2);
    expect(merchant.received[0]!.body).toBe(merchant.received[1]!.body);
    await sim.request('DELETE', '/_sim/scenarios/dup');
  });

  it('wrong signature: the push is signed with a key the merchant does not have', async () => {
    await sim.post('/_sim/scenarios', { id: 'forged', match: { amount: 4321 }, steps: [{ do: 'notify', mode: 'wrong-signature' }] });
    const request = prepayBody(notifyUrl, { AMT: '4321' });
    await client.send(2306, request);
    await sim.post(`/_sim/orders/mmsp/${request.MERORDERID}/pay`);
    await sim.advance(0);
    const push = JSON.parse(merchant.received[0]!.body);
    expect(push.Sign).toMatch(/^[0-9A-F]{32}$/);
    expect(replySignatureValid(push)).toBe(false);
    const [notification] = await sim.get(`/_sim/notifications?orderNo=${request.MERORDERID}`);
    expect(notification.wrongSignature).toBe(true);
    await sim.request('DELETE', '/_sim/scenarios/forged');
  });

  it('skipped notifications: a payment nobody is told about', async () => {
    await sim.post('/_sim/scenarios', { id: 'silent', match: { amount: 4322 }, steps: [{ do: 'notify', mode: 'skip' }] });
    const request = prepayBody(notifyUrl, { AMT: '4322' });
    await client.send(2306, request);
    await sim.post(`/_sim/orders/mmsp/${request.MERORDERID}/pay`);
    await sim.advance(60);
    expect(merchant.received).toHaveLength(0);
    expect((await query(request.MERORDERID)).Body.STATUS).toBe('1');
    await sim.request('DELETE', '/_sim/scenarios/silent');
  });

  it('broken answers: HTTP 502 on create while the order is still created; the merchant must query', async () => {
    await sim.post('/_sim/scenarios', { id: 'gateway-502', match: { amount: 4323 }, steps: [{ do: 'http', on: 'create', status: 502 }] });
    const request = micropayBody(notifyUrl, { AMT: '4323' });
    await expect(client.send(2307, request)).rejects.toThrow('HTTP 502');
    expect((await query(request.MERORDERID)).Body.STATUS).toBe('1');
    const [entry] = await sim.get(`/_sim/requests?orderNo=${request.MERORDERID}&limit=5`).then((list: any[]) => list.filter((e) => e.responseStatus === 502));
    expect(entry.note).toContain('502');
    await sim.request('DELETE', '/_sim/scenarios/gateway-502');
  });

  it('statuses without a body (204, 304) are sent empty; a 1xx status is refused when the scenario is loaded', async () => {
    const refused = await sim.request('POST', '/_sim/scenarios', { id: 'interim', match: { amount: 4327 }, steps: [{ do: 'http', on: 'create', status: 101 }] });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'INVALID_SCENARIO' } } });
    expect(refused.body.error.message).toContain('steps[0].status: from 200 to 599: a 1xx is an interim response, not an answer');
    expect((await sim.request('GET', '/_sim/scenarios/interim')).status).toBe(404);

    await sim.post('/_sim/scenarios', {
      id: 'no-content',
      match: { amount: 4327 },
      steps: [
        { do: 'http', on: 'create', status: 204 },
        { do: 'http', on: 'query', status: 304, times: 1 },
      ],
    });
    const request = micropayBody(notifyUrl, { AMT: '4327' });
    const send = (command: number, body: Record<string, unknown>) =>
      fetch(`${sim.url}/mmsp/api`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope(command, body)) });
    const created = await send(2307, request);
    expect(created.status).toBe(204);
    expect(await created.text()).toBe('');
    // The order was created and paid all the same; the first query answers 304, the next one the state.
    const queried = await send(2310, { MERORDERID: request.MERORDERID, RANDSTR: 'q' });
    expect(queried.status).toBe(304);
    expect((await query(request.MERORDERID)).Body.STATUS).toBe('1');
    const statuses = (await sim.get(`/_sim/requests?orderNo=${request.MERORDERID}`)).map((e: { responseStatus: number }) => e.responseStatus);
    expect(statuses.sort()).toEqual([200, 204, 304]);
    await sim.request('DELETE', '/_sim/scenarios/no-content');
  });

  it('dropped connections and slow answers, counted with times', async () => {
    await sim.post('/_sim/scenarios', {
      id: 'flaky',
      match: { amount: 4324 },
      steps: [
        { do: 'http', on: 'create', drop: true },
        { do: 'http', on: 'query', delayMs: 300, times: 1 },
      ],
    });
    const request = micropayBody(notifyUrl, { AMT: '4324' });
    await expect(client.send(2307, request)).rejects.toThrow();
    const started = Date.now();
    expect((await query(request.MERORDERID)).Body.STATUS).toBe('1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // Its one time is used up: nothing is left to delay the next query (read from the order, not from a clock, which a
    // loaded machine could stall past any bound). The drop, given no count, stays for every creation.
    const effectsLeft = () => sim.sandbox.store.orders.list({ provider: 'mmsp', orderNo: request.MERORDERID })[0]!.scenarioState.http;
    expect(effectsLeft()).toEqual([{ on: 'create', drop: true }]);
    expect((await query(request.MERORDERID)).Body.STATUS).toBe('1');
    await sim.request('DELETE', '/_sim/scenarios/flaky');
  });

  it('a QR order scripted to be paid at once is still pushed: its answer reports no payment', async () => {
    await sim.post('/_sim/scenarios', { id: 'instant-qr', match: { amount: 4325 }, steps: [{ do: 'respond', outcome: 'paid' }] });
    const request = prepayBody(notifyUrl, { AMT: '4325' });
    expect((await client.send(2306, request)).Body.STATUS).toBe('1');
    await sim.advance(0);
    expect(merchant.received).toHaveLength(1);
    await sim.request('DELETE', '/_sim/scenarios/instant-qr');
  });

  it('a micropay scripted as processing is pushed once it becomes paid', async () => {
    await sim.post('/_sim/scenarios', {
      id: 'slow-bank',
      match: { amount: 4326 },
      steps: [{ do: 'respond', outcome: 'processing' }, { do: 'become', state: 'paid', after: 30 }],
    });
    const request = micropayBody(notifyUrl, { AMT: '4326' });
    expect((await client.send(2307, request)).Body).toMatchObject({ STATUS: '3', ERR_CODE: 'AA' });
    await sim.advance(30);
    expect(merchant.received).toHaveLength(1);
    await sim.request('DELETE', '/_sim/scenarios/slow-bank');
  });

  it('user scenarios come before the built-in magic amounts', async () => {
    await sim.post('/_sim/scenarios', { id: 'override', match: { amount: 2001, merchantId: '001440353999853' }, steps: [{ do: 'respond', outcome: 'failed' }] });
    const reply = await client.send(2307, micropayBody(notifyUrl, { AMT: '2001' }));
    expect(reply.Body).toMatchObject({ STATUS: '2', ERR_CODE: '51' });
    await sim.request('DELETE', '/_sim/scenarios/override');
  });
});
