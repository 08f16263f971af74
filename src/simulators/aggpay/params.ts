import type { Context } from 'hono';
import { parseForm } from '../../core/codec/charset.js';
import { rawBody } from '../../core/exchange.js';
import { MESSAGES } from './codes.js';
import { AggError } from './errors.js';

/**
 * The request's parameters as strings. §3 says form fields
 * (application/x-www-form-urlencoded) but prints the example as JSON
 * (PROVIDERS.md AGG-2): both are accepted, JSON when the Content-Type says so,
 * and multipart forms too (what PHP's curl sends for an array of fields).
 * GET reads the query string.
 */
export async function readParams(c: Context): Promise<Record<string, string>> {
  if (c.req.method === 'GET') return c.req.query();
  const bytes = await rawBody(c);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if ((c.req.header('content-type') ?? '').includes('application/json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AggError(MESSAGES.BAD_BODY);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new AggError(MESSAGES.BAD_BODY);
    const entries: [string, string][] = [];
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === null || item === undefined) entries.push([key, '']);
      else if (typeof item === 'string' || typeof item === 'number') entries.push([key, String(item)]);
      else throw new AggError(`参数${key}格式错误：必须为字符串`);
    }
    // fromEntries defines own properties: a parameter named __proto__ stays a parameter (it is signed like any other).
    return Object.fromEntries(entries);
  }
  if (/application\/x-www-form-urlencoded/.test(c.req.header('content-type') ?? '')) return parseForm(bytes);
  if (/multipart\/form-data/.test(c.req.header('content-type') ?? '')) {
    const params: Record<string, string> = {};
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      // A multipart body without its boundary, or cut short.
      throw new AggError(MESSAGES.BAD_BODY);
    }
    for (const [key, item] of Object.entries(form)) {
      if (typeof item !== 'string') throw new AggError(`参数${key}格式错误：必须为字符串`);
      params[key] = item;
    }
    return params;
  }
  // No usable Content-Type: read the body as the form the document describes.
  return parseForm(bytes);
}
