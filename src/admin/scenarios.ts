import { Hono, type Context } from 'hono';
import { parseScenario } from '../core/scenario-schema.js';
import { ScenarioConflictError } from '../core/scenarios.js';
import type { SandboxParts } from '../parts.js';
import { adminError, jsonBody } from './respond.js';

/** Scenario CRUD: built-in and file scenarios are listed but only API ones can be changed. */
export function scenarioRoutes({ scenarios, clock }: SandboxParts) {
  const app = new Hono();

  app.get('/', (c) => c.json(scenarios.list()));

  app.get('/:id', (c) => {
    const scenario = scenarios.get(c.req.param('id'));
    return scenario ? c.json(scenario) : adminError(c, 'SCENARIO_NOT_FOUND', `no scenario ${c.req.param('id')}`);
  });

  const save = (mode: 'create' | 'replace') => async (c: Context) => {
    const body = await jsonBody(c);
    if (body === undefined) return adminError(c, 'INVALID_JSON', 'the request body is not JSON');
    const input = mode === 'replace' ? { ...(body as object), id: c.req.param('id') } : body;
    let scenario;
    try {
      scenario = parseScenario(input, 'request body');
    } catch (error) {
      return adminError(c, 'INVALID_SCENARIO', (error as Error).message);
    }
    const existing = scenarios.get(scenario.id);
    if (mode === 'create' && existing) {
      const hint = existing.source === 'api' ? `PUT /_sim/scenarios/${scenario.id} replaces it` : `it is a ${existing.source} scenario: choose another id`;
      return adminError(c, 'SCENARIO_EXISTS', `scenario ${scenario.id} exists: ${hint}`);
    }
    try {
      return c.json(scenarios.put(scenario, clock.now()), mode === 'create' ? 201 : 200);
    } catch (error) {
      if (error instanceof ScenarioConflictError) return adminError(c, 'SCENARIO_READ_ONLY', error.message);
      // A matcher naming an unknown provider or product.
      return adminError(c, 'INVALID_SCENARIO', (error as Error).message);
    }
  };
  app.post('/', save('create'));
  app.put('/:id', save('replace'));

  app.delete('/:id', (c) => {
    try {
      return scenarios.delete(c.req.param('id'))
        ? c.json({ deleted: c.req.param('id') })
        : adminError(c, 'SCENARIO_NOT_FOUND', `no scenario ${c.req.param('id')}`);
    } catch (error) {
      if (error instanceof ScenarioConflictError) return adminError(c, 'SCENARIO_READ_ONLY', error.message);
      throw error;
    }
  });

  return app;
}
