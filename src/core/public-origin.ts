import type { Context } from 'hono';

/**
 * The sandbox's address as a browser should use it, for hosted-page links and
 * the pay page's QR code: PUBLIC_URL when set, otherwise the origin the
 * request was addressed to — so an order placed at http://localhost:8080 gets
 * links at http://localhost:8080, not at the bound address (127.0.0.1, or
 * 0.0.0.0, which no browser can open). `mainPort`, given for a request that
 * arrived on a provider's own port (SIM_PROVIDER_PORTS), replaces the port:
 * hosted pages live on PORT only.
 */
export function publicOrigin(c: Context, publicUrl: string | null, mainPort: number | null = null): string {
  if (publicUrl) return publicUrl;
  const url = new URL(c.req.url);
  if (mainPort !== null) url.port = String(mainPort);
  return url.origin;
}
