import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBuiltinScenarios, loadScenarioDir } from './loader.js';

const dirs: string[] = [];
function dirWith(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('scenario loading', () => {
  it('ships the four magic amounts for every provider, and the cashier’s own two, as valid built-ins', () => {
    const scenarios = loadBuiltinScenarios();
    const everyProvider = scenarios.filter((s) => s.match.provider === undefined);
    expect(Object.fromEntries(everyProvider.map((s) => [s.match.amount, s.id]))).toEqual({
      2001: 'magic-2001-pending-then-paid',
      2002: 'magic-2002-pending-then-closed',
      2003: 'magic-2003-failed',
      2004: 'magic-2004-system-error',
    });
    const cashier = scenarios.filter((s) => s.match.provider === 'icashier');
    expect(Object.fromEntries(cashier.map((s) => [s.match.amount, s.id]))).toEqual({
      2005: 'icashier-2005-processing',
      2006: 'icashier-2006-held',
    });
  });

  it('reads one scenario or an array per file, in name order', () => {
    const dir = dirWith({
      'b.json': JSON.stringify([{ id: 'b1', match: { amount: 1 }, steps: [{ do: 'notify', mode: 'skip' }] }]),
      'a.json': JSON.stringify({ id: 'a', match: { amount: 2 }, steps: [{ do: 'notify', mode: 'skip' }] }),
      'notes.txt': 'ignored',
    });
    expect(loadScenarioDir(dir, 'scenarios').map((s) => s.id)).toEqual(['a', 'b1']);
  });

  it('names the file and field of an invalid scenario', () => {
    const dir = dirWith({ 'slow.json': JSON.stringify([{ id: 's', match: { amount: 1 }, steps: [{ do: 'http', on: 'sometimes', delayMs: 1 }] }]) });
    expect(() => loadScenarioDir(dir, 'scenarios')).toThrow('scenarios/slow.json[0]: steps[0].on');
  });

  it('names a file that is not JSON, and a duplicated id', () => {
    expect(() => loadScenarioDir(dirWith({ 'x.json': '{' }), 'scenarios')).toThrow(/scenarios\/x\.json: not valid JSON/);
    const twice = JSON.stringify({ id: 'same', match: { amount: 1 }, steps: [{ do: 'notify', mode: 'skip' }] });
    expect(() => loadScenarioDir(dirWith({ 'a.json': twice, 'b.json': twice }), 'scenarios')).toThrow(/id same is already defined in a\.json/);
  });

  it('treats a missing directory as empty', () => {
    expect(loadScenarioDir('/nonexistent/scenarios')).toEqual([]);
  });
});
