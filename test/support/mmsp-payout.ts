import forge from 'node-forge';

/**
 * A payout merchant written from the document alone (代付 §3.1), on node-forge
 * so it shares no code with the sandbox (which uses node:crypto): encrypt the
 * JSON plaintext with the platform public key (PKCS#1 v1.5, blocks of key
 * bytes − 11, concatenated, Base64), sign it SHA1withRSA with the merchant
 * private key; decrypt answers with the merchant private key and verify them
 * with the platform public key.
 */
export interface PayoutKeys {
  platformPublicKey: string;
  merchantPrivateKey: string;
}

export interface PayoutAnswer {
  /** False for the plaintext `{"RETCODE","RETMSG"}` answers (nobody identified yet). */
  encrypted: boolean;
  /** The answer's plaintext, decrypted when it was encrypted. */
  body: any;
  /** Whether SIGN verified with the platform public key (encrypted answers only). */
  signatureValid: boolean;
  /** The raw HTTP body. */
  raw: string;
}

const modulusBytes = (key: forge.pki.rsa.PublicKey | forge.pki.rsa.PrivateKey) => Math.ceil(key.n.bitLength() / 8);

export function forgeEncrypt(plaintext: string, publicKeyPem: string): string {
  const key = forge.pki.publicKeyFromPem(publicKeyPem);
  const bytes = forge.util.encodeUtf8(plaintext);
  const chunk = modulusBytes(key) - 11;
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    out += key.encrypt(bytes.slice(offset, offset + chunk), 'RSAES-PKCS1-V1_5');
  }
  return forge.util.encode64(out);
}

export function forgeDecrypt(ciphertext: string, privateKeyPem: string): string {
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  const bytes = forge.util.decode64(ciphertext);
  const k = modulusBytes(key);
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += k) out += key.decrypt(bytes.slice(offset, offset + k), 'RSAES-PKCS1-V1_5');
  return forge.util.decodeUtf8(out);
}

export function forgeSign(plaintext: string, privateKeyPem: string): string {
  const md = forge.md.sha1.create();
  md.update(plaintext, 'utf8');
  return forge.util.encode64(forge.pki.privateKeyFromPem(privateKeyPem).sign(md));
}

export function forgeVerify(plaintext: string, signature: string, publicKeyPem: string): boolean {
  const md = forge.md.sha1.create();
  md.update(plaintext, 'utf8');
  try {
    return forge.pki.publicKeyFromPem(publicKeyPem).verify(md.digest().bytes(), forge.util.decode64(signature));
  } catch {
    return false;
  }
}

/** A fresh RSA pair in PEM (SPKI / PKCS#8), as a merchant makes one with openssl (代付 §3.2). */
export function forgeKeyPair(bits = 1024): { publicKey: string; privateKey: string } {
  const pair = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 });
  return {
    publicKey: forge.pki.publicKeyToPem(pair.publicKey),
    privateKey: forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(pair.privateKey))),
  };
}

export function payoutClient(url: string, keys: PayoutKeys) {
  /** POSTs a raw body, decrypting and verifying an encrypted answer. */
  const raw = async (body: string): Promise<PayoutAnswer> => {
    const response = await fetch(`${url}/mmsp/payout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    const parsed = JSON.parse(text) as Record<string, string>;
    if (parsed.ENCRYPT === undefined) return { encrypted: false, body: parsed, signatureValid: false, raw: text };
    const plaintext = forgeDecrypt(parsed.ENCRYPT, keys.merchantPrivateKey);
    return {
      encrypted: true,
      body: JSON.parse(plaintext),
      signatureValid: forgeVerify(plaintext, parsed.SIGN ?? '', keys.platformPublicKey),
      raw: text,
    };
  };
  /** The envelope of a plaintext object (or text), as the document builds it. */
  const envelope = (plaintext: Record<string, unknown> | string) => {
    const text = typeof plaintext === 'string' ? plaintext : JSON.stringify(plaintext);
    return { ENCRYPT: forgeEncrypt(text, keys.platformPublicKey), SIGN: forgeSign(text, keys.merchantPrivateKey) };
  };
  return { raw, envelope, send: (plaintext: Record<string, unknown> | string) => raw(JSON.stringify(envelope(plaintext))) };
}

/** Loads the platform's and the test merchant's keys from GET /_sim/keys. */
export async function payoutKeys(url: string, merchantId = '001440353999853'): Promise<PayoutKeys & { merchantPublicKey: string; platformPrivateKey: string }> {
  const keys = (await (await fetch(`${url}/_sim/keys`)).json()) as any;
  const merchant = keys.merchants.find((m: any) => m.provider === 'mmsp' && m.merchantId === merchantId);
  return {
    platformPublicKey: keys.platform.mmsp.publicKey,
    platformPrivateKey: keys.platform.mmsp.privateKey,
    merchantPrivateKey: merchant.privateKey,
    merchantPublicKey: merchant.publicKey,
  };
}

let sequence = 0;
/** A payout ORDERNO (digits only, 代付 §5.1.2) unique within the run. */
export const payoutNo = () => `${Date.now()}${String(sequence++).padStart(6, '0')}`;

/** The China-time REQTIME of the tests' frozen clock start. */
export const REQTIME = '20260301100000';

/** A 4097 plaintext to the default test card 张三 (ICBC), overridable. */
export function payoutPlaintext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CMDID: '4097',
    VERSION: '1.0',
    MERNO: '001440353999853',
    ORDERNO: payoutNo(),
    REQTIME,
    AMT: '100',
    BUSIYPE: '001',
    ACCNAME: '张三',
    ACCNO: '6222021307418529630',
    PAYTYPE: '1',
    ACCTYPE: '0',
    MOBILE: '13800138000',
    BANKNAME: '中国工商银行',
    MEMO: '代付',
    IDCARD: '110105199003071239',
    BANKPROV: '北京',
    BANKCITY: '北京市',
    ...overrides,
  };
}
