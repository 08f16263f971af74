import { RE2JS } from 're2js';
import { z } from 'zod';
import { OUTCOMES } from './kinds.js';

/**
 * A scenario: a matcher and a script of steps. Built-ins live as JSON files in
 * `src/scenarios/builtin/`; users add theirs in `DATA_DIR/scenarios/` or through
 * `POST /_sim/scenarios`. Every one is validated by this schema.
 *
 * @example
 * {
 *   "id": "slow-wechat",
 *   "match": { "provider": "mmsp", "product": "wechat.*" },
 *   "steps": [{ "do": "http", "on": "create", "delayMs": 3000 }]
 * }
 */

const text = z.string().min(1);
const oneOrMany = z.union([text, z.array(text).min(1)]);
/**
 * Patterns come from users and run on every new record: they are RE2 syntax,
 * matched in linear time (re2js), so `^(a+)+$` cannot stall the server.
 * Backreferences and lookarounds, which need backtracking, are refused.
 */
const regex = text.max(1000).refine(
  (source) => {
    try {
      RE2JS.compile(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid RE2 regular expression (no backreferences or lookarounds)' },
);

export const scenarioMatchSchema = z
  .strictObject({
    /** Provider id(s): mmsp, umpay, allinpay, aggpay, icashier. */
    provider: oneOrMany.optional(),
    /** Product name(s); `*` matches any run of characters (`wechat.*`, `*.micropay`). */
    product: oneOrMany.optional(),
    /** Record kind(s): order, refund, payout…; any kind with scenario outcomes when absent. */
    kind: oneOrMany.optional(),
    merchantId: oneOrMany.optional(),
    /** Exact amount in fen, or a range. */
    amount: z
      .union([
        z.number().int().positive(),
        z.strictObject({ min: z.number().int().optional(), max: z.number().int().optional() }),
      ])
      .optional(),
    /** Regular expression over the merchant's number for the record (order no, refund no, payout no). */
    orderNo: regex.optional(),
    /** Regular expression over the card number (quick pay, payouts). */
    card: regex.optional(),
    /** Regular expression over the payer's payment code (micropay). */
    code: regex.optional(),
  })
  .refine((match) => Object.keys(match).length > 0, { message: 'a matcher needs at least one field' });

const seconds = z.number().min(0).max(60 * 60 * 24 * 366);

export const scenarioStepSchema = z.discriminatedUnion('do', [
  /**
   * How the creating request is answered: the record's first state, or a system error. `pending`
   * also holds the record: a payer's pay or fail leaves it as the scenario says.
   */
  z.strictObject({
    do: z.literal('respond'),
    outcome: z.enum(['pending', 'paid', 'failed', 'error', 'processing', 'held']),
  }),
  /** A state change `after` seconds after the record was created; each kind maps the outcome to its own state. */
  z.strictObject({
    do: z.literal('become'),
    state: z.enum(OUTCOMES),
    after: seconds,
  }),
  /** The next `times` queries about the order answer a system error. */
  z.strictObject({ do: z.literal('fail-queries'), times: z.number().int().min(1).max(1000) }),
  /** How notifications for the order are sent. */
  z.strictObject({ do: z.literal('notify'), mode: z.enum(['normal', 'skip', 'duplicate', 'wrong-signature']) }),
  /** Slow or broken answers to requests about the order. */
  z
    .strictObject({
      do: z.literal('http'),
      on: z.enum(['create', 'query', 'any']),
      delayMs: z.number().int().min(0).max(120_000).optional(),
      // A final answer's status: 1xx are interim responses, not answers (204, 205 and 304 go out with no body).
      status: z.number().int().min(200, 'from 200 to 599: a 1xx is an interim response, not an answer').max(599, 'from 200 to 599').optional(),
      drop: z.boolean().optional(),
      times: z.number().int().min(1).optional(),
    })
    .refine((step) => step.delayMs !== undefined || step.status !== undefined || step.drop === true, {
      message: 'an http step needs delayMs, status or drop',
    }),
]);

export const scenarioSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore, at most 64'),
  description: z.string().optional(),
  /** Higher runs first; user scenarios are always tried before built-ins. */
  priority: z.number().int().optional(),
  match: scenarioMatchSchema,
  steps: z.array(scenarioStepSchema).min(1),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof scenarioStepSchema>;
export type ScenarioMatch = z.infer<typeof scenarioMatchSchema>;

/** The first problem in a zod error as `path: message`, e.g. `steps[1].state: Invalid option`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
  return `${path || '(root)'}: ${issue.message}`;
}

/**
 * Validates a scenario, or throws an Error whose message names the source and the field.
 *
 * @example
 * parseScenario(JSON.parse(text), 'scenarios/slow.json');
 */
export function parseScenario(value: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(value);
  if (!result.success) throw new Error(`${source}: ${describeIssue(result.error)}`);
  return result.data;
}
