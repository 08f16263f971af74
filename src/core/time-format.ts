/**
 * Provider wire times are China Standard Time (UTC+8, no daylight saving),
 * whatever the machine's time zone; the admin API uses ISO-8601 UTC.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

function parts(ms: number) {
  const d = new Date(ms + CST_OFFSET_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return {
    Y: pad(d.getUTCFullYear(), 4),
    M: pad(d.getUTCMonth() + 1),
    D: pad(d.getUTCDate()),
    h: pad(d.getUTCHours()),
    m: pad(d.getUTCMinutes()),
    s: pad(d.getUTCSeconds()),
  };
}

/** `2026-11-22 14:03:09` in China time. */
export function cstDateTime(ms: number): string {
  const p = parts(ms);
  return `${p.Y}-${p.M}-${p.D} ${p.h}:${p.m}:${p.s}`;
}

/** `20261122140309` in China time. */
export function cstCompact(ms: number): string {
  const p = parts(ms);
  return `${p.Y}${p.M}${p.D}${p.h}${p.m}${p.s}`;
}

export interface CstParseOptions {
  /** What a bare date means: the end of that day (the default: provider "valid until" fields), or its start. */
  bareDate?: 'start' | 'end';
  /** Also `yyyy-mm-ddThh:mi[:ss]` and a time without seconds (a browser's datetime-local input). */
  loose?: boolean;
}

const STRICT = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;
const LOOSE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parses `yyyy-mm-dd hh:mi:ss` (or `yyyy-mm-dd`, meaning the end of that day
 * unless `bareDate` says its start) in China time; undefined when malformed or
 * not a real date (2026-02-31 does not roll over into March).
 */
export function parseCstDateTime(text: string, options: CstParseOptions = {}): number | undefined {
  const match = (options.loose ? LOOSE : STRICT).exec(text.trim());
  if (!match) return undefined;
  const [, Y, M, D, h, m, s] = match;
  const [hour, minute, second] =
    h === undefined ? (options.bareDate === 'start' ? [0, 0, 0] : [23, 59, 59]) : [+h, +m!, s === undefined ? 0 : +s];
  const utc = Date.UTC(+Y!, +M! - 1, +D!, hour, minute, second);
  const check = new Date(utc);
  if (check.getUTCMonth() !== +M! - 1 || check.getUTCDate() !== +D! || hour > 23 || minute > 59 || second > 59) return undefined;
  return utc - CST_OFFSET_MS;
}

/**
 * An ISO-8601 time with an offset (`2026-03-01T10:00:00+08:00`, `…Z`) → epoch
 * ms; undefined without an offset (Date.parse would read it in the machine's
 * own zone) or when it is no time at all.
 */
export function parseOffsetTime(text: string): number | undefined {
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
