import { ProviderError } from '../../core/errors.js';
import { TransportFailure } from '../../core/transport.js';
import { RET, type RetName } from './codes.js';

/**
 * A refusal answered as a signed META page carrying `ret_code` and `ret_msg`
 * (§2.2.2). Refusals change no state.
 */
export class UmpayError extends ProviderError {
  readonly code: string;

  constructor(
    readonly kind: RetName,
    /** Appended to the code's message: the field at fault, the rule broken. */
    detail?: string,
    /** Kept for the journal only: e.g. the exact string the sandbox expected to be signed. */
    note?: string,
  ) {
    const entry = RET[kind];
    super(detail ? `${entry.msg}：${detail}` : entry.msg, note);
    this.code = entry.code;
  }
}

/**
 * The scripted system error (magic amount 2004): the document has no answer
 * for it, so the sandbox answers as a gateway that timed out — HTTP 504 with
 * an empty body — after the state changed (PROVIDERS.md, decisions taken
 * after the first providers: "2004 never takes the form of a documented
 * rejection").
 */
export function umpaySystemError(): TransportFailure {
  return new TransportFailure('system error (magic amount 2004): HTTP 504, empty body; the state changed, query the order', 'gateway-timeout');
}
