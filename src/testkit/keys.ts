import { X509Certificate } from 'node:crypto';

/**
 * The DER bytes of a PEM certificate: the `.cer` file providers hand merchants
 * (what `GET /_sim/keys` serves as PEM).
 *
 * @example
 * writeFileSync('platform.cer', certificateDer(keys.platform.umpay.certificate!));
 */
export function certificateDer(pem: string): Buffer {
  return new X509Certificate(pem).raw;
}
