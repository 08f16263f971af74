import { mmsp } from 'cn-pay-sandbox';

/**
 * The shop's MMSP payout (代付) client. The RSA envelope is the testkit's
 * (`mmsp.buildPayoutEnvelope`, `mmsp.openPayoutReply`) rather than the shop's
 * own code: a shop shipping this would depend on those helpers (or copy
 * them), since the rule is the same on both sides.
 *
 * Every request is `{"ENCRYPT","SIGN"}` POSTed as JSON; every answer is
 * believed only when it decrypts with the shop's private key and the
 * platform's SIGN holds over it.
 */
export interface PayoutConfig {
  /** `${sandbox.url}/mmsp/payout`, or the platform's payout URL. */
  endpoint: string;
  merchantId: string;
  /** Signs requests, decrypts answers (PEM). */
  merchantPrivateKey: string;
  /** Encrypts requests, verifies answers (PEM). */
  platformPublicKey: string;
  timeoutMs?: number;
}

/**
 * The platform refused the request before it knew the merchant (the
 * plaintext form `{"RETCODE":"1006","RETMSG":"签名错误"}`): nothing was taken.
 */
export class PayoutRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** No answer, or one that cannot be trusted: the outcome is unknown, query it (4098). */
export class PayoutUnknown extends Error {}

/** YYYYMMDDhhmmss, China time (the document's REQTIME). */
export const reqtime = (at = Date.now()) => new Date(at + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);

export function payoutClient(config: PayoutConfig) {
  const keys = { merchantPrivateKey: config.merchantPrivateKey, platformPublicKey: config.platformPublicKey };
  return async function call(plaintext: Record<string, string>): Promise<mmsp.PayoutReply> {
    const envelope = mmsp.buildPayoutEnvelope({ VERSION: '1.0', MERNO: config.merchantId, REQTIME: reqtime(), ...plaintext }, keys);
    let text: string;
    try {
      const response = await fetch(config.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
      });
      if (!response.ok) throw new PayoutUnknown(`HTTP ${response.status}`);
      text = await response.text();
    } catch (error) {
      throw error instanceof PayoutUnknown ? error : new PayoutUnknown((error as Error).message);
    }
    const answer = mmsp.openPayoutReply(text, keys);
    if (!answer.encrypted) {
      const code = String(answer.fields.RETCODE ?? '');
      throw new PayoutRefused(code, `${code} ${String(answer.fields.RETMSG ?? 'refused')}`.trim());
    }
    if (!answer.valid) throw new PayoutUnknown('the answer does not decrypt, or its SIGN does not verify');
    return answer.fields;
  };
}
