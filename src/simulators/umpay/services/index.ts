import type { ServiceDefinition } from '../service.js';
import { applyPayShortcut } from './apply-pay.js';
import { queryAgreements, queryBanks, unbindAgreement } from './bindings.js';
import { h5Cashier } from './h5.js';
import { confirmPay, smsRequest } from './quick-pay.js';
import { cancelTrade, queryOrder, queryOrderHistory, refundQuery, refundTrade } from './trades.js';

/** Every service the gateway dispatches on (`service`), by name. */
export const SERVICES: ReadonlyMap<string, ServiceDefinition> = new Map(
  [
    applyPayShortcut,
    smsRequest,
    confirmPay,
    unbindAgreement,
    queryAgreements,
    queryBanks,
    queryOrder,
    queryOrderHistory,
    cancelTrade,
    refundTrade,
    refundQuery,
    h5Cashier,
  ].map((service) => [service.name, service]),
);
