import { forgeDecrypt, forgeEncrypt, forgeSign, forgeVerify, payoutClient, payoutKeys, payoutNo, payoutPlaintext, REQTIME, type PayoutKeys } from '../support/mmsp-payout.js';
import type { RunningSandbox } from '../support/sandbox.js';
import { isObject, parseJson, type FuzzAnswer, type FuzzContext, type FuzzTarget, type Verdict } from './framework.js';

/**
 * MMSP payouts (代付, `POST /mmsp/payout`): the plaintext JSON is what is
 * fuzzed; the merchant of test/support/mmsp-payout.ts (node-forge, from the
 * document) encrypts it with the platform key and signs it with its own.
 */

const MERCHANT = '001440353999853';
let keys: PayoutKeys | undefined;

const loadKeys = async (sim: RunningSandbox) => {
  keys ??= await payoutKeys(sim.url, MERCHANT);
  return keys;
};

/** Refusals answered before anyone is identified, in plaintext (docs/providers/mmsp.md, the envelope): 0002, 1001, 1002, 1004, 1005, 1006. */
const PLAINTEXT_REFUSALS = new Set(['0002', '1001', '1002', '1004', '1005', '1006']);

/**
 * 代付's answers: a plaintext `{RETCODE, RETMSG}` refusal before the signature
 * verified; after it, `{ENCRYPT, SIGN}` — encrypted for the merchant, signed
 * by the platform — whose RETCODE `0000` is accepted, `0001` the scripted
 * system error (magic amount 2004: the payout exists, query it), `1009` the
 * sandbox's own fault, and any other §6.2 code a refusal.
 */
function judgePayout(answer: FuzzAnswer): Verdict {
  const reply = parseJson(answer.text);
  if (answer.status !== 200 || !isObject(reply)) return 'unreadable';
  if (reply.ENCRYPT === undefined) {
    if (Object.keys(reply).sort().join() !== 'RETCODE,RETMSG' || typeof reply.RETMSG !== 'string') return 'unreadable';
    if (reply.RETCODE === '1009') return 'internal';
    return PLAINTEXT_REFUSALS.has(reply.RETCODE) ? 'rejected' : 'unreadable';
  }
  if (typeof reply.ENCRYPT !== 'string' || typeof reply.SIGN !== 'string') return 'unreadable';
  let plaintext: string;
  try {
    plaintext = forgeDecrypt(reply.ENCRYPT, keys!.merchantPrivateKey);
  } catch {
    return 'unreadable';
  }
  if (!forgeVerify(plaintext, reply.SIGN, keys!.platformPublicKey)) return 'unreadable';
  const body = parseJson(plaintext);
  if (!isObject(body) || typeof body.RETCODE !== 'string' || !/^\d{4}$/.test(body.RETCODE) || typeof body.RETMSG !== 'string') return 'unreadable';
  if (body.RETCODE === '1009') return 'internal';
  return body.RETCODE === '0000' || body.RETCODE === '0001' ? 'accepted' : 'rejected';
}

function payout(name: string, fields: (context: FuzzContext) => Record<string, unknown>, prepare?: (sim: RunningSandbox) => Promise<Record<string, string>>): FuzzTarget {
  return {
    name: `mmsp payout ${name}`,
    prepare: async (sim) => {
      await loadKeys(sim);
      return (await prepare?.(sim)) ?? {};
    },
    fields,
    encode(plaintext, { sign }) {
      const text = JSON.stringify(plaintext);
      // A wrong SIGN is a real signature, over other bytes than those encrypted.
      const signed = sign ? text : `${text} `;
      return {
        method: 'POST',
        path: '/mmsp/payout',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ENCRYPT: forgeEncrypt(text, keys!.platformPublicKey), SIGN: forgeSign(signed, keys!.merchantPrivateKey) }),
      };
    },
    // Another method on /mmsp/payout gets the same plaintext 0002 (mmsp/refusal.ts).
    judge: judgePayout,
  };
}

/** A payout accepted (4097 to the default test card), for the query to name. */
async function placed(sim: RunningSandbox): Promise<Record<string, string>> {
  const plaintext = payoutPlaintext();
  const answer = await payoutClient(sim.url, await loadKeys(sim)).send(plaintext);
  return { ORDERNO: String(plaintext.ORDERNO), BSORDERNO: String(answer.body.BSORDERNO ?? '') };
}

/**
 * The envelope itself fuzzed: ENCRYPT and SIGN of a valid 4099 dropped or
 * replaced (by numbers, structures, other text) — what is refused before
 * anyone is identified, in plaintext.
 */
const ENVELOPE_TARGET: FuzzTarget = {
  name: 'mmsp payout envelope',
  prepare: async (sim) => {
    await loadKeys(sim);
    return {};
  },
  fields: () => {
    const text = JSON.stringify({ CMDID: '4099', VERSION: '1.0', MERNO: MERCHANT, QRYTYPE: '1', ORDERNO: payoutNo(), REQTIME });
    return { ENCRYPT: forgeEncrypt(text, keys!.platformPublicKey), SIGN: forgeSign(text, keys!.merchantPrivateKey) };
  },
  // The fields are the envelope, already signed: `sign` has nothing left to change.
  encode: (envelope) => ({ method: 'POST', path: '/mmsp/payout', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope) }),
  judge: judgePayout,
};

export const MMSP_PAYOUT_TARGETS: FuzzTarget[] = [
  payout('4097 payout', () => payoutPlaintext()),
  payout('4098 payout query', ({ given }) => ({ CMDID: '4098', VERSION: '1.0', MERNO: MERCHANT, ORDERNO: given.ORDERNO, BSORDERNO: given.BSORDERNO, REQTIME }), placed),
  payout('4099 balance', () => ({ CMDID: '4099', VERSION: '1.0', MERNO: MERCHANT, QRYTYPE: '1', ORDERNO: payoutNo(), REQTIME })),
  ENVELOPE_TARGET,
];
