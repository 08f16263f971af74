import type { Context } from 'hono';
import { recordToOrder, type Order, type SimRecord } from './domain.js';
import { isSandboxError } from './errors.js';
import { annotate } from './exchange.js';
import { orderRecordInput, type CreateOrderInput } from './payments.js';
import type { CreateRecordInput, Records } from './records.js';
import type { ProviderErrors } from './simulator.js';
import type { Store } from './store/index.js';
import type { UrlGuard } from './url-guard.js';

export interface CreateDeps {
  records: Records;
  store: Store;
  errors: ProviderErrors;
  urls: UrlGuard;
}

/**
 * The one way a provider creates what a merchant asked for: a used number
 * answers the provider's duplicate error (which may describe the existing
 * record), a scripted system error (magic amount 2004) answers its system
 * error although the record exists, and the request is annotated with the
 * record for the journal and the scenario's HTTP effects.
 */
export function createRecord(c: Context, deps: CreateDeps, input: CreateRecordInput): SimRecord {
  // A URL the sandbox would call (or send a browser to) that is the sandbox itself is refused before anything is stored.
  for (const [field, url] of [
    ['notifyUrl', input.notifyUrl],
    ['returnUrl', input.returnUrl],
  ] as const) {
    const refused = url ? deps.urls.refusal(url) : null;
    if (refused) throw deps.errors.badField(field, `${url}: ${refused}`);
  }
  let created;
  try {
    created = deps.records.create(input);
  } catch (error) {
    if (isSandboxError(error, ['DUPLICATE_ORDER', 'DUPLICATE_REFUND', 'DUPLICATE_RECORD'])) {
      const existing = deps.store.records.findByNumber(input.provider, input.kind, input.merchantId, input.number)!;
      throw deps.errors.duplicate(existing);
    }
    throw error;
  }
  const { record, outcome } = created;
  if (record.kind === 'order') annotate(c, { order: recordToOrder(record), kind: 'create' });
  else annotate(c, { record, kind: 'create' });
  if (outcome === 'error') throw deps.errors.system(record);
  return record;
}

/** {@link createRecord} for a payment order, with the order's own input. */
export function placeOrder(c: Context, deps: CreateDeps, input: CreateOrderInput): Order {
  return recordToOrder(createRecord(c, deps, orderRecordInput(input)));
}
