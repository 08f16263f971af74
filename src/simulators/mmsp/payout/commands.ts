import type { Context } from 'hono';
import type { SimRecord } from '../../../core/domain.js';
import { isSandboxError } from '../../../core/errors.js';
import { annotate } from '../../../core/exchange.js';
import { sequenceNumber } from '../../../core/numbers.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import type { StoredCard } from '../../../core/store/cards.js';
import { cstCompact } from '../../../core/time-format.js';
import { requireAccount } from './account.js';
import { bankByCnaps, bankNamed } from './banks.js';
import { CMD_BALANCE, CMD_PAYOUT, CMD_QUERY } from './codes.js';
import type { OpenedRequest } from './envelope.js';
import { PayoutError } from './errors.js';
import { BALANCE_RULES, PAYOUT_RULES, QUERY_RULES, readFields } from './fields.js';
import type { PayoutAttributes } from './kind.js';
import { balanceReply, payoutReply, queryReply, SYSTEM_ERROR_PAYSTATE } from './replies.js';
import { effectiveSettings, type PayoutChannel, type PayoutSettings } from './settings.js';

export interface PayoutCommand {
  id: number;
  name: string;
  handle(request: OpenedRequest, sim: SimulatorContext, c: Context): Record<string, unknown>;
}

export const PAYOUT_PRODUCTS = ['payout.card', 'payout.corporate'] as const;

type PayoutFields = ReturnType<typeof readFields<typeof PAYOUT_RULES>>;

/**
 * Checks the payee: the account type, the bank, the 联行号 and, for a test
 * card, its elements (the sandbox's stand-in for the bank's own checks).
 * Returns the test card paid to, if any.
 */
function checkPayee(f: PayoutFields, cards: { get(number: string): StoredCard | undefined }): StoredCard | undefined {
  // §5.1.2 ACCTYPE: "0-借记卡, 1-贷记卡, 2-对公账号, 暂不支持贷记卡".
  if (f.ACCTYPE === '1') throw new PayoutError('ACCOUNT_TYPE', 'ACCTYPE=1贷记卡暂不支持');
  if (f.ACCTYPE === '0' && !/^\d{12,19}$/.test(f.ACCNO)) throw new PayoutError('ACCOUNT_NO', 'ACCNO借记卡卡号应为12至19位数字');
  if (f.ACCTYPE === '2' && f.ACCNO.length < 6) throw new PayoutError('ACCOUNT_NO', 'ACCNO对公账号至少6位数字');
  // §5.1.2 BANKSETTLENO: "对公账户必传".
  if (f.ACCTYPE === '2' && !f.BANKSETTLENO) throw new PayoutError('SETTLE_NO', 'ACCTYPE=2对公账户必须上送BANKSETTLENO（开户行支行联行号）');
  const bank = bankNamed(f.BANKNAME);
  if (!bank) throw new PayoutError('BANK', `${f.BANKNAME}（BANKNAME须为开户行全称，见沙箱支持银行列表）`);
  if (f.BANKSETTLENO) {
    const settleBank = bankByCnaps(f.BANKSETTLENO);
    if (!settleBank) throw new PayoutError('SETTLE_BANK', `联行号${f.BANKSETTLENO}的银行代码${f.BANKSETTLENO.slice(0, 3)}未知`);
    if (settleBank !== bank) throw new PayoutError('SETTLE_BANK', `联行号${f.BANKSETTLENO}属于${settleBank.name}，不是${bank.name}`);
  }
  if (f.ACCTYPE !== '0') return undefined;
  const card = cards.get(f.ACCNO);
  if (!card) return undefined;
  if (card.type === 'credit') throw new PayoutError('ACCOUNT_TYPE', `卡号${f.ACCNO}是贷记卡，暂不支持`);
  if (bankNamed(card.bank) !== bank) throw new PayoutError('BANK_NAME', `卡号${f.ACCNO}的开户行是${card.bank}`);
  if (f.ACCNAME !== card.holder) throw new PayoutError('MISMATCH', 'ACCNAME与卡号户名不符');
  if (f.IDCARD && f.IDCARD.toUpperCase() !== card.idNumber) throw new PayoutError('IDENTITY', 'IDCARD与卡号持卡人身份证号不符');
  return card;
}

/** HHmmss of the China time `now` inside [begin, end]; a window ending before it begins runs over midnight. */
export function insideWindow(now: number, channel: PayoutChannel): boolean {
  const t = cstCompact(now).slice(8);
  return channel.beginAt <= channel.endAt ? t >= channel.beginAt && t <= channel.endAt : t >= channel.beginAt || t <= channel.endAt;
}

/** The merchant's own conditions: settings, channel, time window, limits (代付 §5.3.3 notes 5, 6, 13). */
function checkMerchant(f: PayoutFields, settings: PayoutSettings, merchantId: string, now: number): void {
  if (settings.suspended) throw new PayoutError('SUSPENDED');
  const channel = settings.channel;
  if (channel === false) throw new PayoutError('NO_CHANNEL');
  if (f.CHLNO && f.CHLNO !== channel.channelNo) throw new PayoutError('NO_CHANNEL', `CHLNO ${f.CHLNO}不是商户的代付渠道（${channel.channelNo}）`);
  const channelMerchant = channel.channelMerchantNo ?? merchantId;
  if (f.CHLMERNO && f.CHLMERNO !== channelMerchant) throw new PayoutError('NO_CHANNEL', `CHLMERNO ${f.CHLMERNO}不是商户的代付商户号（${channelMerchant}）`);
  if (settings.fee === null) throw new PayoutError('NO_FEE');
  for (const element of settings.requiredElements) {
    if (!f[element]) throw new PayoutError('ELEMENTS', `渠道要求上送${element}`);
  }
  if (f.PAYTYPE === '3' && settings.merchantType === 'T1') throw new PayoutError('NO_ADVANCE', 'T1商户没有垫资代付余额');
  if (!insideWindow(now, channel)) throw new PayoutError('CLOSED', `渠道代付时间为${channel.beginAt}至${channel.endAt}`);
  const amount = Number(f.AMT);
  if (amount < channel.limitDown || amount > channel.limitTop) {
    throw new PayoutError('LIMIT', `渠道单笔代付限额${channel.limitDown}至${channel.limitTop}分`);
  }
}

const FAILING_CARD = '收款账户状态异常，银行退回';

/** 5.1 单笔代付 (CMDID 4097). */
function payout(request: OpenedRequest, sim: SimulatorContext, c: Context) {
  const f = readFields(PAYOUT_RULES, request.plaintext);
  const { merchant } = request;
  annotate(c, { orderNo: f.ORDERNO });
  // A used ORDERNO first: a merchant re-sending after a timeout learns the payout exists, whatever else changed since.
  if (sim.store.records.findByNumber('mmsp', 'payout', merchant.merchantId, f.ORDERNO)) throw new PayoutError('DUPLICATE', `ORDERNO ${f.ORDERNO}`);
  const card = checkPayee(f, sim.store.cards);
  const settings = effectiveSettings(merchant);
  checkMerchant(f, settings, merchant.merchantId, sim.clock.now());

  const attributes: PayoutAttributes = {
    fields: Object.fromEntries(Object.entries(f).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    fee: settings.fee!,
    source: f.PAYTYPE === '3' ? 'advance' : 'balance',
    reviewMs: Math.round(settings.reviewSeconds * 1000),
    processingMs: Math.round(settings.processingSeconds * 1000),
    failReason: card?.behaviour === 'payout-fails' ? FAILING_CARD : null,
  };
  // One transaction: opening the account, the payout, its reservation (the kind's effect) and its timers.
  // Anything refused inside rolls all of it back.
  const { record, outcome } = sim.records.tx(() => {
    const account = requireAccount(sim, merchant);
    if (account.state === 'frozen') throw new PayoutError('ACCOUNT_FROZEN', '资金户已冻结');
    let created;
    try {
      created = sim.records.create({
        provider: 'mmsp',
        kind: 'payout',
        merchantId: merchant.merchantId,
        number: f.ORDERNO,
        // BSORDERNO: the example's 16 digits, yyyyMMdd + a sequence (string(14) in the table, MMSP-9).
        platformNumber: (sequence, now) => sequenceNumber(now, sequence, { length: 16, stamp: 'date' }),
        parentId: account.id,
        product: f.ACCTYPE === '2' ? 'payout.corporate' : 'payout.card',
        amount: Number(f.AMT),
        attributes: attributes as unknown as Record<string, unknown>,
        match: { card: f.ACCNO },
      });
    } catch (error) {
      if (isSandboxError(error, 'DUPLICATE_RECORD')) throw new PayoutError('DUPLICATE', `ORDERNO ${f.ORDERNO}`);
      throw error;
    }
    const payout = created.record;
    if (attributes.failReason && !payout.scenarioState.scripted) {
      // A state has one timer (processing → paid); the bank's refusal of this card is its own job.
      sim.records.schedule(payout.id, payout.createdAt + attributes.reviewMs + attributes.processingMs, 'failed', 'processing');
    }
    return created;
  });
  annotate(c, { record, kind: 'create' });
  // 代付 §6.2 注2: 0001 — whatever PAYSTATE says, the merchant must query.
  if (outcome === 'error') throw new PayoutError('SYSTEM', undefined, { ORDERNO: record.number, ...SYSTEM_ERROR_PAYSTATE });
  return payoutReply(record, sim.clock.now());
}

/** 5.2 单笔代付结果查询 (CMDID 4098): by ORDERNO, or BSORDERNO; both must name the same payout when both are sent. */
function query(request: OpenedRequest, sim: SimulatorContext, c: Context) {
  const f = readFields(QUERY_RULES, request.plaintext);
  const { merchantId } = request.merchant;
  if (!f.ORDERNO && !f.BSORDERNO) throw new PayoutError('NO_NUMBERS');
  let record: SimRecord | undefined;
  if (f.ORDERNO) {
    annotate(c, { orderNo: f.ORDERNO });
    record = sim.store.records.findByNumber('mmsp', 'payout', merchantId, f.ORDERNO);
    if (!record) throw new PayoutError('NO_ORDER', f.ORDERNO, { ORDERNO: f.ORDERNO });
    if (f.BSORDERNO && f.BSORDERNO !== record.platformNumber) {
      throw new PayoutError('NO_PLATFORM_NO', `${f.BSORDERNO}（ORDERNO ${f.ORDERNO}的平台代付单号是另一个）`, { ORDERNO: f.ORDERNO });
    }
  } else {
    const found = sim.store.records.findByPlatformNumber('mmsp', 'payout', f.BSORDERNO!);
    // Another merchant's payout does not exist for this one.
    if (!found || found.merchantId !== merchantId) throw new PayoutError('NO_PLATFORM_NO', f.BSORDERNO!, { BSORDERNO: f.BSORDERNO! });
    record = found;
  }
  annotate(c, { record, kind: 'query' });
  if (sim.records.consumeQueryError(record.id)) {
    throw new PayoutError('SYSTEM', undefined, { ORDERNO: record.number, BSORDERNO: record.platformNumber, ...SYSTEM_ERROR_PAYSTATE });
  }
  return queryReply(record, sim.clock.now());
}

/** 5.3 账户余额查询 (CMDID 4099). */
function balance(request: OpenedRequest, sim: SimulatorContext, c: Context) {
  const f = readFields(BALANCE_RULES, request.plaintext);
  annotate(c, { orderNo: f.ORDERNO });
  const account = requireAccount(sim, request.merchant);
  return balanceReply(account, effectiveSettings(request.merchant), f.ORDERNO, sim.clock.now());
}

export const PAYOUT_COMMANDS: PayoutCommand[] = [
  { id: CMD_PAYOUT, name: '4097 单笔代付', handle: payout },
  { id: CMD_QUERY, name: '4098 代付查询', handle: query },
  { id: CMD_BALANCE, name: '4099 余额查询', handle: balance },
];

