import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isoTime } from '../core/time-format.js';
import type { SandboxParts } from '../parts.js';
import { adminError, jsonBody } from './respond.js';

/** How often the live stream looks for changes. */
const LIVE_INTERVAL_MS = 500;

const pemFile = (c: Context, name: string, pem: string) => download(c, name, pem, 'application/x-pem-file');

function download(c: Context, name: string, content: string | Uint8Array, type: string) {
  c.header('content-disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  c.header('content-type', type);
  return c.body(typeof content === 'string' ? content : (content as Uint8Array<ArrayBuffer>));
}

/** The DER bytes of a PEM certificate (a `.cer` as providers hand it out). */
function derOf(pem: string): Uint8Array {
  return Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64');
}

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

  /**
   * Key and certificate files to download: `platform.cer` (the certificate as
   * DER, what providers hand merchants and Java's CertificateFactory loads),
   * `platform-cert.pem` (the same in PEM), `platform-public.pem` (the public
   * key), and `platform.pem` — what a merchant's SDK is configured with: the
   * certificate where the provider hands one out (UMPay, Allinpay), else the
   * public key (MMSP). A merchant's generated pair: `merchants/{id}/public.pem`,
   * `private.pem`.
   */
  app.get('/keys/:provider/:file{platform(?:\\.pem|-cert\\.pem|-public\\.pem|\\.cer)}', (c) => {
    const { provider, file } = c.req.param();
    if (!simulators.get(provider)) return adminError(c, 'UNKNOWN_PROVIDER', `no provider ${provider}`);
    const pair = keys.platform(provider);
    if (!pair) return adminError(c, 'KEY_NOT_FOUND', `${provider} has no platform key`);
    const name = `${provider}-${file}`;
    if (file === 'platform-public.pem') return pemFile(c, name, pair.publicKey);
    if (file === 'platform.pem') return pemFile(c, name, pair.certificate ?? pair.publicKey);
    if (!pair.certificate) return adminError(c, 'CERTIFICATE_NOT_FOUND', `${provider} hands out no certificate`);
    if (file === 'platform-cert.pem') return pemFile(c, name, pair.certificate);
    return download(c, name, derOf(pair.certificate), 'application/pkix-cert');
  });

  app.get('/keys/:provider/merchants/:merchantId/:file{(?:public|private)\\.pem}', (c) => {
    const { provider, merchantId, file } = c.req.param();
    const merchant = store.merchants.get(provider, merchantId);
    const pem = file === 'public.pem' ? merchant?.publicKey : merchant?.privateKey;
    if (!pem) return adminError(c, 'KEY_NOT_FOUND', `${provider} merchant ${merchantId} has no ${file === 'public.pem' ? 'public' : 'private'} key`);
    return pemFile(c, `${provider}-${merchantId}-${file}`, pem);
  });

  /** A text that changes whenever anything stored changes: cheap polling for a client that cannot keep a stream. */
  app.get('/revision', (c) => c.json({ revision: `${store.revision()}.${Math.floor(clock.now() / 1000)}` }));

  /**
   * Server-sent events for the dashboard: a `change` event whenever the
   * revision changes (checked twice a second), and the sandbox time with it.
   */
  app.get('/live', (c) =>
    streamSSE(c, async (stream) => {
      let last = '';
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        let revision: string;
        try {
          revision = store.revision();
        } catch {
          // The store closed under us: the sandbox is stopping.
          break;
        }
        if (revision !== last) {
          last = revision;
          await stream.writeSSE({ event: 'change', data: JSON.stringify({ revision, now: isoTime(clock.now()) }) });
        }
        await stream.sleep(LIVE_INTERVAL_MS);
      }
    }),
  );

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
