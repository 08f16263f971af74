import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { envelope, MMSP_KEY, MMSP_MERCHANT, mmspClient, prepayBody } from './support/mmsp.js';

/**
 * AGENTNO (扫码 §3.1): an agent signs with its own key for the merchants configured under it, and only those —
 * merchant B naming itself as agent of merchant A must not reach A's orders.
 */
const { sim, merchant } = useSandbox({ resetEach: true });
const AGENT = '001440300000099';
const AGENT_KEY = '99999999999999999999999999999999';
const SUB = '001440300000098';

beforeAll(async () => {
  await sim.post('/_sim/merchants', { provider: 'mmsp', merchantId: AGENT, terminalId: '84970099', md5Key: AGENT_KEY, name: 'agent' });
  await sim.post('/_sim/merchants', { provider: 'mmsp', merchantId: SUB, terminalId: '84970098', md5Key: 'sub-key-0000000000000000000000000', settings: { agentNo: AGENT } });
});

const asAgentFor = (merno: string, termno: string, body: Record<string, unknown>) =>
  mmspClient(sim.url).raw(envelope(2306, body, { AGENTNO: AGENT, MERNO: merno, TERMNO: termno }, AGENT_KEY));

describe('an agent', () => {
  it('acts for a merchant configured under it, signing with its own key, and the push is signed with it too', async () => {
    const body = prepayBody(`${merchant.url}/notify`);
    const reply = await asAgentFor(SUB, '84970098', body);
    expect(reply).toMatchObject({ RetCode: 1, Body: { STATUS: '1' } });
    await sim.post(`/_sim/orders/mmsp/${body.MERORDERID}/pay`);
    await sim.advance(1);
    expect(merchant.received).toHaveLength(1);
  });

  it('cannot act for a merchant not configured under it: the unknown-agent error, nothing stored', async () => {
    const before = await sim.state();
    const reply = await asAgentFor(MMSP_MERCHANT, '84970001', prepayBody(`${merchant.url}/notify`));
    expect(reply).toMatchObject({ CommandID: 32768, RetCode: 0 });
    expect(reply.ErrorMsg).toMatch(/^\[-1008\]/);
    expect(await sim.state()).toBe(before);
    // Nor query, refund or close another merchant's order.
    const own = prepayBody(`${merchant.url}/notify`);
    await mmspClient(sim.url).send(2306, own, {}, MMSP_KEY);
    const query = await mmspClient(sim.url).raw(
      envelope(2310, { MERORDERID: own.MERORDERID, RANDSTR: 'x' }, { AGENTNO: AGENT, MERNO: MMSP_MERCHANT, TERMNO: '84970001' }, AGENT_KEY),
    );
    expect(query.ErrorMsg).toMatch(/^\[-1008\]/);
  });
});
