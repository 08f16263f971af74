/**
 * What works against a sandbox running anywhere, with no sandbox code loaded:
 * the `/_sim` client and the merchant-side helpers. Built to CommonJS as well
 * (`dist/cjs`), so a jest project without ESM can `require` it.
 */
export { connectSandbox, SandboxApiError, type ConnectOptions, type SandboxClient } from './client.js';
export { certificateDer } from './keys.js';
export * from './providers/index.js';
export type * from './types.js';
