import { faker } from '@faker-js/faker/locale/base';
import { cstCompact } from './time-format.js';

/**
 * Only faker's base locale is imported: every value here is built from its string helpers, which need no locale
 * tables. The package root loads every locale (~35 MiB); zh_CN alone held 2 MiB more of heap than base, unused.
 *
 * Realistic generated data for what a provider's answers carry about the payer
 * and the platform: openids, Alipay user ids, prepay ids.
 */
export const payerData = {
  /** A WeChat openid: 28 characters starting with `o`. */
  wechatOpenId(): string {
    return `o${faker.string.alphanumeric(5)}${faker.string.fromCharacters('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 22)}`;
  },
  /** An Alipay buyer user id: 16 digits starting with 2088. */
  alipayUserId(): string {
    return `2088${faker.string.numeric(12)}`;
  },
  /** A WeChat prepay id. */
  wechatPrepayId(now: number): string {
    return `wx${cstCompact(now)}${faker.string.alphanumeric({ length: 18, casing: 'lower' })}`;
  },
  nonce(length = 16): string {
    return faker.string.alphanumeric(length);
  },
  /** Lower-case hexadecimal digits (app ids, token ids). */
  hex(length: number): string {
    return faker.string.hexadecimal({ length, casing: 'lower', prefix: '' });
  },
  /** Decimal digits (trade-number tails). */
  digits(length: number): string {
    return faker.string.numeric(length);
  },
};
