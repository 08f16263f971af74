import { z } from 'zod';
import { recordToOrder, type Merchant, type Order } from '../../core/domain.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { BODY_CODES } from './codes.js';
import { BusinessError } from './errors.js';
import { optional, parseFields, text } from './fields.js';

/**
 * The batch queries of paid orders, quick pay's 777 (快捷 §5.9) and the
 * gateway's 782 (网关 §5.4), which share their rules: only paid orders (STATUS
 * 1), at most PERPAGE <= 1000 per page (default 10), only dates within three
 * months before now, STATUS 0 when nothing matches.
 */
export const MAX_PERPAGE = 1000;
export const DEFAULT_PERPAGE = 10;
const WINDOW_MONTHS = 3;
const CST_OFFSET_MS = 8 * 3600 * 1000;

/**
 * START_DATE / END_DATE: the table says `YYYYMMDDHH` (string(14)) and the
 * examples send `20170926` (PROVIDERS.md MMSP-13): 8, 10 or 14 digits, China
 * time. A start means the beginning of what it names, an end its last second.
 */
export function parseBatchDate(value: string, end: boolean): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(?:(\d{2})(\d{2}))?)?$/.exec(value);
  if (!match) return undefined;
  const [, Y, M, D, h, m, s] = match;
  const hour = h ?? (end ? '23' : '00');
  const minute = m ?? (end ? '59' : '00');
  const second = s ?? (end ? '59' : '00');
  const utc = Date.UTC(+Y!, +M! - 1, +D!, +hour, +minute, +second);
  const check = new Date(utc);
  if (check.getUTCMonth() !== +M! - 1 || check.getUTCDate() !== +D! || +hour > 23 || +minute > 59 || +second > 59) return undefined;
  return utc - CST_OFFSET_MS + (end ? 999 : 0);
}

const batchDate = () => text(14).refine((value) => parseBatchDate(value, false) !== undefined, '格式必须为YYYYMMDD、YYYYMMDDHH或YYYYMMDDHHmmss');
const digits = () => text(10).refine((value) => /^\d+$/.test(value), '必须为数字');

export const batchSchema = z.looseObject({
  START_DATE: batchDate(),
  END_DATE: batchDate(),
  // "必须" but "默认10条": a missing PERPAGE is 10.
  PERPAGE: optional(digits()),
  PAGE: digits(),
});

/** The first instant a batch may ask about: the start of the China day three months before now. */
export function windowStart(now: number): number {
  const d = new Date(now + CST_OFFSET_MS);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - WINDOW_MONTHS, d.getUTCDate());
  return start - CST_OFFSET_MS;
}

/** The merchant's paid orders of one family, paid within [from, to], oldest payment first. */
function paidOrders(sim: SimulatorContext, merchant: Merchant, family: string, from: number, to: number): Order[] {
  const found: Order[] = [];
  for (let offset = 0; ; offset += 1000) {
    const records = sim.store.records.list({
      provider: 'mmsp',
      kind: 'order',
      merchantId: merchant.merchantId,
      state: 'paid',
      to,
      limit: 1000,
      offset,
    });
    for (const record of records) {
      const paidAt = record.completedAt;
      if (record.attributes.family === family && paidAt !== null && paidAt >= from && paidAt <= to) {
        found.push(recordToOrder(record));
      }
    }
    if (records.length < 1000) break;
  }
  return found.sort((a, b) => a.paidAt! - b.paidAt! || a.id - b.id);
}

/**
 * Answers a batch query: BIZ_CONTENT (an array of `item(order)`), PERPAGE,
 * PAGE, TOTAL_NUM, TOTAL_PAGE. Paging outside its bounds (PERPAGE above 1000 or
 * 0, PAGE 0, START_DATE after END_DATE or before the three-month window) is
 * refused with STATUS 2 / ERRCODE 30 (PROVIDERS.md BATCH-LIMITS).
 */
export function batchQuery(
  sim: SimulatorContext,
  merchant: Merchant,
  body: Record<string, unknown>,
  family: string,
  item: (order: Order) => Record<string, unknown>,
): Record<string, unknown> {
  const fields = parseFields(batchSchema, body);
  const perPage = fields.PERPAGE === undefined ? DEFAULT_PERPAGE : Number(fields.PERPAGE);
  const page = Number(fields.PAGE);
  const start = parseBatchDate(fields.START_DATE, false)!;
  const end = parseBatchDate(fields.END_DATE, true)!;
  const paging = { PERPAGE: String(perPage), PAGE: String(page) };
  const refuse = (detail: string) => {
    throw new BusinessError('QUERY_RANGE', `${BODY_CODES.QUERY_RANGE.text}：${detail}`, {
      BIZ_CONTENT: [],
      ...paging,
      TOTAL_NUM: '0',
      TOTAL_PAGE: '0',
    });
  };
  if (perPage < 1 || perPage > MAX_PERPAGE) refuse(`PERPAGE必须在1到${MAX_PERPAGE}之间`);
  if (page < 1) refuse('PAGE必须大于等于1');
  if (start > end) refuse('START_DATE不能晚于END_DATE');
  if (start < windowStart(sim.clock.now())) refuse(`只能查询截止当前时间${WINDOW_MONTHS}个月之内的数据`);

  const orders = paidOrders(sim, merchant, family, start, end);
  const rows = orders.slice((page - 1) * perPage, page * perPage);
  const totals = { TOTAL_NUM: String(orders.length), TOTAL_PAGE: String(Math.ceil(orders.length / perPage)) };
  if (rows.length === 0) {
    return { STATUS: '0', ERRCODE: BODY_CODES.NO_DATA.code, ERRMSG: BODY_CODES.NO_DATA.text, BIZ_CONTENT: [], ...paging, ...totals };
  }
  return { STATUS: '1', BIZ_CONTENT: rows.map(item), ...paging, ...totals };
}
