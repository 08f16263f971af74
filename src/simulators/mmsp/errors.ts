import { ProviderError } from '../../core/errors.js';
import { BODY_CODES, ENVELOPE_ERRORS, type BodyCodeName, type EnvelopeErrorName } from './codes.js';

/**
 * Codes the documents print with their text — the quick-pay example's
 * `[-2002] 没有该订单`, the FAQ's `[-3005] 交易金额不符…`: sent exactly as printed,
 * so a merchant matching the string works; the detail goes to the journal.
 */
const DOCUMENTED: ReadonlySet<EnvelopeErrorName> = new Set(['ORDER_NOT_FOUND', 'AMOUNT']);

/**
 * An error answered in the header: CommandID 32768, RetCode 0, ErrorMsg
 * `[-code] text`, empty Body and an empty Sign (扫码 §3.1 "错误响应报文示例(不需要签名)").
 * The sandbox's own codes append the detail (the field at fault); the
 * documents' codes keep their exact text ({@link DOCUMENTED}).
 */
export class EnvelopeError extends ProviderError {
  readonly code: number;

  constructor(
    readonly kind: EnvelopeErrorName,
    readonly detail?: string,
    /** Kept for the journal only: e.g. the string the sandbox expected to be signed. */
    note?: string,
  ) {
    const entry = ENVELOPE_ERRORS[kind];
    const documented = DOCUMENTED.has(kind);
    const message = `[${entry.code}] ${entry.text}`;
    super(
      documented || !detail ? message : `${message}：${detail}`,
      (documented ? [detail, note].filter(Boolean).join('; ') : note) || undefined,
    );
    this.code = entry.code;
  }
}

/**
 * A business failure answered in the Body of a normal, signed reply: STATUS 2
 * with ERR_CODE and ERR_CODE_MSG (扫码 §5.1.3 and §11's second layer).
 */
export class BusinessError extends ProviderError {
  readonly code: string;

  constructor(
    name: BodyCodeName,
    detail?: string,
    /** Body fields the reply still carries (MERORDERID, ORDERNO …). */
    readonly fields: Record<string, unknown> = {},
  ) {
    const entry = BODY_CODES[name];
    super(detail ?? entry.text);
    this.code = entry.code;
  }
}
