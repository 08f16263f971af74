import { ProviderError } from '../../core/errors.js';
import {
  GATEWAY_ERRORS,
  PAGE_ERRORS,
  REFUND_QUERY_ERRORS,
  type GatewayErrorName,
  type PageErrorName,
  type RefundQueryErrorName,
} from './codes.js';

/**
 * A gateway error: `ERRORCODE=<code>&ERRORMSG=<text>` from the server
 * interfaces, an error page for an order submission. ERRORMSG is the
 * document's text as printed; `detail` (the field at fault) goes to the error
 * page and the journal, so the merchant sees the document's answer.
 */
export class GatewayError extends ProviderError {
  readonly code: string;
  readonly text: string;
  readonly hint: string | undefined;

  constructor(
    readonly kind: GatewayErrorName,
    readonly detail?: string,
    note?: string,
  ) {
    const entry: { code: string; text: string; hint?: string } = GATEWAY_ERRORS[kind];
    super(detail ? `${entry.text}（${detail}）` : entry.text, note);
    this.code = entry.code;
    this.text = entry.text;
    this.hint = entry.hint;
  }
}

/** A refund status query error (§3.8): `ERRORCODE=001&ERRORMSG=商户号不能为空`. */
export class RefundQueryError extends ProviderError {
  readonly code: string;
  readonly text: string;

  constructor(
    readonly kind: RefundQueryErrorName,
    readonly detail?: string,
    note?: string,
  ) {
    const entry = REFUND_QUERY_ERRORS[kind];
    super(detail ? `${entry.text}（${detail}）` : entry.text, note);
    this.code = entry.code;
    this.text = entry.text;
  }
}

/** What the payment control shows the payer; the order stays as it was. */
export class PageError extends ProviderError {
  readonly code: string;
  readonly hint: string;

  constructor(
    readonly kind: PageErrorName,
    readonly detail?: string,
  ) {
    const entry: { code: string; text: string; hint?: string } = PAGE_ERRORS[kind];
    super(detail ? `${entry.text}（${detail}）` : entry.text);
    this.code = entry.code;
    this.hint = entry.hint ?? entry.text;
  }
}
