import { umpay } from 'cn-pay-sandbox';

/**
 * The shop's UMPay 4.0 quick-pay client. Signing, the sensitive fields'
 * encryption, reading the META answer, verifying a notification and the
 * signed META acknowledgement are the testkit's helpers (`umpay.*`), not the
 * shop's own code: a shop shipping this would depend on them (or copy them).
 */
export interface UmpayConfig {
  /** `${sandbox.url}/umpay/spay/pay/payservice.do`, or the platform's. */
  endpoint: string;
  merId: string;
  /** Signs requests and acknowledgements (PEM). */
  merchantPrivateKey: string;
  /** The platform certificate (PEM): encrypts the card elements, verifies answers and notifications. */
  platformCertificate: string;
  timeoutMs?: number;
}

/** No answer (UMPay's 504 on a system error), or one whose signature does not hold: query the order. */
export class UmpayUnknown extends Error {}

export function umpayClient(config: UmpayConfig) {
  const options = { merId: config.merId, merchantPrivateKey: config.merchantPrivateKey, platformCertificate: config.platformCertificate };
  return {
    /** One service: the answer's META fields, only when the platform's signature holds. */
    async call(service: string, params: Record<string, string>): Promise<Record<string, string>> {
      const form = umpay.buildRequest(service, params, options);
      let html: string;
      try {
        const response = await fetch(config.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
          signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
        });
        if (!response.ok) throw new UmpayUnknown(`HTTP ${response.status}`);
        html = await response.text();
      } catch (error) {
        throw error instanceof UmpayUnknown ? error : new UmpayUnknown((error as Error).message);
      }
      const { valid, fields } = umpay.readMeta(html, config.platformCertificate);
      if (!valid) throw new UmpayUnknown('the answer’s signature does not verify');
      return fields;
    },
    /** A notification (the GET's URL): its fields, and whether the platform signed them. */
    readNotification: (url: string) => umpay.verifyNotification(url, config.platformCertificate),
    /** The signed META that acknowledges a notification. */
    acknowledge: (fields: Record<string, string | undefined>) =>
      umpay.notificationAck(Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined)), config.merchantPrivateKey),
  };
}

/** YYYYMMDD, China time: `mer_date`, part of the order's identity with `order_id`. */
export const merDate = (at = Date.now()) => new Date(at + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
