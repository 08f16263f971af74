import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import type forgeModule from 'node-forge';
import type { KeyPairPem } from '../core/simulator.js';

/** node-forge is loaded only to make a certificate (node:crypto cannot): ~11 MiB and ~80 ms that most starts skip. */
let loaded: typeof forgeModule | undefined;
const forge = () => (loaded ??= createRequire(import.meta.url)('node-forge') as typeof forgeModule);

/**
 * Generates an RSA key pair as PEM with node's native generator: the public key
 * as SPKI, the private key as PKCS#8 (what MMSP asks merchants to produce:
 * "1024位 PKCS#8").
 *
 * @example
 * const { publicKey, privateKey } = generateKeyPair({ bits: 2048 });
 */
export function generateKeyPair(options: { bits: number }): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: options.bits,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/**
 * A self-signed X.509 certificate for a key pair, valid ten years: what a
 * provider hands out as its `.cer` (node-forge, the one thing node:crypto
 * cannot make).
 */
export function selfSignedCertificate(pair: { publicKey: string; privateKey: string }, commonName: string, now = Date.now()): string {
  const { pki, util, random, md } = forge();
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(pair.publicKey);
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
  cert.sign(pki.privateKeyFromPem(pair.privateKey) as forgeModule.pki.rsa.PrivateKey, md.sha256.create());
  return pki.certificateToPem(cert);
}

/**
 * A key pair whose certificate is made the first time something reads it —
 * an in-memory sandbox (CI) that never hands out its `.cer` never loads
 * node-forge. `onCertificate` keeps it (the data directory's file).
 */
export function withLazyCertificate(
  pair: { publicKey: string; privateKey: string },
  commonName: string,
  onCertificate: (pem: string) => void = () => {},
): KeyPairPem {
  let certificate: string | undefined;
  return {
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    get certificate() {
      if (certificate === undefined) {
        certificate = selfSignedCertificate(pair, commonName);
        onCertificate(certificate);
      }
      return certificate;
    },
  };
}
