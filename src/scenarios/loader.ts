import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, type Scenario } from '../core/scenario-schema.js';

export const BUILTIN_DIR = fileURLToPath(new URL('./builtin/', import.meta.url));

/**
 * Reads every `*.json` scenario in a directory, in name order. A file holds one
 * scenario or an array of them. An invalid file stops the load with a message
 * naming the file and the field, so a typo never silently disables a scenario.
 *
 * @example
 * loadScenarioDir('data/scenarios'); // throws "data/scenarios/slow.json: steps[0].do: Invalid input"
 */
export function loadScenarioDir(
  dir: string,
  label = dir,
  check: (scenario: Scenario, source: string) => void = () => {},
): Scenario[] {
  if (!existsSync(dir)) return [];
  const scenarios: Scenario[] = [];
  const seen = new Map<string, string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const source = join(label, name);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
    }
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      const itemSource = Array.isArray(value) ? `${source}[${index}]` : source;
      const scenario = parseScenario(item, itemSource);
      check(scenario, itemSource);
      const previous = seen.get(scenario.id);
      if (previous) throw new Error(`${source}: id ${scenario.id} is already defined in ${previous}`);
      seen.set(scenario.id, basename(source));
      scenarios.push(scenario);
    });
  }
  return scenarios;
}

export function loadBuiltinScenarios(check?: (scenario: Scenario, source: string) => void): Scenario[] {
  return loadScenarioDir(BUILTIN_DIR, 'src/scenarios/builtin', check);
}
