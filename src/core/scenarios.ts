import { RE2JS } from 're2js';
import type { HttpEffect, NotifyMode, ScenarioState } from './domain.js';
import type { Outcome } from './kinds.js';
import { parseScenario, type Scenario, type ScenarioMatch } from './scenario-schema.js';
import type { Db } from './store/database.js';

export type ScenarioSource = 'builtin' | 'file' | 'api';
export interface RegisteredScenario extends Scenario {
  source: ScenarioSource;
}

/** What a request tells the matcher about the record it creates. */
export interface MatchInput {
  provider: string;
  kind: string;
  product: string;
  merchantId: string;
  amount: number;
  orderNo: string;
  card?: string;
  code?: string;
}

export type CreateOutcome = 'default' | 'pending' | 'paid' | 'failed' | 'error' | 'processing' | 'held';

/** A matched scenario, compiled into what the engine does with the order. */
export interface ScenarioPlan {
  scenarioId: string | null;
  createOutcome: CreateOutcome;
  /** In scenario outcomes; the engine maps each to the record's kind. */
  transitions: { afterMs: number; state: Outcome }[];
  state: ScenarioState;
}

export const NO_SCENARIO: ScenarioPlan = Object.freeze({
  scenarioId: null,
  createOutcome: 'default',
  transitions: [],
  state: {},
}) as ScenarioPlan;

export class ScenarioConflictError extends Error {}

/** Which providers exist, with the products and record kinds of each: what a matcher may name. */
export type ScenarioCatalog = Record<string, { products: readonly string[]; kinds: readonly string[] }>;

/**
 * Refuses a matcher that can never match: an unknown provider, or a product
 * pattern no product of the chosen providers fits — so a typo does not
 * silently disable a scenario. Throws naming the source and the field.
 */
export function checkAgainstCatalog(scenario: Scenario, catalog: ScenarioCatalog, source: string): void {
  const { provider, product, kind } = scenario.match;
  const named = provider === undefined ? Object.keys(catalog) : Array.isArray(provider) ? provider : [provider];
  for (const id of named) {
    if (!catalog[id]) {
      throw new Error(`${source}: match.provider: unknown provider ${id} (known: ${Object.keys(catalog).join(', ')})`);
    }
  }
  if (kind !== undefined) {
    const kinds = new Set(named.flatMap((id) => catalog[id]?.kinds ?? []));
    for (const name of Array.isArray(kind) ? kind : [kind]) {
      if (!kinds.has(name)) throw new Error(`${source}: match.kind: ${name} is no scripted kind of ${named.join(', ')} (known: ${[...kinds].join(', ')})`);
    }
  }
  if (product === undefined) return;
  const products = named.flatMap((id) => catalog[id]?.products ?? []);
  for (const pattern of Array.isArray(product) ? product : [product]) {
    if (!products.some((candidate) => globToRegExp(pattern).test(candidate))) {
      throw new Error(`${source}: match.product: ${pattern} matches no product of ${named.join(', ')}`);
    }
  }
}

/** Where the scenarios chosen for merchants' next orders are kept (the meta table). */
const NEXT_KEY = 'scenarios.next';

const SOURCE_RANK: Record<ScenarioSource, number> = { api: 0, file: 1, builtin: 2 };

/**
 * Holds every scenario and picks the one that applies to a new order: user
 * scenarios (API, then files) before built-ins, higher `priority` first.
 */
export class ScenarioRegistry {
  private builtins: RegisteredScenario[] = [];
  private files: RegisteredScenario[] = [];
  private api: RegisteredScenario[] = [];
  private ordered: RegisteredScenario[] = [];

  constructor(
    private readonly db: Db,
    private readonly catalog: ScenarioCatalog,
  ) {
    const rows = db.prepare<[], { id: string; definition: string }>('SELECT id, definition FROM scenarios').all();
    this.api = rows.map((row) => ({ ...parseScenario(JSON.parse(row.definition), `scenario ${row.id}`), source: 'api' }));
    this.reorder();
  }

  setBuiltins(scenarios: Scenario[]): void {
    this.builtins = scenarios.map((s) => ({ ...s, source: 'builtin' }));
    this.reorder();
  }

  setFiles(scenarios: Scenario[]): void {
    this.files = scenarios.map((s) => ({ ...s, source: 'file' }));
    this.reorder();
  }

  list(): RegisteredScenario[] {
    return [...this.ordered];
  }

  get(id: string): RegisteredScenario | undefined {
    return this.ordered.find((s) => s.id === id);
  }

  /** Creates or replaces a scenario defined through the admin API. */
  put(scenario: Scenario, now: number): RegisteredScenario {
    checkAgainstCatalog(scenario, this.catalog, 'request body');
    const existing = this.get(scenario.id);
    if (existing && existing.source !== 'api') {
      throw new ScenarioConflictError(`scenario ${scenario.id} is a ${existing.source} scenario and cannot be replaced`);
    }
    this.db
      .prepare(
        `INSERT INTO scenarios (id, definition, created_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET definition = excluded.definition`,
      )
      .run(scenario.id, JSON.stringify(scenario), now);
    this.api = [...this.api.filter((s) => s.id !== scenario.id), { ...scenario, source: 'api' }];
    this.reorder();
    return this.get(scenario.id)!;
  }

  delete(id: string): boolean {
    const existing = this.get(id);
    if (!existing) return false;
    if (existing.source !== 'api') {
      throw new ScenarioConflictError(`scenario ${id} is a ${existing.source} scenario and cannot be deleted`);
    }
    this.db.prepare('DELETE FROM scenarios WHERE id = ?').run(id);
    this.api = this.api.filter((s) => s.id !== id);
    this.reorder();
    return true;
  }

  match(input: MatchInput): RegisteredScenario | undefined {
    return this.ordered.find((scenario) => matches(scenario.match, input));
  }

  /**
   * Matches and compiles in one step. A scenario chosen for the merchant's next
   * order ({@link armNext}) wins over matching, once.
   */
  plan(input: MatchInput): ScenarioPlan {
    if (input.kind === 'order') {
      const armed = this.takeNext(input.provider, input.merchantId);
      if (armed) return compile(armed);
    }
    const scenario = this.match(input);
    return scenario ? compile(scenario) : NO_SCENARIO;
  }

  /**
   * Chooses the scenario the merchant's next order gets, whatever its amount
   * (the dashboard's "next order" picker). Throws when the scenario does not
   * exist or could never apply to an order of that provider.
   */
  armNext(provider: string, merchantId: string, scenarioId: string): void {
    const scenario = this.get(scenarioId);
    if (!scenario) throw new ScenarioConflictError(`no scenario ${scenarioId}`);
    const providers = scenario.match.provider === undefined ? undefined : [scenario.match.provider].flat();
    if (providers && !providers.includes(provider)) {
      throw new ScenarioConflictError(`scenario ${scenarioId} is for ${providers.join(', ')}, not ${provider}`);
    }
    const kinds = scenario.match.kind === undefined ? undefined : [scenario.match.kind].flat();
    if (kinds && !kinds.includes('order')) throw new ScenarioConflictError(`scenario ${scenarioId} is for ${kinds.join(', ')}, not orders`);
    this.writeNext({ ...this.readNext(), [`${provider} ${merchantId}`]: scenarioId });
  }

  /** Forgets the choice for the merchant's next order; false when there was none. */
  disarmNext(provider: string, merchantId: string): boolean {
    const armed = this.readNext();
    const key = `${provider} ${merchantId}`;
    if (!(key in armed)) return false;
    delete armed[key];
    this.writeNext(armed);
    return true;
  }

  nextFor(provider: string, merchantId: string): string | undefined {
    return this.readNext()[`${provider} ${merchantId}`];
  }

  private takeNext(provider: string, merchantId: string): RegisteredScenario | undefined {
    const key = `${provider} ${merchantId}`;
    if (this.armed && !(key in this.armed)) return undefined;
    const armed = this.readNext();
    const id = armed[key];
    if (id === undefined) return undefined;
    delete armed[key];
    this.writeNext(armed);
    return this.get(id);
  }

  /**
   * The choices for next orders as last read from the meta row (every new order
   * consults them). A write forgets it rather than writing through: the write
   * may be inside a savepoint that is rolled back (a refused duplicate order),
   * and then only the row knows the choice is still there.
   */
  private armed: Record<string, string> | undefined;

  private readNext(): Record<string, string> {
    if (!this.armed) {
      const row = this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(NEXT_KEY);
      this.armed = row ? (JSON.parse(row.value) as Record<string, string>) : {};
    }
    return { ...this.armed };
  }

  private writeNext(armed: Record<string, string>): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(NEXT_KEY, JSON.stringify(armed));
    this.armed = undefined;
  }

  private reorder(): void {
    this.ordered = [...this.api, ...this.files, ...this.builtins].sort(
      (a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || (b.priority ?? 0) - (a.priority ?? 0),
    );
  }
}

function anyOf(expected: string | string[] | undefined, actual: string, glob = false): boolean {
  if (expected === undefined) return true;
  const options = Array.isArray(expected) ? expected : [expected];
  return options.some((option) => (glob ? globToRegExp(option).test(actual) : option === actual));
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export function matches(match: ScenarioMatch, input: MatchInput): boolean {
  if (!anyOf(match.provider, input.provider)) return false;
  if (!anyOf(match.kind, input.kind)) return false;
  if (!anyOf(match.product, input.product, true)) return false;
  if (!anyOf(match.merchantId, input.merchantId)) return false;
  if (match.amount !== undefined) {
    if (typeof match.amount === 'number') {
      if (match.amount !== input.amount) return false;
    } else {
      if (match.amount.min !== undefined && input.amount < match.amount.min) return false;
      if (match.amount.max !== undefined && input.amount > match.amount.max) return false;
    }
  }
  if (match.orderNo !== undefined && !test(match.orderNo, input.orderNo)) return false;
  if (match.card !== undefined && !(input.card !== undefined && test(match.card, input.card))) return false;
  if (match.code !== undefined && !(input.code !== undefined && test(match.code, input.code))) return false;
  return true;
}

const compiled = new Map<string, RE2JS>();

/** Linear-time matching (re2js): a user's pattern cannot stall the event loop, whatever the input. */
function test(pattern: string, input: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re.matcher(input).find();
}

export function compile(scenario: Scenario): ScenarioPlan {
  const plan: ScenarioPlan = { scenarioId: scenario.id, createOutcome: 'default', transitions: [], state: {} };
  const http: HttpEffect[] = [];
  for (const step of scenario.steps) {
    switch (step.do) {
      case 'respond':
        plan.createOutcome = step.outcome;
        // "Pending" is the scenario's to resolve: the payer's buttons do not move it (README, Scenarios).
        if (step.outcome === 'pending') plan.state.hold = true;
        break;
      case 'become':
        plan.transitions.push({ afterMs: Math.round(step.after * 1000), state: step.state });
        break;
      case 'fail-queries':
        plan.state.queryErrors = (plan.state.queryErrors ?? 0) + step.times;
        break;
      case 'notify':
        plan.state.notify = step.mode as NotifyMode;
        break;
      case 'http': {
        const effect: HttpEffect = { on: step.on };
        if (step.delayMs !== undefined) effect.delayMs = step.delayMs;
        if (step.status !== undefined) effect.status = step.status;
        if (step.drop) effect.drop = true;
        if (step.times !== undefined) effect.times = step.times;
        http.push(effect);
        break;
      }
    }
  }
  if (http.length) plan.state.http = http;
  plan.transitions.sort((a, b) => a.afterMs - b.afterMs);
  return plan;
}
