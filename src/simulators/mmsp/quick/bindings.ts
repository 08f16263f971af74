import type { Merchant, Order, SimRecord } from '../../../core/domain.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { BusinessError } from '../errors.js';
import { bindId, bindingAttributes, type BindingAttributes } from './attributes.js';

/** Every binding of a merchant in `state` (a sandbox holds few). */
function bindingsOf(sim: SimulatorContext, merchantId: string, state: string): SimRecord[] {
  const found: SimRecord[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = sim.store.records.list({ provider: 'mmsp', kind: 'binding', merchantId, state, limit: 1000, offset });
    found.push(...page);
    if (page.length < 1000) return found;
  }
}

/** The user's active binding of this card, if there is one. */
export function activeBinding(sim: SimulatorContext, merchantId: string, userId: string, cardNo: string): SimRecord | undefined {
  return bindingsOf(sim, merchantId, 'active').find((binding) => {
    const attributes = bindingAttributes(binding);
    return attributes.userId === userId && attributes.cardNo === cardNo;
  });
}

/** The user's active bindings, oldest first. */
export function userBindings(sim: SimulatorContext, merchantId: string, userId: string): SimRecord[] {
  return bindingsOf(sim, merchantId, 'active')
    .filter((binding) => bindingAttributes(binding).userId === userId)
    .reverse();
}

/** A bind-mode-B binding still waiting for 774, by the LIST_ID its 781 answered. */
export function pendingBindingByListId(sim: SimulatorContext, merchantId: string, listId: string): SimRecord | undefined {
  return bindingsOf(sim, merchantId, 'pending').find((binding) => bindingAttributes(binding).listId === listId);
}

/**
 * Creates a binding (pending until its payment or its 774 confirms it). Its
 * number is the MERORDERID of the request that asked for it; its platform
 * number is the BIND_ID.
 */
export function createBinding(
  sim: SimulatorContext,
  merchantId: string,
  number: string,
  attributes: BindingAttributes,
  parent: Order | null = null,
): SimRecord {
  return sim.records.create({
    provider: 'mmsp',
    kind: 'binding',
    merchantId,
    number,
    platformNumber: bindId,
    parentId: parent?.id ?? null,
    attributes: attributes as unknown as Record<string, unknown>,
  }).record;
}

/**
 * Finds the binding a BIND_ID names for this merchant and user. Unknown, or
 * another merchant's: B1 签约序列号不存在 (another merchant learns nothing);
 * another user's: B2; not active (pending, failed, unbound): B3.
 */
export function findBinding(
  sim: SimulatorContext,
  merchant: Merchant,
  id: string,
  options: { userId?: string; fields?: Record<string, unknown>; active?: boolean } = {},
): SimRecord {
  const fields = options.fields ?? {};
  const binding = sim.store.records.findByPlatformNumber('mmsp', 'binding', id);
  if (!binding || binding.merchantId !== merchant.merchantId) throw new BusinessError('BIND_UNKNOWN', undefined, fields);
  if (options.userId !== undefined && bindingAttributes(binding).userId !== options.userId) {
    throw new BusinessError('BIND_USER', undefined, fields);
  }
  if ((options.active ?? true) && binding.state !== 'active') throw new BusinessError('BIND_INACTIVE', undefined, fields);
  return binding;
}
