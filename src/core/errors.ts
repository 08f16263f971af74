/**
 * The engine's internal errors, one catalogue with stable codes. A simulator
 * catches them and answers in its provider's own wire format; they never reach
 * a merchant as they are.
 */
export const ERROR_CODES = {
  DUPLICATE_ORDER: 'the merchant order number is already used',
  DUPLICATE_REFUND: 'the merchant refund number is already used',
  INVALID_TRANSITION: 'the order is not in a state that allows this',
  REFUND_EXCEEDS: 'the refund exceeds the amount left to refund',
  NOT_REFUNDABLE: 'the order is not paid, so it cannot be refunded',
  ORDER_NOT_FOUND: 'no such order',
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

export function isSandboxError(error: unknown, code?: ErrorCode): error is SandboxError {
  return error instanceof SandboxError && (code === undefined || error.code === code);
}
