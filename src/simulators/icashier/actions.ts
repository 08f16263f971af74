import type { Merchant } from '../../core/domain.js';

/**
 * 请求方式 `action` (§3.1.3): three channels, each needing its own trading
 * permission, and `Arbi`, where the payer picks one of the merchant's channels.
 */
export const CHANNELS = ['Bank', 'WeiXin', 'AliPay'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ACTIONS = [...CHANNELS, 'Arbi'] as const;
export type Action = (typeof ACTIONS)[number];

export const isChannel = (value: unknown): value is Channel => CHANNELS.includes(value as Channel);

/** Labels on the hosted pages; "Bank:银联" (§3.1.3). */
export const CHANNEL_LABEL: Record<Channel, string> = {
  Bank: '银联支付',
  WeiXin: '微信支付',
  AliPay: '支付宝支付',
};

/**
 * The product scenarios match on: `icashier.bank`, `icashier.weixin`,
 * `icashier.alipay`, `icashier.arbi`, with `.bindcard` appended in bind-card
 * mode (`icashier.*.bindcard`, `icashier.bank*`).
 */
export function productOf(action: Action, bindCard: boolean): string {
  return `icashier.${action.toLowerCase()}${bindCard ? '.bindcard' : ''}`;
}

/** What a merchant may do: `settings.actions` and `settings.bindCard`. */
export interface Permissions {
  channels: Channel[];
  bindCard: boolean;
}

/**
 * Reads a merchant's permissions. A merchant added without `settings.actions`
 * (admin API, merchants.json) has all three channels, so it works at once;
 * without `settings.bindCard` it has no 鉴权 permission, which the document
 * says must be opened (§3.1.3 备注).
 */
export function permissionsOf(merchant: Merchant): Permissions {
  const raw = merchant.settings.actions;
  const channels = Array.isArray(raw) ? CHANNELS.filter((channel) => raw.includes(channel)) : [...CHANNELS];
  return { channels, bindCard: merchant.settings.bindCard === true };
}
