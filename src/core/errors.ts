/**
 * The engine's internal errors, one catalogue with stable codes. A simulator
 * catches them and answers in its provider's own wire format; they never reach
 * a merchant as they are.
 */
export const ERROR_CODES = {
  DUPLICATE_ORDER: 'the merchant order number is already used',
  DUPLICATE_REFUND: 'the merchant refund number is already used',
  DUPLICATE_RECORD: 'the merchant number is already used for this kind of record',
  INVALID_TRANSITION: 'the record is not in a state that allows this',
  REFUND_EXCEEDS: 'the refund exceeds the amount left to refund',
  NOT_REFUNDABLE: 'the order is not paid, so it cannot be refunded',
  ORDER_NOT_FOUND: 'no such order',
  RECORD_NOT_FOUND: 'no such record',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class SandboxError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export function isSandboxError(error: unknown, code?: ErrorCode | readonly ErrorCode[]): error is SandboxError {
  if (!(error instanceof SandboxError)) return false;
  if (code === undefined) return true;
  return typeof code === 'string' ? error.code === code : code.includes(error.code);
}

/**
 * The base of every answer a simulator raises on purpose: something the merchant
 * sees in the provider's own wire format and code table (principle 5). The
 * request phases let it through as expected; anything else is the sandbox's
 * own fault and is answered with the provider's internal error.
 *
 * @example
 * class AggError extends ProviderError {}
 * throw new AggError('签名错误', 'expected sign 3f… over: amount=1&…');
 */
export class ProviderError extends Error {
  readonly expected = true;

  constructor(
    message: string,
    /** Kept for the journal only: e.g. the string the sandbox expected to be signed. */
    readonly note?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
