import type { MerchantRepository } from '../../core/store/merchants.js';
import type { Envelope, VerifiedEnvelope } from './envelope.js';
import { EnvelopeError } from './errors.js';
import { signBody, signingString, verifyBody } from './signature.js';

/**
 * Checks the merchant, terminal and agent, then the Sign. The journal note of a
 * signature failure carries the string the sandbox signed, for the developer.
 */
export function verifyEnvelope(envelope: Envelope, merchants: MerchantRepository): VerifiedEnvelope {
  const merchant = merchants.get('mmsp', envelope.merchantId);
  if (!merchant) throw new EnvelopeError('MERCHANT', envelope.merchantId);
  const terminals = [merchant.terminalId, ...((merchant.settings.terminals as string[] | undefined) ?? [])];
  if (!terminals.includes(envelope.terminalId)) throw new EnvelopeError('TERMINAL', envelope.terminalId);

  let signer = merchant;
  if (envelope.agentNo && envelope.agentNo !== envelope.merchantId) {
    const agent = merchants.get('mmsp', envelope.agentNo);
    // An agent acts only for the merchants configured under it (`settings.agentNo` on the merchant, README);
    // for any other it is as unknown as an agent that does not exist (§3.1 AGENTNO 代理商号).
    if (!agent || merchant.settings.agentNo !== agent.merchantId) {
      throw new EnvelopeError(
        'AGENT',
        envelope.agentNo,
        agent ? `merchant ${merchant.merchantId} is not configured under agent ${agent.merchantId} (settings.agentNo)` : undefined,
      );
    }
    signer = agent;
  }
  if (!signer.md5Key) throw new EnvelopeError('SIGN', `商户${signer.merchantId}未配置MD5密钥`);
  if (!verifyBody(envelope.body, signer.md5Key, envelope.sign)) {
    const expected = signBody(envelope.body, signer.md5Key);
    throw new EnvelopeError(
      'SIGN',
      undefined,
      `expected Sign ${expected} over: ${signingString(envelope.body, '<key>')}`,
    );
  }
  return { ...envelope, merchant, key: signer.md5Key, signerId: signer.merchantId };
}
