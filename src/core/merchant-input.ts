import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import type { Merchant } from './domain.js';
import { describeIssue } from './scenario-schema.js';

const pem = z.string().refine(
  (text) => {
    try {
      createPublicKey(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a PEM key node:crypto can read' },
);

/**
 * A merchant as a user declares it, in `DATA_DIR/merchants.json` (an array of
 * these) or in `POST /_sim/merchants`.
 *
 * @example
 * { "provider": "mmsp", "merchantId": "001440300000001", "terminalId": "84970002", "md5Key": "0123…" }
 */
export const merchantInputSchema = z.strictObject({
  provider: z.string().min(1),
  merchantId: z.string().min(1).max(64),
  terminalId: z.string().min(1).max(32).nullish(),
  md5Key: z.string().min(1).max(256).nullish(),
  /** The merchant's RSA public key (the sandbox verifies their signatures with it). */
  publicKey: pem.nullish(),
  /** Optional: kept so `/_sim/keys` can hand it back to the merchant's tests. */
  privateKey: z.string().nullish(),
  name: z.string().max(100).nullish(),
  settings: z.record(z.string(), z.unknown()).optional(),
});

export type MerchantInput = z.infer<typeof merchantInputSchema>;

export function parseMerchantInput(value: unknown, source: string, origin: Merchant['source']): Merchant {
  const result = merchantInputSchema.safeParse(value);
  if (!result.success) throw new Error(`${source}: ${describeIssue(result.error)}`);
  const input = result.data;
  return {
    provider: input.provider,
    merchantId: input.merchantId,
    terminalId: input.terminalId ?? null,
    md5Key: input.md5Key ?? null,
    publicKey: input.publicKey ?? null,
    privateKey: input.privateKey ?? null,
    name: input.name ?? null,
    settings: input.settings ?? {},
    source: origin,
  };
}
