import type { SimRecord } from '../../../core/domain.js';
import { cstCompact } from '../../../core/time-format.js';
import { balancesOf } from './account.js';
import { CMD_BALANCE, CMD_QUERY, PAYSTATE, RETCODES } from './codes.js';
import { payoutAttributes } from './kind.js';
import type { PayoutSettings } from './settings.js';

/**
 * Answer plaintexts. Every value is a JSON string, as in the document's only
 * answer example (§5.1.4: `"PAYSTATE": "2"`, `"AMT": "100"`), though the
 * tables type some as int; ACCINFO is an array of objects (MMSP-11).
 */

/**
 * The message field's name differs per table (MMSP-8): RETMSG (5.1.3), REMSG
 * (5.2.3), RETMMSG (5.3.3). Answers carry the table's spelling and RETMSG.
 */
export function messageFields(commandId: number | undefined, message: string): Record<string, string> {
  if (commandId === CMD_QUERY) return { REMSG: message, RETMSG: message };
  if (commandId === CMD_BALANCE) return { RETMMSG: message, RETMSG: message };
  return { RETMSG: message };
}

/** What a 0001 answer says about PAYSTATE: deliberately "failed", which it need not be (§6.2 注2: ignore it and query). */
export const SYSTEM_ERROR_PAYSTATE = { PAYSTATE: PAYSTATE.failed!.code, DESC: '系统异常，结果未知，请发起代付查询' };

function stateOf(record: SimRecord, answer: 'submit' | 'query'): { PAYSTATE: string; DESC: string } {
  // The 4097 table knows only 1, 2 and 3 (and its example answers 2): awaiting review is "paying" there.
  if (record.state === 'accepted' && answer === 'submit') return { PAYSTATE: PAYSTATE.processing!.code, DESC: '代付请求已受理，付款中' };
  const state = PAYSTATE[record.state] ?? PAYSTATE.processing!;
  if (record.state === 'failed') return { PAYSTATE: state.code, DESC: `${state.text}：${payoutAttributes(record).failReason ?? '银行处理失败'}` };
  return { PAYSTATE: state.code, DESC: state.text };
}

/** 5.1.3 单笔代付 answer (with ACCNAME, AMT and ACCNO, as the example shows). */
export function payoutReply(record: SimRecord, now: number): Record<string, string> {
  const { fields } = payoutAttributes(record);
  return {
    RETCODE: RETCODES.OK.code,
    RETMSG: RETCODES.OK.text,
    MERNO: record.merchantId,
    ORDERNO: record.number,
    BSORDERNO: record.platformNumber,
    ...stateOf(record, 'submit'),
    AMT: String(record.amount),
    ACCNAME: fields.ACCNAME ?? '',
    ACCNO: fields.ACCNO ?? '',
    RSPTIME: cstCompact(now),
  };
}

/** 5.2.3 单笔代付结果查询 answer. */
export function queryReply(record: SimRecord, now: number): Record<string, string> {
  const { fields } = payoutAttributes(record);
  const optional: Record<string, string> = {};
  if (fields.MOBILE) optional.MOBILE = fields.MOBILE;
  if (fields.BANKNAME) optional.BANKNAME = fields.BANKNAME;
  if (fields.BANKSETTLENO) optional.BANKSETTLENO = fields.BANKSETTLENO;
  // The table's BANKBRACHNONAME (sic), and the request's spelling (MMSP-8).
  if (fields.BANKBRANCHNAME) Object.assign(optional, { BANKBRACHNONAME: fields.BANKBRANCHNAME, BANKBRANCHNAME: fields.BANKBRANCHNAME });
  return {
    RETCODE: RETCODES.OK.code,
    ...messageFields(CMD_QUERY, RETCODES.OK.text),
    MERNO: record.merchantId,
    ORDERNO: record.number,
    BSORDERNO: record.platformNumber,
    ...stateOf(record, 'query'),
    AMT: String(record.amount),
    CURTYPE: '1',
    ACCNAME: fields.ACCNAME ?? '',
    ACCNO: fields.ACCNO ?? '',
    BUSIYPE: fields.BUSIYPE ?? '001',
    MEMO: fields.MEMO ?? '',
    ...optional,
    RSPTIME: cstCompact(now),
  };
}

/**
 * 5.3.3 账户余额查询 answer: one ACCINFO group, the merchant's one channel.
 * ISCHARGE and MERTYPE follow the table, not the swapped notes 9/10 (MMSP-11).
 */
export function balanceReply(account: SimRecord, settings: PayoutSettings, serialNo: string, now: number): Record<string, unknown> {
  const b = balancesOf(account);
  const channel = settings.channel === false ? undefined : settings.channel;
  return {
    RETCODE: RETCODES.OK.code,
    ...messageFields(CMD_BALANCE, RETCODES.OK.text),
    MERNO: account.merchantId,
    ORDERNO: serialNo,
    RSPTIME: cstCompact(now),
    ACCINFO: [
      {
        ACCSTATUS: account.state === 'frozen' ? '0' : '1',
        BALANCE: String(b.pending),
        BALANCEPAY: String(b.balance),
        ADVANCEPAY: String(settings.merchantType === 'T1' ? 0 : b.advance),
        FREEZEBAL: String(b.frozen),
        ISCHARGE: '2',
        MERTYPE: settings.merchantType === 'T1' ? '1' : '2',
        CHLNO: channel?.channelNo ?? '',
        CHLMERNO: channel ? (channel.channelMerchantNo ?? account.merchantId) : '',
        LIMIT_DOWN: channel ? String(channel.limitDown) : '',
        LIMIT_TOP: channel ? String(channel.limitTop) : '',
        BEGIN_AT: channel?.beginAt ?? '',
        END_AT: channel?.endAt ?? '',
        HOLIDAYTYPE: channel ? String(channel.holidayType) : '',
        SETTLE_AT: channel ? String(channel.settleAt) : '',
        SETTLE_TYPE: channel?.settleType ?? '',
      },
    ],
  };
}
