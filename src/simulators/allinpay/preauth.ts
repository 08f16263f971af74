import type { Context } from 'hono';
import { annotate } from '../../core/exchange.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { cstCompact } from '../../core/time-format.js';
import { allinpayAttributes } from './attributes.js';
import { PREAUTH_RESULTS } from './codes.js';
import { INTERNATIONAL } from './currency.js';
import { GatewayError } from './errors.js';
import { CANCEL_FIELDS, CONFIRM_FIELDS, type Fields } from './fields.js';
import { AMOUNT } from './order.js';
import { checkOrderKey, checkSignType, findOrder } from './query.js';
import { checkSignature, merchantOf } from './request.js';
import { signerFor } from './results.js';
import { signText } from './signature.js';

type Operation = 'cancel' | 'confirm';

const sameCurrency = (a: string, b: string) => (a === '0' ? '156' : a) === (b === '0' ? '156' : b);

/**
 * §4.1 外卡预授权撤销 (v1.8) and §4.3 确认 (v1.9) of an international card
 * payment's pre-authorisation (kinds.ts PREAUTH). A request that cannot be
 * read or does not name the merchant's order is refused like every gateway
 * request (`ERRORCODE=…`); an order it names is answered in §4.2/§4.4's
 * format, retCode 0000 or the failure: FC0003_000008 for a cancel (§4.2),
 * FC0003_000009 for a confirm (the document names none, "其他").
 */
export function preauthOperation(sim: SimulatorContext, operation: Operation, fields: Fields, c: Context): string {
  const version = operation === 'cancel' ? 'v1.8' : 'v1.9';
  annotate(c, { operation: operation === 'cancel' ? '外卡预授权撤销 v1.8' : '外卡预授权确认 v1.9', orderNo: fields.orderNo });
  const merchant = merchantOf(sim, fields.merchantId);
  annotate(c, { merchantId: merchant.merchantId });
  checkSignType(fields);
  checkOrderKey(fields);
  if (!AMOUNT.test(fields.orderAmount ?? '')) throw new GatewayError('AMOUNT', 'orderAmount须为正整数');
  if (operation === 'confirm' && !AMOUNT.test(fields.confirmAmount ?? '')) throw new GatewayError('AMOUNT', 'confirmAmount须为正整数');
  if (!(INTERNATIONAL as readonly string[]).includes(fields.currency ?? '')) throw new GatewayError('MALFORMED', 'currency须为国际卡支付支持的币种');
  checkSignature(fields, operation === 'cancel' ? CANCEL_FIELDS : CONFIRM_FIELDS, merchant, 'UTF-8', (note) => new GatewayError('SIGN', undefined, note));

  const order = findOrder(sim, merchant, fields, c);
  const attributes = allinpayAttributes(order)!;
  // "必须是页面提交订单时的订单金额".
  if (Number(fields.orderAmount) !== order.amount) throw new GatewayError('AMOUNT', `orderAmount须为下单金额${order.amount}`);
  if (!sameCurrency(fields.currency!, attributes.orderCurrency)) throw new GatewayError('NOT_FOUND', `该订单币种为${attributes.orderCurrency}`);

  const preauth = sim.store.records.children(order.id, 'preauth')[0];
  const failure = operation === 'cancel' ? PREAUTH_RESULTS.CANCEL_FAILED : PREAUTH_RESULTS.CONFIRM_FAILED;
  let result: { code: string; message: string };
  if (!preauth) {
    result = { code: failure.code, message: `${failure.text}：该订单没有外卡预授权` };
  } else if (preauth.state !== 'authorised') {
    result = { code: failure.code, message: `${failure.text}：预授权已${preauth.state === 'cancelled' ? '撤销' : '确认'}` };
  } else if (operation === 'confirm' && Number(fields.confirmAmount) > (preauth.amount ?? 0)) {
    result = { code: failure.code, message: `${failure.text}：确认金额不能大于预授权金额${preauth.amount}` };
  } else {
    annotate(c, { record: preauth });
    sim.records.tx(() => {
      if (operation === 'confirm') sim.records.update(preauth.id, (record) => (record.consumedAmount = Number(fields.confirmAmount)));
      sim.records.transition(preauth.id, operation === 'cancel' ? 'cancelled' : 'confirmed', 'merchant');
    });
    result = { code: PREAUTH_RESULTS.OK.code, message: operation === 'cancel' ? '预授权撤销成功' : '预授权确认成功' };
  }

  // retCode|retMsg|version|signType|merchantId|orderNo|orderDateTime|orderAmount|currency|preAuthId|transDateTime,
  // then "返回串和 signMsg 之间有一个回车" (CRLF, as §3.8's answers), signed as §3.8 signs (ALP-13).
  const line = [
    result.code,
    result.message,
    version,
    fields.signType,
    merchant.merchantId,
    order.orderNo,
    attributes.orderDatetime,
    order.amount,
    fields.currency,
    preauth?.platformNumber ?? '',
    cstCompact(sim.clock.now()),
  ].join('|');
  return `${line}\r\n${signText(line, signerFor(merchant, sim.platformKeys(), fields.signType!))}`;
}
