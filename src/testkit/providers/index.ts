/**
 * Merchant-side helpers, one module per provider (`providers/<id>.ts`): sign a
 * request, verify a reply or a notification, the acknowledgement to answer.
 * A provider that joins the sandbox adds its file here and one line below.
 */
export * as aggpay from './aggpay.js';
export * as allinpay from './allinpay.js';
export * as icashier from './icashier.js';
export * as mmsp from './mmsp.js';
export * as umpay from './umpay.js';
export { UnmappableCharacterError } from './charset.js';
export type { KeyInput } from './rsa.js';
export type { Verified } from './shared.js';
