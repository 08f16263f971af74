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

/**
 * Parses `yyyy-mm-dd hh:mi:ss` (or `yyyy-mm-dd`, meaning the end of that day)
 * in China time; undefined when malformed or not a real date.
 */
export function parseCstDateTime(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, Y, M, D, h = '23', m = '59', s = '59'] = match;
  const utc = Date.UTC(+Y!, +M! - 1, +D!, +h, +m, +s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== +M! - 1 || check.getUTCDate() !== +D! || +h > 23 || +m > 59 || +s > 59) return undefined;
  return utc - CST_OFFSET_MS;
}

export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
