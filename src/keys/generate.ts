import { createRequire } from 'node:module';
import type forgeModule from 'node-forge';
import type { KeyPairPem } from '../core/simulator.js';

/** node-forge is loaded on the first generation only: a sandbox whose keys exist never needs it (~11 MiB). */
let loaded: typeof forgeModule | undefined;
const forge = () => (loaded ??= createRequire(import.meta.url)('node-forge') as typeof forgeModule);

/**
 * Generates an RSA key pair as PEM: the public key as SPKI, the private key as
 * PKCS#8 (what MMSP asks merchants to produce: "1024位 PKCS#8"). node-forge hands
 * the work to node's native generator, so a 2048-bit pair takes milliseconds.
 *
 * @example
 * const { publicKey, privateKey, certificate } = generateKeyPair({ bits: 2048, certificateFor: 'UMPay sandbox' });
 */
export function generateKeyPair(options: { bits: number; certificateFor?: string; now?: number }): KeyPairPem {
  const { pki } = forge();
  const keys = pki.rsa.generateKeyPair({ bits: options.bits, e: 0x10001 });
  const publicKey = pki.publicKeyToPem(keys.publicKey);
  const privateKey = pki.privateKeyInfoToPem(pki.wrapRsaPrivateKey(pki.privateKeyToAsn1(keys.privateKey)));
  const certificate = options.certificateFor
    ? selfSignedCertificate(keys, options.certificateFor, options.now ?? Date.now())
    : null;
  return { publicKey, privateKey, certificate };
}

/** A self-signed X.509 certificate, valid ten years: what a provider hands out as its `.cer`. */
function selfSignedCertificate(keys: forgeModule.pki.rsa.KeyPair, commonName: string, now: number): string {
  const { pki, util, random, md } = forge();
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${util.bytesToHex(random.getBytesSync(8))}`;
  cert.validity.notBefore = new Date(now - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now + 10 * 365 * 24 * 3600 * 1000);
  const attrs = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'Payment Sandbox' },
    { name: 'countryName', value: 'CN' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
  ]);
  cert.sign(keys.privateKey, md.sha256.create());
  return pki.certificateToPem(cert);
}
