import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error the admin API answers, one catalogue: the code (stable, part of
 * the external contract), its HTTP status, and what it means.
 */
export const ADMIN_ERRORS = {
  INVALID_JSON: { status: 400, meaning: 'the request body is not JSON (or not the JSON object the route takes)' },
  INVALID_MERCHANT: { status: 400, meaning: 'a merchant definition is invalid; the message names the field' },
  INVALID_CARD: { status: 400, meaning: 'a test card is invalid; the message names the field' },
  INVALID_SCENARIO: { status: 400, meaning: 'a scenario is invalid or can never match; the message names the field' },
  INVALID_SECONDS: { status: 400, meaning: 'clock advance takes {"seconds": n} within the allowed range' },
  INVALID_QUERY: { status: 400, meaning: 'a query parameter is malformed; the message names it' },
  INVALID_AMOUNT: { status: 400, meaning: 'an amount must be a positive integer of fen' },
  NOT_FLAT: { status: 400, meaning: 'the provider\'s requests are not flat forms (?format=form)' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'admin writes take Content-Type: application/json' },
  UNAUTHORIZED: { status: 401, meaning: 'this route needs Authorization: Bearer $SIM_ADMIN_TOKEN' },
  FOREIGN_ORIGIN: { status: 403, meaning: 'a write from another web origin is refused' },
  FOREIGN_HOST: { status: 403, meaning: 'without SIM_ADMIN_TOKEN, /_sim and the dashboard answer only requests addressed to a loopback name or PUBLIC_URL\'s host (DNS rebinding)' },
  NOT_FOUND: { status: 404, meaning: 'no such admin route' },
  UNKNOWN_PROVIDER: { status: 404, meaning: 'no such provider (or it has no such tool)' },
  UNKNOWN_ACTION: { status: 404, meaning: 'payer actions are pay, fail and close' },
  ORDER_NOT_FOUND: { status: 404, meaning: 'no such order' },
  RECORD_NOT_FOUND: { status: 404, meaning: 'no such record (GET /_sim/records/{id})' },
  ACCOUNT_NOT_FOUND: { status: 404, meaning: 'the provider keeps no account for that merchant' },
  CARD_NOT_FOUND: { status: 404, meaning: 'no such user-added test card' },
  CERTIFICATE_NOT_FOUND: { status: 404, meaning: 'the provider hands out no platform certificate' },
  MERCHANT_NOT_FOUND: { status: 404, meaning: 'no such merchant' },
  NOTIFICATION_NOT_FOUND: { status: 404, meaning: 'no such notification' },
  SCENARIO_NOT_FOUND: { status: 404, meaning: 'no such scenario' },
  REQUEST_NOT_FOUND: { status: 404, meaning: 'no such request in the journal (it may have been trimmed)' },
  KEY_NOT_FOUND: { status: 404, meaning: 'the provider or merchant has no such key or certificate' },
  NEXT_SCENARIO_NOT_SET: { status: 404, meaning: 'no scenario is chosen for that merchant\'s next order' },
  AMBIGUOUS_ORDER: { status: 409, meaning: 'several merchants have that order number: add ?merchantId=' },
  INVALID_TRANSITION: { status: 409, meaning: 'the record\'s state does not allow the action' },
  SCENARIO_EXISTS: { status: 409, meaning: 'a scenario with that id exists' },
  NOT_REFUNDABLE: { status: 409, meaning: 'the order is not paid, or the amount is more than is left to refund' },
  SCENARIO_READ_ONLY: { status: 409, meaning: 'built-in and file scenarios cannot be changed through the API' },
  NOTHING_TO_DIAGNOSE: { status: 422, meaning: 'the request carries no signature the provider checks (or no provider reads it)' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'the admin request body is over the limit' },
  INTERNAL: { status: 500, meaning: 'a fault of the sandbox itself' },
} as const satisfies Record<string, { status: ContentfulStatusCode; meaning: string }>;

export type AdminErrorCode = keyof typeof ADMIN_ERRORS;
