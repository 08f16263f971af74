/** `yyyyMMddHHmmss` (or the first `digits` of it) in China time, as the document writes every datetime. */
const CST_OFFSET_MS = 8 * 3600 * 1000;

/**
 * Parses a compact China-time datetime of 10 (`yyyyMMddHH`) or 14 digits;
 * undefined when malformed or not a real date.
 */
export function parseCompact(text: string, lengths: readonly number[] = [14]): number | undefined {
  if (!/^\d+$/.test(text) || !lengths.includes(text.length)) return undefined;
  const [Y, M, D, h, m = 0, s = 0] = [0, 4, 6, 8, 10, 12].map((at) => (at < text.length ? Number(text.slice(at, at + (at === 0 ? 4 : 2))) : undefined));
  const utc = Date.UTC(Y!, M! - 1, D!, h!, m, s);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== Y || check.getUTCMonth() !== M! - 1 || check.getUTCDate() !== D || h! > 23 || m > 59 || s > 59) {
    return undefined;
  }
  return utc - CST_OFFSET_MS;
}

/** The same instant one calendar month earlier, in China time ("一个月以内"). */
export function oneMonthBefore(ms: number): number {
  const d = new Date(ms + CST_OFFSET_MS);
  const target = new Date(d);
  target.setUTCMonth(d.getUTCMonth() - 1);
  // 31 March → 3 March would skip February: clamp to the month's last day.
  if (target.getUTCMonth() === d.getUTCMonth()) target.setUTCDate(0);
  return target.getTime() - CST_OFFSET_MS;
}
