import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import type { SimulatorDefinition } from '../../src/core/simulator.js';
import { startMerchant, type Replier } from './merchant.js';
import { startSandbox, type RunningSandbox } from './sandbox.js';

type MerchantStub = Awaited<ReturnType<typeof startMerchant>>;

export interface HarnessOptions {
  /** Extra environment for the sandbox (e.g. a short NOTIFY_TIMEOUT_MS). */
  env?: Record<string, string>;
  /** What the merchant stub answers by default: the provider's acknowledgement. */
  ack?: string;
  /** Reset the sandbox and the stub's record before every test. */
  resetEach?: boolean;
  /** The simulators to serve instead of the built-in ones (engine tests with a simulator of their own). */
  simulators?: SimulatorDefinition[];
}

/**
 * The hooks every end-to-end file needs: the real server (in-memory store,
 * frozen clock) and a merchant stub started once for the file and closed after
 * it. Returns stand-ins for both that reach the started instances, so tests use
 * `sim` and `merchant` as if they held them.
 *
 * @example
 * const { sim, merchant } = useSandbox({ resetEach: true });
 */
export function useSandbox(options: HarnessOptions = {}): { sim: RunningSandbox; merchant: MerchantStub } {
  const ack: Replier = () => ({ body: options.ack ?? 'SUCCESS' });
  let running: RunningSandbox | undefined;
  let stub: MerchantStub | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the sandbox is not started: use it inside a test or a hook');
    return value;
  };

  // The sandbox logs what it did not expect ("[sandbox] unexpected error", "[dispatcher]" …): a test fails on any (DESIGN.md principle 7).
  const unexpected: unknown[][] = [];
  const consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    unexpected.push(args);
  });

  beforeAll(async () => {
    running = await startSandbox({ ...(options.env ? { env: options.env } : {}), ...(options.simulators ? { simulators: options.simulators } : {}) });
    stub = await startMerchant(ack);
  });
  afterEach(() => {
    expect(unexpected.splice(0).map((args) => args.map(String).join(' ')), 'errors the sandbox logged').toEqual([]);
  });
  afterAll(async () => {
    await running?.close();
    await stub?.close();
    consoleError.mockRestore();
  });
  if (options.resetEach) {
    beforeEach(async () => {
      await started(running).post('/_sim/reset');
      started(stub).received.length = 0;
      started(stub).setReply(ack);
    });
  }

  const sim: RunningSandbox = {
    get url() {
      return started(running).url;
    },
    get sandbox() {
      return started(running).sandbox;
    },
    get: (path) => started(running).get(path),
    post: (path, body) => started(running).post(path, body),
    request: (method, path, body) => started(running).request(method, path, body),
    advance: (seconds) => started(running).advance(seconds),
    state: () => started(running).state(),
    close: () => started(running).close(),
  };
  const merchant: MerchantStub = {
    get url() {
      return started(stub).url;
    },
    get received() {
      return started(stub).received;
    },
    setReply: (next) => started(stub).setReply(next),
    close: () => started(stub).close(),
  };
  return { sim, merchant };
}
