import type { Context } from 'hono';
import { ADMIN_ERRORS, type AdminErrorCode } from './errors.js';

/** The admin API's one error shape: `{"error": {"code", "message"}}`, its status from the catalogue. */
export function adminError(c: Context, code: AdminErrorCode, message: string = ADMIN_ERRORS[code].meaning) {
  return c.json({ error: { code, message } }, ADMIN_ERRORS[code].status);
}

/** Reads a JSON body; undefined when it is not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function limitParam(c: Context, fallback: number): number {
  const raw = Number(c.req.query('limit'));
  return Number.isInteger(raw) && raw > 0 ? Math.min(raw, 5000) : fallback;
}
