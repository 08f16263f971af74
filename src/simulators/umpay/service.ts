import type { Context } from 'hono';
import type { Charset } from '../../core/codec/charset.js';
import type { Merchant } from '../../core/domain.js';
import type { SimulatorContext } from '../../core/simulator.js';
import type { RetName } from './codes.js';

/** Which product a service belongs to (`settings.products`); null: every merchant may call it. */
export type Product = 'quick' | 'h5';

/** A request whose merchant and signature checked out, its sensitive fields decrypted. */
export interface VerifiedRequest {
  service: ServiceDefinition;
  merchant: Merchant;
  charset: Charset;
  /** The parameters as sent (ciphertexts included): what was signed. */
  fields: Record<string, string>;
  /** The same with every sensitive field decrypted: what the services read. */
  values: Record<string, string>;
}

/** What a service answers: a signed META page, or (the H5 cashier) a redirect. */
export type ServiceResult =
  | {
      kind: 'meta';
      /** OK unless the service reports a failure that is not a refusal (a declined payment changes state). */
      ret?: RetName;
      /** Replaces the code's own message. */
      retMsg?: string;
      fields: Record<string, string>;
    }
  | { kind: 'redirect'; url: string };

export interface ServiceDefinition {
  name: string;
  /** For the journal's operation column. */
  title: string;
  product: Product | null;
  /** A browser is at the other end (H5 cashier): a refusal shows its message on the page too. */
  browser?: boolean;
  handle(request: VerifiedRequest, sim: SimulatorContext, c: Context): ServiceResult;
}

/** A signed answer with ret_code 0000. */
export const ok = (fields: Record<string, string>): ServiceResult => ({ kind: 'meta', fields });
