import { X509Certificate } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { isoTime } from '../core/time-format.js';
import type { SandboxParts } from '../parts.js';
import { adminError, jsonBody, limitParam } from './respond.js';
import { journalView } from './views.js';

/** Longest single jump: ten years, far past any retry schedule. */
const MAX_ADVANCE_SECONDS = 10 * 366 * 24 * 3600;

/** Health, clock, keys, the request journal, reset and the signing tool. */
export function systemRoutes(parts: SandboxParts) {
  const { store, clock, dispatcher, keys, simulators } = parts;
  const app = new Hono();

  app.get('/health', (c) => c.json({ ok: true, now: isoTime(clock.now()) }));

  app.get('/clock', (c) => c.json({ now: isoTime(clock.now()), scale: clock.scale, nextEventAt: isoTime(dispatcher.nextDueAt()) }));

  /** Jumps the clock, processing every event due on the way, in time order, before answering. */
  app.post('/clock/advance', async (c) => {
    const body = (await jsonBody(c)) as { seconds?: unknown } | undefined;
    const seconds = body?.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
      return adminError(c, 'INVALID_SECONDS', `body must be {"seconds": n} with 0 <= n <= ${MAX_ADVANCE_SECONDS}`);
    }
    const now = await dispatcher.advance(Math.round(seconds * 1000));
    return c.json({ now: isoTime(now) });
  });

  app.get('/keys', (c) => {
    const platform: Record<string, { publicKey: string; privateKey: string; certificate: string | null }> = {};
    for (const provider of keys.providersWithKeys()) {
      const pair = keys.platform(provider)!;
      platform[provider] = { publicKey: pair.publicKey, privateKey: pair.privateKey, certificate: pair.certificate };
    }
    const merchants = store.merchants.list().map((m) => ({
      provider: m.provider,
      merchantId: m.merchantId,
      terminalId: m.terminalId,
      md5Key: m.md5Key,
      publicKey: m.publicKey,
      privateKey: m.privateKey,
      name: m.name,
    }));
    return c.json({ platform, merchants });
  });

  const certificateFile = (format: 'cer' | 'pem') => (c: Context) => {
    const provider = c.req.param('provider') ?? '';
    if (!simulators.get(provider)) return adminError(c, 'UNKNOWN_PROVIDER', `no provider ${provider}`);
    const certificate = keys.platform(provider)?.certificate;
    if (!certificate) return adminError(c, 'CERTIFICATE_NOT_FOUND', `${provider} has no platform certificate`);
    const disposition = `attachment; filename="${provider}-platform.${format}"`;
    if (format === 'pem') return c.body(certificate, 200, { 'content-type': 'application/x-pem-file', 'content-disposition': disposition });
    const der = new X509Certificate(certificate).raw;
    return c.body(der as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/pkix-cert', 'content-disposition': disposition });
  };
  /**
   * The platform certificate as a file, the way providers hand it out: `.cer`
   * is DER (what Java's CertificateFactory and the Allinpay SDK load), `.pem`
   * the same certificate in PEM.
   */
  app.get('/keys/:provider/platform.cer', certificateFile('cer'));
  app.get('/keys/:provider/platform.pem', certificateFile('pem'));

  app.get('/requests', (c) => {
    const { provider, orderNo, merchantId } = c.req.query();
    return c.json(store.journal.list({ provider, orderNo, merchantId, limit: limitParam(c, 100) }).map(journalView));
  });

  /** Empties orders, refunds, notifications, jobs and the journal; keeps merchants, keys, scenarios and the clock. */
  app.post('/reset', async (c) => {
    // Never waits for a delivery: those in flight are aborted and record nothing.
    await dispatcher.reset(() => store.reset());
    return c.json({ ok: true, now: isoTime(clock.now()) });
  });

  app.get('/providers', (c) =>
    c.json(
      simulators.all().map((s) => ({
        id: s.id,
        title: s.title,
        mount: s.mount,
        notifications: Object.fromEntries(Object.entries(s.notifications).map(([k, v]) => [k, { schedule: v.schedule }])),
        codes: s.codes,
      })),
    ),
  );

  /**
   * A developer tool: `POST /_sim/sign/{provider}?merchantId=` with the unsigned
   * request turns it into the signed one the provider expects.
   */
  app.post('/sign/:provider', async (c) => {
    const simulator = simulators.get(c.req.param('provider'));
    if (!simulator?.signRequest) {
      return adminError(c, 'UNKNOWN_PROVIDER', `no signing tool for ${c.req.param('provider')}`);
    }
    const body = await jsonBody(c);
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return adminError(c, 'INVALID_JSON', 'the request body must be a JSON object');
    }
    const merchantId = c.req.query('merchantId') ?? simulator.merchants[0]?.merchantId;
    const merchant = merchantId ? store.merchants.get(simulator.id, merchantId) : undefined;
    if (!merchant) return adminError(c, 'MERCHANT_NOT_FOUND', `no ${simulator.id} merchant ${merchantId ?? ''}`);
    const signed = simulator.signRequest(body as Record<string, unknown>, merchant, { platformKeys: keys.platform(simulator.id) });
    // ?format=form: a flat result as an URL-encoded body, to pipe into `curl -d @-` for form-based providers.
    if (c.req.query('format') === 'form') {
      const flat = signed && typeof signed === 'object' && Object.values(signed).every((v) => typeof v === 'string');
      if (!flat) return adminError(c, 'NOT_FLAT', `${simulator.id} requests are not flat forms`);
      return c.text(new URLSearchParams(signed as Record<string, string>).toString());
    }
    return c.json(signed);
  });

  return app;
}
