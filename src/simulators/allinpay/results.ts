import type { Merchant, Order } from '../../core/domain.js';
import type { KeyPairPem } from '../../core/simulator.js';
import { cstCompact } from '../../core/time-format.js';
import { allinpayAttributes, succeeded } from './attributes.js';
import { payAmountFen } from './currency.js';
import { RESULT_FIELDS, type Fields } from './fields.js';
import { charsetOf } from './request.js';
import { signFields, type ReplySigner } from './signature.js';

/**
 * The payment result of §2.2.3 — the notification to receiveUrl, the browser's
 * return to pickupUrl and the single query's answer (§3.2 "接口与支付结果返回接口
 * 完全相同") — in the table's order. Empty fields are left out, as the real
 * gateway's notifications do (language, issuerId, ext1, ext2 and errorCode
 * absent in a 2018 test-gateway capture, research brief §5).
 */
export function resultFields(order: Order, now: number, signType?: string): Fields {
  const attributes = allinpayAttributes(order)!;
  const paid = succeeded(order.state);
  const fields: Fields = {
    merchantId: order.merchantId,
    version: attributes.version,
    language: attributes.language ?? '',
    signType: signType ?? attributes.signType,
    // "返回用户在实际支付时所使用的支付方式": the order's (00 read as 0).
    payType: attributes.payType,
    issuerId: attributes.issuerId ?? '',
    paymentOrderId: order.platformOrderNo,
    orderNo: order.orderNo,
    orderDatetime: attributes.orderDatetime,
    orderAmount: String(order.amount),
    payDatetime: order.paidAt === null ? '' : cstCompact(order.paidAt),
    // "用户实际支付币种为人民币…以分为单位".
    payAmount: paid ? String(payAmountFen(order.amount, attributes.orderCurrency)) : '',
    ext1: attributes.ext1 ?? '',
    ext2: attributes.ext2 ?? '',
    payResult: paid ? '1' : '0',
    errorCode: '',
    returnDatetime: cstCompact(now),
  };
  return fields;
}

/** Who signs an answer: the merchant's MD5 key (signType 0) or the platform certificate's key (signType 1). */
export function signerFor(merchant: Merchant, platformKeys: KeyPairPem | null, signType: string, charset?: string): ReplySigner {
  return { signType, md5Key: merchant.md5Key ?? '', privateKey: platformKeys?.privateKey ?? null, charset: charset ?? null };
}

/** The result fields with their signMsg. */
export function signedResult(order: Order, merchant: Merchant, platformKeys: KeyPairPem | null, now: number, signType?: string): Fields {
  const fields = resultFields(order, now, signType);
  const charset = charsetOf(allinpayAttributes(order)!.inputCharset);
  return { ...fields, signMsg: signFields(fields, RESULT_FIELDS, signerFor(merchant, platformKeys, fields.signType!, charset)) };
}

/** The non-empty result fields in table order, signMsg last: the form a notification and the browser return carry. */
export function resultForm(signed: Fields): Record<string, string> {
  const form: Record<string, string> = {};
  for (const name of [...RESULT_FIELDS, 'signMsg']) if (signed[name]) form[name] = signed[name]!;
  return form;
}
