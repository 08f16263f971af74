import type {
  MerchantInput,
  NotificationFilter,
  OrderFilter,
  PayerActionOptions,
  ProviderId,
  RecordFilter,
  RequestFilter,
  SandboxJournalEntry,
  SandboxKeys,
  SandboxMerchant,
  SandboxNotification,
  SandboxOrder,
  SandboxRecord,
  SandboxScenario,
  ScenarioInput,
} from './types.js';

/** An answer of the admin API other than 2xx: its `{"error": {"code", "message"}}`, with the status. */
export class SandboxApiError extends Error {
  constructor(
    readonly status: number,
    /** The admin error code (`ORDER_NOT_FOUND`, `INVALID_SCENARIO`…; README, Admin API). */
    readonly code: string,
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path} → ${status} ${code}: ${message}`);
    this.name = 'SandboxApiError';
  }
}

export interface ConnectOptions {
  /** `SIM_ADMIN_TOKEN` of a sandbox bound beyond loopback. */
  token?: string;
  /** A fetch of your own (a proxy, a mock); the global one by default. */
  fetch?: typeof fetch;
}

/**
 * The operations a test needs on a sandbox, over its `/_sim` API. The same
 * for one started in-process ({@link startSandbox}) and one running
 * elsewhere ({@link connectSandbox}).
 */
export interface SandboxClient {
  /** The sandbox's base URL, e.g. `http://127.0.0.1:53117`: point the code under test at it. */
  readonly url: string;
  /** `GET /_sim/health`: `{ ok, now }`. */
  health(): Promise<{ ok: boolean; now: string }>;
  /** The sandbox clock: `{ now, scale, nextEventAt }`. */
  clock(): Promise<{ now: string; scale: number; nextEventAt: string | null }>;
  /**
   * Moves the clock forward, processing every event due on the way (notification
   * attempts, expiries, scenario steps) in time order before it resolves. Resolves with the new time.
   */
  advance(seconds: number): Promise<string>;
  /** Orders, newest first. */
  orders(filter?: OrderFilter): Promise<SandboxOrder[]>;
  /** One order by the merchant's number, or undefined. */
  order(provider: ProviderId, orderNo: string, merchantId?: string): Promise<SandboxOrder | undefined>;
  /** Records of one kind (`order`, `refund`, `payout`, `binding`…), or of every kind; newest first. */
  records(kind?: string, filter?: RecordFilter): Promise<SandboxRecord[]>;
  /** Notifications with every delivery attempt. */
  notifications(filter?: NotificationFilter): Promise<SandboxNotification[]>;
  /** One extra delivery attempt now (recorded with trigger `replay`). */
  replay(notificationId: number): Promise<SandboxNotification>;
  /** The request journal: what the code under test sent and what it got, with the sandbox's notes. */
  requests(filter?: RequestFilter): Promise<SandboxJournalEntry[]>;
  /** The payer pays (as on the hosted page). */
  pay(provider: ProviderId, orderNo: string, options?: PayerActionOptions): Promise<SandboxOrder>;
  /** The payer's payment fails. */
  fail(provider: ProviderId, orderNo: string, options?: PayerActionOptions): Promise<SandboxOrder>;
  /** The operator closes the order. */
  close(provider: ProviderId, orderNo: string, options?: PayerActionOptions): Promise<SandboxOrder>;
  readonly scenarios: {
    list(): Promise<SandboxScenario[]>;
    get(id: string): Promise<SandboxScenario | undefined>;
    /** Adds a scenario (replacing an API scenario of the same id). */
    add(scenario: ScenarioInput): Promise<SandboxScenario>;
    remove(id: string): Promise<void>;
  };
  readonly merchants: {
    list(provider?: ProviderId): Promise<SandboxMerchant[]>;
    /** Adds or replaces a merchant. */
    add(merchant: MerchantInput): Promise<SandboxMerchant>;
    remove(provider: ProviderId, merchantId: string): Promise<void>;
  };
  /** Every platform key pair (with its certificate) and every merchant's keys. */
  keys(): Promise<SandboxKeys>;
  /** A merchant's credentials: the provider's first (default) merchant unless one is named. */
  merchant(provider: ProviderId, merchantId?: string): Promise<SandboxMerchant>;
  /** Empties records, notifications, scheduled events and the journal; keeps merchants, keys, scenarios and the clock. */
  reset(): Promise<void>;
}

function query(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const segment = encodeURIComponent;

/**
 * A typed client for a sandbox running elsewhere (a CI service, `npm start` in
 * another terminal), built on its `/_sim` API.
 *
 * @example
 * const sandbox = connectSandbox('http://127.0.0.1:8080', { token: process.env.SIM_ADMIN_TOKEN });
 * await sandbox.reset();
 * await sandbox.pay('mmsp', 'ORDER0001');
 * await sandbox.advance(60);
 * expect((await sandbox.notifications({ orderNo: 'ORDER0001' }))[0].status).toBe('delivered');
 */
export function connectSandbox(url: string, options: ConnectOptions = {}): SandboxClient {
  const base = url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function call<T>(method: string, path: string, body?: unknown): Promise<{ value: T; headers: Headers }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await doFetch(`${base}/_sim${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let value: unknown;
    try {
      value = text === '' ? undefined : JSON.parse(text);
    } catch {
      value = text;
    }
    if (!response.ok) {
      const error = (value as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new SandboxApiError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? text.slice(0, 200), method, `/_sim${path}`);
    }
    return { value: value as T, headers: response.headers };
  }
  const get = async <T>(path: string) => (await call<T>('GET', path)).value;
  const post = async <T>(path: string, body: unknown = {}) => (await call<T>('POST', path, body)).value;
  const notFound = (error: unknown) => error instanceof SandboxApiError && error.status === 404;

  const payerAction = (action: 'pay' | 'fail' | 'close') => async (provider: ProviderId, orderNo: string, opts: PayerActionOptions = {}) => {
    const path = `/orders/${segment(provider)}/${segment(orderNo)}/${action}${query({ merchantId: opts.merchantId })}`;
    const { value, headers } = await call<SandboxOrder>('POST', path, opts.force ? { force: true } : {});
    const held = headers.get('x-sandbox-held');
    return held ? { ...value, held } : value;
  };

  const client: SandboxClient = {
    url: base,
    health: () => get('/health'),
    clock: () => get('/clock'),
    advance: async (seconds) => (await post<{ now: string }>('/clock/advance', { seconds })).now,
    orders: (filter = {}) => get(`/orders${query({ ...filter })}`),
    order: async (provider, orderNo, merchantId) => (await client.orders({ provider, orderNo, ...(merchantId ? { merchantId } : {}) }))[0],
    records: (kind, filter = {}) => {
      const { from, to, ...rest } = filter;
      const time = (value: string | Date | number | undefined) => (value instanceof Date ? value.getTime() : value);
      return get(`/records${query({ kind, ...rest, from: time(from), to: time(to) })}`);
    },
    notifications: (filter = {}) => get(`/notifications${query({ ...filter })}`),
    replay: (id) => post(`/notifications/${segment(String(id))}/replay`),
    requests: (filter = {}) => get(`/requests${query({ ...filter })}`),
    pay: payerAction('pay'),
    fail: payerAction('fail'),
    close: payerAction('close'),
    scenarios: {
      list: () => get('/scenarios'),
      get: async (id) => {
        try {
          return await get<SandboxScenario>(`/scenarios/${segment(id)}`);
        } catch (error) {
          if (notFound(error)) return undefined;
          throw error;
        }
      },
      add: async (scenario) => (await call<SandboxScenario>('PUT', `/scenarios/${segment(scenario.id)}`, scenario)).value,
      remove: async (id) => {
        await call('DELETE', `/scenarios/${segment(id)}`);
      },
    },
    merchants: {
      list: (provider) => get(`/merchants${query({ provider })}`),
      add: (merchant) => post('/merchants', merchant),
      remove: async (provider, merchantId) => {
        await call('DELETE', `/merchants/${segment(provider)}/${segment(merchantId)}`);
      },
    },
    keys: () => get('/keys'),
    merchant: async (provider, merchantId) => {
      const merchants = await client.merchants.list(provider);
      const found = merchantId
        ? merchants.find((m) => m.merchantId === merchantId)
        : (merchants.find((m) => m.source === 'default') ?? merchants[0]);
      if (!found) throw new SandboxApiError(404, 'MERCHANT_NOT_FOUND', `no ${provider} merchant ${merchantId ?? ''}`, 'GET', '/_sim/merchants');
      return found;
    },
    reset: async () => {
      await post('/reset');
    },
  };
  return client;
}
