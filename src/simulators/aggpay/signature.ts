import { md5Hex } from '../../core/crypto/md5.js';

/**
 * 综合支付平台 §4 签名规则: every parameter but `sign`, plus `secret=SECRET`,
 * sorted by key ("自然排序", PHP ksort), joined as `k=v&k=v` with raw values
 * ("url不用encode"), MD5 in lower case. The two directions differ in one thing:
 * a request drops empty values ("去除空值"); a callback keeps them ("不删除空值",
 * so an empty attach is signed as `attach=`).
 */
export function signingString(params: Record<string, string>, secret: string, keepEmpty: boolean): string {
  return Object.entries({ ...params, secret })
    .filter(([key, value]) => key !== 'sign' && (keepEmpty || value !== ''))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** The sign of a merchant's request (unified order, order query): empty values removed. */
export const requestSign = (params: Record<string, string>, secret: string) =>
  md5Hex(signingString(params, secret, false));

/** The sign of what the platform sends (notification, sync return): empty values kept (PROVIDERS.md AGG-4). */
export const callbackSign = (params: Record<string, string>, secret: string) =>
  md5Hex(signingString(params, secret, true));
