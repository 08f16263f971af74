import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { adminGuard } from './admin/guard.js';
import { adminFailure, adminNotFound, adminRoutes, isAdminPath } from './admin/index.js';
import type { SandboxConfig } from './config.js';
import { Clock } from './core/clock.js';
import { Dispatcher } from './core/dispatcher.js';
import { createRecord, placeOrder } from './core/create.js';
import { durableAnswers } from './core/durable.js';
import { annotate, httpEffectsMiddleware, journalMiddleware, requestLimits, resultOf } from './core/exchange.js';
import { parseMerchantInput } from './core/merchant-input.js';
import { createRequestLogger, requestLogMiddleware } from './core/request-log.js';
import { parseTestCard } from './core/test-cards.js';
import { publicOrigin } from './core/public-origin.js';
import { Notifier } from './core/notifier.js';
import { Payments } from './core/payments.js';
import { Records } from './core/records.js';
import { checkAgainstCatalog, ScenarioRegistry, type ScenarioCatalog } from './core/scenarios.js';
import type { Scenario } from './core/scenario-schema.js';
import type { SimulatorContext, SimulatorDefinition, SimulatorRegistry } from './core/simulator.js';
import { Store } from './core/store/index.js';
import { UrlGuard } from './core/url-guard.js';
import { KeyRing } from './keys/key-ring.js';
import type { SandboxParts } from './parts.js';
import { loadBuiltinScenarios, loadScenarioDir } from './scenarios/loader.js';
import { webRoutes } from './web/routes.js';

/** Everything a running sandbox is made of; tests reach in through it. */
export interface Sandbox extends SandboxParts {
  /** Starts the HTTP servers (PORT, and each provider port) and the dispatcher; resolves with the addresses. */
  listen(): Promise<{ url: string; port: number; providerUrls: Record<string, string> }>;
  /** Stops accepting requests, lets the event in progress finish, saves the clock, closes the store. */
  close(): Promise<void>;
}

export type { SandboxParts } from './parts.js';

class Registry implements SimulatorRegistry {
  private readonly byId = new Map<string, SimulatorDefinition>();
  constructor(list: SimulatorDefinition[]) {
    for (const simulator of list) {
      if (this.byId.has(simulator.id)) throw new Error(`two simulators with id ${simulator.id}`);
      this.byId.set(simulator.id, simulator);
    }
  }
  get(id: string) {
    return this.byId.get(id);
  }
  all() {
    return [...this.byId.values()];
  }
}

/**
 * Resumes the virtual clock where the last run left it, as if it had kept
 * running while stopped — and never behind anything already stored: a crash
 * between two saves of the clock must not make the next order older than the
 * last one (the newest stored time wins).
 */
function restoreClock(store: Store, config: SandboxConfig): Clock {
  const saved = store.getMeta('clock');
  if (saved) {
    const { virtual, real } = JSON.parse(saved) as { virtual: number; real: number };
    const elapsed = Math.max(0, Date.now() - real) * config.timeScale;
    return new Clock({ scale: config.timeScale, start: Math.max(virtual + elapsed, store.newestTime() ?? 0) });
  }
  const newest = store.newestTime();
  if (newest !== null) return new Clock({ scale: config.timeScale, start: Math.max(newest, config.clockStart ?? 0) });
  return new Clock({ scale: config.timeScale, ...(config.clockStart !== null ? { start: config.clockStart } : {}) });
}

function seedMerchants(store: Store, keys: KeyRing, simulators: SimulatorDefinition[], config: SandboxConfig, now: number) {
  for (const simulator of simulators) {
    if (simulator.keys?.platform) keys.ensurePlatform(simulator.id, simulator.keys.platform);
    for (const seed of simulator.merchants) {
      // Defaults are written once; a merchant edited through the admin API keeps its edits.
      if (store.merchants.get(simulator.id, seed.merchantId)) continue;
      const pair = seed.rsaBits ? keys.ensureMerchant(simulator.id, seed.merchantId, seed.rsaBits) : null;
      store.merchants.upsert(
        {
          provider: simulator.id,
          merchantId: seed.merchantId,
          terminalId: seed.terminalId ?? null,
          md5Key: seed.md5Key ?? null,
          publicKey: pair?.publicKey ?? null,
          privateKey: pair?.privateKey ?? null,
          name: seed.name,
          settings: seed.settings ?? {},
          source: 'default',
        },
        now,
      );
    }
  }
  if (!config.dataDir) return;
  readConfigArray(join(config.dataDir, 'merchants.json'), 'merchants', (item, source) => {
    const merchant = parseMerchantInput(item, source, 'config');
    if (!simulators.some((s) => s.id === merchant.provider)) {
      throw new Error(`${source}.provider: unknown provider ${merchant.provider}`);
    }
    store.merchants.upsert(merchant, now);
  });
  readConfigArray(join(config.dataDir, 'cards.json'), 'test cards', (item, source) => {
    store.cards.upsert(parseTestCard(item, source), 'config', now);
  });
}

/** Reads an optional JSON array file of the data directory; a bad file stops the start, naming the file, index and field. */
function readConfigArray(file: string, noun: string, each: (item: unknown, source: string) => void): void {
  if (!existsSync(file)) return;
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(list)) throw new Error(`${file}: expected an array of ${noun}`);
  list.forEach((item, index) => each(item, `${file}[${index}]`));
}

/**
 * Builds a sandbox from its configuration and the simulators to serve.
 *
 * @example
 * const sandbox = createSandbox(loadConfig(), SIMULATORS);
 * const { url } = await sandbox.listen();
 */
export function createSandbox(config: SandboxConfig, simulatorList: SimulatorDefinition[]): Sandbox {
  const store = new Store({
    file: config.dataDir ? join(config.dataDir, 'sandbox.db') : ':memory:',
    journalCap: config.journalLimit,
    journalBytes: config.journalMaxBytes,
    groupCommit: true,
  });
  try {
    const clock = restoreClock(store, config);
    const simulators = new Registry(simulatorList);
    const catalog: ScenarioCatalog = Object.fromEntries(
      simulatorList.map((s) => [
        s.id,
        { products: s.products, kinds: (s.kinds ?? []).filter((kind) => kind.outcomes).map((kind) => kind.name) },
      ]),
    );
    const check = (scenario: Scenario, source: string) => checkAgainstCatalog(scenario, catalog, source);
    const scenarios = new ScenarioRegistry(store.db, catalog);
    scenarios.setBuiltins(loadBuiltinScenarios(check));
    if (config.dataDir) scenarios.setFiles(loadScenarioDir(join(config.dataDir, 'scenarios'), undefined, check));
    const keys = new KeyRing(config.dataDir ? join(config.dataDir, 'keys') : null);
    seedMerchants(store, keys, simulatorList, config, clock.now());

    const records = new Records(store, clock, scenarios, simulators);
    const payments = new Payments(store, clock, records);
    const urls = new UrlGuard(config.publicUrl);
    const notifier = new Notifier(store, clock, simulators, {
      timeoutMs: config.notifyTimeoutMs,
      urlGuard: urls,
      platformKeys: (provider) => keys.platform(provider),
    });
    const dispatcher = new Dispatcher(store, clock, records, notifier, {
      concurrency: config.notifyConcurrency,
      perEndpoint: config.notifyPerEndpoint,
    });
    records.onWork = () => dispatcher.kick();

    for (const id of Object.keys(config.providerPorts)) {
      if (!simulators.get(id)) throw new Error(`SIM_PROVIDER_PORTS names ${id}, which is no provider (known: ${simulatorList.map((s) => s.id).join(', ')})`);
    }
    // Set once listening: hosted pages and the admin API live on PORT even for requests to a provider's own port.
    let mainPort: number | null = null;
    const app = new Hono();
    const parts: SandboxParts = { config, app, store, clock, records, payments, notifier, dispatcher, scenarios, keys, simulators };

    const requestLog = createRequestLogger({ level: config.logLevel, format: config.logFormat });

    // Outside the provider mounts (which check inside their journal, answering their own internal error).
    const durable = durableAnswers(store, (c, error) =>
      isAdminPath(c) ? adminFailure(c, new Error(`the change could not be stored: ${errorMessage(error)}`)) : c.text('the sandbox could not store this change', 500),
    );

    /** Serves a simulator's routes below `base` of `target` (its mount on PORT, or '' at the root of its own port). */
    const mountSimulator = (target: Hono, simulator: SimulatorDefinition, base: string, ownPort: boolean) => {
      const deps = { records, store, errors: simulator.errors, urls };
      const baseUrl = (c: Context) => publicOrigin(c, config.publicUrl, ownPort ? mainPort : null);
      const context: SimulatorContext = {
        clock,
        store,
        payments,
        records,
        errors: simulator.errors,
        create: (c, input) => createRecord(c, deps, input),
        placeOrder: (c, input) => placeOrder(c, deps, input),
        platformKeys: () => keys.platform(simulator.id),
        baseUrl,
        payPageUrl: (c, order) => `${baseUrl(c)}/pay/${order.provider}/${order.platformOrderNo}`,
      };
      const refuse = (c: Context, reason: string) => {
        const error = simulator.errors.malformed(reason);
        annotate(c, { note: reason, result: resultOf(error) });
        return simulator.errorResponse(c, error, { platformKeys: keys.platform(simulator.id) });
      };
      if (requestLog) target.use(`${base}/*`, requestLogMiddleware(requestLog, simulator.id));
      target.use(
        `${base}/*`,
        journalMiddleware(store, clock, simulator.id),
        // Inside the journal, so it records the internal error sent when the change could not be stored.
        durableAnswers(store, (c, error) => {
          const internal = simulator.errors.internal();
          annotate(c, { note: `the change could not be stored (${errorMessage(error)}): answered the internal error`, result: resultOf(internal) });
          return simulator.errorResponse(c, internal, { platformKeys: keys.platform(simulator.id) });
        }),
        requestLimits(simulator.maxBodyBytes ?? config.maxBodyBytes, refuse),
        httpEffectsMiddleware(records),
      );
      target.route(base || '/', simulator.routes(context));
      // An unknown path or method below the mount is still answered in the provider's own form.
      target.all(`${base}/*`, (c) => refuse(c, `no interface ${c.req.method} ${new URL(c.req.url).pathname}`));
    };

    // Group commit: no answer leaves before the changes it reports are committed (core/store/index.ts).
    app.use('*', durable);
    app.use('/_sim/*', ...adminGuard(config));
    app.route('/_sim', adminRoutes(parts));
    for (const simulator of simulatorList) mountSimulator(app, simulator, simulator.mount, false);
    const portApps = Object.entries(config.providerPorts).map(([id, port]) => {
      const portApp = new Hono();
      portApp.use('*', durable);
      mountSimulator(portApp, simulators.get(id)!, '', true);
      portApp.onError((error, c) => {
        console.error('[sandbox]', error);
        return c.text('Internal Server Error', 500);
      });
      return { id, port, app: portApp };
    });
    app.route('/', webRoutes(parts));
    app.notFound((c) => (isAdminPath(c) ? adminNotFound(c) : c.text('Not Found', 404)));
    app.onError((error, c) => {
      console.error('[sandbox]', error);
      return isAdminPath(c) ? adminFailure(c, error) : c.text('Internal Server Error', 500);
    });

    let servers: ServerType[] = [];
    // Long GET query strings (a cashier `req`) reach the provider, which answers them in its own form.
    const serverOptions = { maxHeaderSize: 128 * 1024 };
    const start = (fetch: Hono['fetch'], port: number) =>
      new Promise<AddressInfo>((resolve, reject) => {
        const started = serve({ fetch, port, hostname: config.host, serverOptions }, (info: AddressInfo) => resolve(info));
        // Idle keep-alive sockets stay open longer than clients keep them (undici: 4 s, most SDKs less), so a client
        // never sends a request on a socket the server is closing at that moment ("other side closed" under load).
        (started as import('node:http').Server).keepAliveTimeout = 65_000;
        (started as import('node:http').Server).headersTimeout = 66_000;
        started.once('error', reject);
        servers.push(started);
      });
    // The address actually bound, as printed: 0.0.0.0 means every interface.
    const urlOf = (info: AddressInfo) => `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
    return {
      ...parts,
      async listen() {
        const main = await start(app.fetch, config.port);
        mainPort = main.port;
        const providerUrls: Record<string, string> = {};
        const ports = [main.port];
        for (const { id, port, app: portApp } of portApps) {
          const info = await start(portApp.fetch, port);
          providerUrls[id] = urlOf(info);
          ports.push(info.port);
        }
        urls.setPorts(ports);
        dispatcher.start();
        return { url: urlOf(main), port: main.port, providerUrls };
      },
      async close() {
        const closing = servers;
        servers = [];
        await Promise.all(
          closing.map(
            (server) =>
              new Promise<void>((resolve) => {
                server.close(() => resolve());
                (server as { closeAllConnections?: () => void }).closeAllConnections?.();
              }),
          ),
        );
        await dispatcher.stop();
        notifier.close();
        dispatcher.persistClock();
        await store.shutdown();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
