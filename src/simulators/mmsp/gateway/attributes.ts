import type { Order } from '../../../core/domain.js';

/** The scenario product of gateway orders. */
export const GATEWAY_PRODUCTS = ['gateway.b2c'] as const;

/** The document states no expiry for a gateway order: 30 minutes, as quick pay's (PROVIDERS.md MMSP-31 REC). */
export const GATEWAY_ORDER_TTL_MS = 30 * 60 * 1000;

/** What the gateway keeps about an order beyond the engine's columns. */
export interface GatewayAttributes {
  family: 'gateway';
  channel: string;
  goodsName?: string;
  remark?: string;
  jumpUrl: string;
  terminalId: string;
  agentNo: string;
  signerId: string;
}

export function gatewayAttributes(order: Pick<Order, 'attributes'>): GatewayAttributes | undefined {
  return order.attributes.family === 'gateway' ? (order.attributes as unknown as GatewayAttributes) : undefined;
}
