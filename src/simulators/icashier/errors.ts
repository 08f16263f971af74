import { ProviderError } from '../../core/errors.js';
import { RESPCODES, type RespcodeName } from './codes.js';

/**
 * A failure answered as `{"resp": base64({respcode, respmsg}), "sign": …}`
 * with HTTP 200. Whether `sign` is filled depends only on whether the merchant
 * (and so its key) was known, which the route decides (§2.2).
 */
export class IcashierError extends ProviderError {
  readonly code: string;

  constructor(
    readonly kind: RespcodeName,
    /** Appended to the code's text: the field name, the action … */
    detail?: string,
    /** Kept for the journal only, e.g. the sign the sandbox expected. */
    note?: string,
  ) {
    const entry = RESPCODES[kind];
    super(detail ? `${entry.text}：${detail}` : entry.text, note);
    this.code = entry.code;
  }
}
