import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The admin API's one error shape: `{"error": {"code", "message"}}`. */
export function adminError(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
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
