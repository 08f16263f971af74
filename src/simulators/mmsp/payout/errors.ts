import { ProviderError } from '../../../core/errors.js';
import { RETCODES, type RetcodeName } from './codes.js';

/**
 * A refusal answered with a RETCODE of 代付 §6.2. Once the merchant is
 * identified and its signature verified, the answer is encrypted and signed
 * like any other; before that it is plaintext `{"RETCODE","RETMSG"}`
 * (PROVIDERS.md MMSP-4).
 */
export class PayoutError extends ProviderError {
  readonly code: string;

  constructor(
    readonly retcode: RetcodeName,
    detail?: string,
    /** Fields the answer still carries (ORDERNO, BSORDERNO, PAYSTATE …). */
    readonly fields: Record<string, string> = {},
    /** Kept for the journal only. */
    note?: string,
  ) {
    const entry = RETCODES[retcode];
    super(detail ? `${entry.text}：${detail}` : entry.text, note);
    this.code = entry.code;
  }
}
