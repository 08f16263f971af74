import { readFileSync } from 'node:fs';
import type { Scenario } from '../core/scenario-schema.js';
import { parseScenario } from '../core/scenario-schema.js';
import { checkAgainstCatalog, type ScenarioCatalog } from '../core/scenarios.js';
import type { SimulatorDefinition } from '../core/simulator.js';

/** What scenario matchers may name: each provider's products and the kinds with outcomes (as the sandbox builds it). */
export function catalogOf(simulators: SimulatorDefinition[]): ScenarioCatalog {
  return Object.fromEntries(
    simulators.map((s) => [s.id, { products: s.products, kinds: (s.kinds ?? []).filter((kind) => kind.outcomes).map((kind) => kind.name) }]),
  );
}

/**
 * Validates a scenario file (one scenario or an array) exactly as the sandbox
 * does at start, without one running. Throws naming the file, index and field.
 */
export function validateScenarioFile(file: string, simulators: SimulatorDefinition[]): Scenario[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(error as Error).message})`}`);
  }
  const catalog = catalogOf(simulators);
  const items = Array.isArray(value) ? value : [value];
  const seen = new Set<string>();
  return items.map((item, index) => {
    const source = Array.isArray(value) ? `${file}[${index}]` : file;
    const scenario = parseScenario(item, source);
    checkAgainstCatalog(scenario, catalog, source);
    if (seen.has(scenario.id)) throw new Error(`${source}: id ${scenario.id} is defined twice`);
    seen.add(scenario.id);
    return scenario;
  });
}
