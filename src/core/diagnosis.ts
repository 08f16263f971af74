import type { Merchant } from './domain.js';
import type { KeyPairPem } from './simulator.js';

/**
 * Signature diagnosis: what a developer with a signature mismatch needs first.
 * A simulator that implements {@link SimulatorDefinition.diagnose} reads a
 * request (as received, or pasted into the dashboard's workbench), and says
 * the exact string it signs, the signature it expects, the one it was given,
 * and which of the usual mistakes — applied alone or together — would produce
 * the given signature.
 */

/** A request to diagnose: what the journal kept of it, or what a developer pasted. */
export interface DiagnoseRequest {
  method: string;
  /** Path and query string (`/aggpay/api/order/check_order?appid=…`); may be empty for a pasted body. */
  path: string;
  contentType: string | null;
  /** The body exactly as received. */
  bytes: Uint8Array;
  /** The charset the request declared (or the provider's default), as the journal kept it. */
  charset: string | null;
}

export interface DiagnoseContext {
  /** A merchant of this provider. */
  merchant(merchantId: string): Merchant | undefined;
  /** Check against this merchant's keys rather than the one the request names (the workbench's choice). */
  merchantId?: string;
  /**
   * The provider's platform key pair, for a request that must be opened first
   * (fields encrypted with the platform public key, an encrypted envelope).
   */
  platformKeys?(): KeyPairPem | null;
}

/** One way of getting the signature wrong: the string a merchant making these mistakes signs, and what it signs to. */
export interface SignatureVariant {
  /** Each mistake in words, e.g. "`/` left unescaped". */
  mistakes: string[];
  canonical: string;
  /**
   * What the variant signs to. For an RSA scheme without the merchant's
   * private key, whatever identifies the signed bytes (their digest): a
   * variant then matches when the given signature verifies over them.
   */
  signature: string;
  /** The request's signature is exactly this one (as the provider compares). */
  matches: boolean;
}

export type SignatureVerdict =
  /** The signature is right. */
  | 'valid'
  /** The signature is wrong. */
  | 'invalid'
  /** The request carries no signature. */
  | 'missing'
  /** The merchant is unknown (or has no key): nothing to check against. */
  | 'unknown-merchant';

export interface SignatureDiagnosis {
  provider: string;
  /** The merchant whose key was used (or that the request named). */
  merchantId: string | null;
  /** The order (or record) number the request is about, when it names one. */
  orderNo: string | null;
  /** What the request is, e.g. "2310 查询订单" or "unified order". */
  operation: string | null;
  /** The signing rule in words, with the document section. */
  rule: string;
  /** The exact string the sandbox signs (the key included: this is a sandbox), null without a key. */
  canonical: string | null;
  expected: string | null;
  given: string | null;
  verdict: SignatureVerdict;
  /** How the provider compares signatures. */
  comparison: 'exact' | 'case-insensitive';
  /** The usual mistakes, alone and combined; those that match the given signature first. Empty when valid. */
  variants: SignatureVariant[];
}

/** One usual mistake: how it changes the merchant's signing input. */
export interface Mistake<S> {
  label: string;
  apply(spec: S): S;
}

/**
 * Plays every combination of up to `depth` mistakes over the correct signing
 * input and signs each: a variant whose signature equals the given one is the
 * likely cause. Duplicates (two mistakes that change nothing here, e.g. no `/`
 * in the body) are folded into the one with the fewest mistakes. `same` also
 * gets the variant's input, so an RSA scheme can verify the given signature
 * over the variant's bytes with the merchant's public key instead of comparing.
 *
 * @example
 * exploreMistakes(spec, [slashes, unicode, order], sign, given, (a, b) => a === b);
 */
export function exploreMistakes<S>(
  correct: S,
  mistakes: readonly Mistake<S>[],
  sign: (spec: S) => { canonical: string; signature: string },
  given: string | null,
  same: (signature: string, given: string, spec: S) => boolean,
  depth = 3,
): SignatureVariant[] {
  const reference = sign(correct);
  const seen = new Set([`${reference.canonical}\u0000${reference.signature}`]);
  const variants: SignatureVariant[] = [];
  const subsets: number[][] = [];
  const walk = (start: number, chosen: number[]) => {
    if (chosen.length > 0) subsets.push(chosen);
    if (chosen.length === depth) return;
    for (let i = start; i < mistakes.length; i++) walk(i + 1, [...chosen, i]);
  };
  walk(0, []);
  subsets.sort((a, b) => a.length - b.length);
  for (const subset of subsets) {
    let spec = correct;
    for (const index of subset) spec = mistakes[index]!.apply(spec);
    const { canonical, signature } = sign(spec);
    const key = `${canonical}\u0000${signature}`;
    if (seen.has(key)) continue;
    seen.add(key);
    variants.push({
      mistakes: subset.map((index) => mistakes[index]!.label),
      canonical,
      signature,
      matches: given !== null && given !== '' && same(signature, given, spec),
    });
  }
  // Stable: matching variants first, then by the number of mistakes.
  return variants.sort((a, b) => Number(b.matches) - Number(a.matches) || a.mistakes.length - b.mistakes.length);
}

/**
 * What every provider's diagnosis ends with: the correct signing input signed, the verdict on the given signature
 * (`same` as {@link exploreMistakes} takes it: an equality for a digest, a verification for RSA), and the usual
 * mistakes explored when it is not valid.
 */
export function judgeSignature<S>(
  correct: S,
  mistakes: readonly Mistake<S>[],
  sign: (spec: S) => { canonical: string; signature: string },
  given: string | null,
  same: (signature: string, given: string, spec: S) => boolean,
): Pick<SignatureDiagnosis, 'canonical' | 'expected' | 'verdict' | 'variants'> {
  const { canonical, signature } = sign(correct);
  const verdict: SignatureVerdict = given === null ? 'missing' : same(signature, given, correct) ? 'valid' : 'invalid';
  return { canonical, expected: signature, verdict, variants: verdict === 'valid' ? [] : exploreMistakes(correct, mistakes, sign, given, same) };
}

/** The query string of a path, as ordered pairs (the order a merchant sent matters for one of the mistakes). */
export function queryPairs(path: string): [string, string][] {
  const index = path.indexOf('?');
  return index < 0 ? [] : [...new URLSearchParams(path.slice(index + 1)).entries()];
}

/** Whether a pasted text is a whole URL (or a path with a query), rather than a body. */
export function looksLikeUrl(text: string): boolean {
  return /^(https?:\/\/|\/)\S*$/.test(text.trim());
}
