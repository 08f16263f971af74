import type { Order } from '../../core/domain.js';
import type { Action, Channel } from './actions.js';

/** What the cashier keeps on an order beyond the engine's columns (notifyUrl = backurl, returnUrl = fronturl). */
export interface CashierAttributes {
  family: 'icashier';
  action: Action;
  /** For `Arbi`: the channels offered on the chooser page, fixed when the order was placed. */
  choices: Channel[];
  /** For `Arbi`: what the payer picked (set by `page.choose`). */
  channel?: Channel;
  /** Bind-card mode (DMP-4): the masked name and ID number, for the page. */
  bindCard: { accname: string; accno: string } | null;
}

export function cashierAttributes(order: Order): CashierAttributes | undefined {
  return order.attributes.family === 'icashier' ? (order.attributes as unknown as CashierAttributes) : undefined;
}

/** `张三丰` → `*三丰`: the page shows who is paying without repeating the name. */
export const maskName = (name: string) => (name.length <= 1 ? '*' : `*${name.slice(1)}`);

/** `110101199003070011` → `110101********0011`. */
export const maskId = (id: string) => (id.length <= 10 ? id : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`);
