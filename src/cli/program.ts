import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS } from '../config.js';
import { SIMULATORS } from '../simulators/index.js';
import { connectSandbox, SandboxApiError, type SandboxClient } from '../testkit/client.js';
import type { SandboxNotification } from '../testkit/types.js';
import { exportKeys } from './keys-export.js';
import { table } from './output.js';
import { validateScenarioFile } from './validate.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Starts the server in this process (`serve`): the composition root, imported on demand. */
  serve(): Promise<void>;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  serve: async () => {
    await import('../main.js');
  },
};

function number(name: string, check: (n: number) => boolean) {
  return (raw: string) => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || !check(value)) throw new InvalidArgumentError(`${name} must be a number${name === 'port' ? ' from 0 to 65535' : ' of 0 or more'}`);
    return value;
  };
}

function lastAttempt(notification: SandboxNotification): string {
  const attempt = notification.attempts.at(-1);
  if (!attempt) return 'no attempt';
  return `attempt ${attempt.attemptNo} (${attempt.trigger}) at ${attempt.at}: ${attempt.verdict}${attempt.httpStatus ? `, HTTP ${attempt.httpStatus}` : ''}${attempt.error ? `, ${attempt.error}` : ''}`;
}

/**
 * The `cn-pay-sandbox` command line: `serve` runs a sandbox; the other
 * commands drive one that is running (`--url`, `--token`) through `/_sim`.
 */
export function createProgram(io: CliIo = defaultIo): Command {
  const program = new Command('cn-pay-sandbox')
    .description('A scriptable sandbox of Chinese payment providers (MMSP, aggpay, the cashier, …).')
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .addOption(new Option('--url <url>', 'a running sandbox').env('SANDBOX_URL').default('http://127.0.0.1:8080'))
    .addOption(new Option('--token <token>', 'its SIM_ADMIN_TOKEN, when it has one').env('SIM_ADMIN_TOKEN'));

  const client = (command: Command): SandboxClient => {
    const { url, token } = command.optsWithGlobals<{ url: string; token?: string }>();
    return connectSandbox(url, token ? { token } : {});
  };
  const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));

  program
    .command('serve')
    .description('run the sandbox (as npm start does); options override the environment')
    .addOption(new Option('-p, --port <port>', 'listen port (0 picks a free one)').argParser(number('port', (n) => Number.isInteger(n) && n >= 0 && n < 65536)))
    .option('--host <host>', 'listen address (beyond loopback it needs SIM_ADMIN_TOKEN)')
    .option('-d, --data-dir <dir>', 'data directory, or :memory:')
    .addOption(new Option('-t, --time-scale <scale>', 'virtual seconds per real second; 0 freezes the clock').argParser(number('time scale', (n) => n >= 0)))
    .option('--clock-start <time>', 'where the clock starts on a fresh data directory (ISO-8601 with offset)')
    .addOption(new Option('--log-format <format>', 'request log format').choices(['auto', 'pretty', 'json']))
    .addOption(new Option('--log-level <level>', 'request log level').choices([...LOG_LEVELS]))
    .action(async (options: { port?: number; host?: string; dataDir?: string; timeScale?: number; clockStart?: string; logFormat?: string; logLevel?: string }, command: Command) => {
      const set = (name: string, value: string | number | undefined) => {
        if (value !== undefined) io.env[name] = String(value);
      };
      set('PORT', options.port);
      set('HOST', options.host);
      set('DATA_DIR', options.dataDir === undefined || options.dataDir === ':memory:' ? options.dataDir : resolve(options.dataDir));
      set('SIM_TIME_SCALE', options.timeScale);
      set('SIM_CLOCK_START', options.clockStart);
      set('LOG_FORMAT', options.logFormat);
      set('LOG_LEVEL', options.logLevel);
      set('SIM_ADMIN_TOKEN', command.optsWithGlobals<{ token?: string }>().token);
      await io.serve();
    });

  program
    .command('keys')
    .description('print the key set of a running sandbox, or export it as files (.pem, .cer, merchant JSON)')
    .option('--provider <id>', 'only this provider')
    .option('--merchant <id>', 'only this merchant')
    .option('-o, --export <dir>', 'write the files into this directory')
    .option('--json', 'print the JSON of GET /_sim/keys')
    .action(async (options: { provider?: string; merchant?: string; export?: string; json?: boolean }, command: Command) => {
      const keys = await client(command).keys();
      if (options.provider) {
        keys.platform = Object.fromEntries(Object.entries(keys.platform).filter(([id]) => id === options.provider));
        keys.merchants = keys.merchants.filter((m) => m.provider === options.provider);
      }
      if (options.merchant) keys.merchants = keys.merchants.filter((m) => m.merchantId === options.merchant);
      if (options.export) {
        const files = exportKeys(keys, resolve(options.export));
        io.out(`wrote ${files.length} files to ${resolve(options.export)}:\n${files.map((f) => `  ${f}`).join('\n')}`);
        return;
      }
      if (options.json) return json(keys);
      io.out(
        table(
          keys.merchants.map((m) => ({
            provider: m.provider,
            merchant: m.merchantId,
            terminal: m.terminalId,
            'md5 key': m.md5Key,
            rsa: m.privateKey ? 'merchant pair' : '',
          })),
          ['provider', 'merchant', 'terminal', 'md5 key', 'rsa'],
        ),
      );
      const platforms = Object.entries(keys.platform);
      if (platforms.length) {
        io.out(`\nplatform keys: ${platforms.map(([id, p]) => `${id}${p.certificate ? ' (+ certificate)' : ''}`).join(', ')}`);
      }
      io.out('PEM keys: --json; as files (with .cer): --export <dir>');
    });

  const scenarios = program.command('scenarios').description('validate scenario files, list the scenarios of a running sandbox');
  scenarios
    .command('validate')
    .description('check scenario files as the sandbox would at start (no sandbox needed)')
    .argument('<files...>', 'JSON files: one scenario or an array each')
    .action((files: string[]) => {
      for (const file of files) {
        const valid = validateScenarioFile(file, SIMULATORS);
        io.out(`${file}: ${valid.length} valid (${valid.map((s) => s.id).join(', ')})`);
      }
    });
  scenarios
    .command('list')
    .description('every scenario of a running sandbox, in the order they are tried')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const list = await client(command).scenarios.list();
      if (options.json) return json(list);
      io.out(table(list, ['id', 'source', 'priority', 'description']));
    });

  const notifications = program.command('notifications').description('notifications of a running sandbox');
  notifications
    .command('replay')
    .description('one extra delivery attempt now')
    .argument('<id>', 'notification id (GET /_sim/notifications)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const notification = await client(command).replay(Number(id));
      if (options.json) return json(notification);
      io.out(`notification ${notification.id} (${notification.provider} ${notification.orderNo}) ${notification.status}: ${lastAttempt(notification)}`);
    });
  notifications
    .command('list')
    .description('notifications with their last attempt')
    .option('--provider <id>')
    .option('--order <no>', 'merchant order number')
    .option('--status <status>', 'pending, delivered or exhausted')
    .option('--json', 'print JSON')
    .action(async (options: { provider?: string; order?: string; status?: SandboxNotification['status']; json?: boolean }, command: Command) => {
      const list = await client(command).notifications({ provider: options.provider, orderNo: options.order, status: options.status });
      if (options.json) return json(list);
      io.out(table(list.map((n) => ({ ...n, last: lastAttempt(n) })), ['id', 'provider', 'orderNo', 'status', 'attemptCount', 'nextAttemptAt', 'last']));
    });

  program
    .command('clock')
    .description('the sandbox clock')
    .command('advance')
    .description('jump forward, processing every event due on the way in time order')
    .argument('<seconds>', 'how far', number('seconds', (n) => n >= 0))
    .action(async (seconds: number, _options: unknown, command: Command) => {
      io.out(await client(command).advance(seconds));
    });

  program
    .command('orders')
    .description('orders of a running sandbox, newest first')
    .option('--provider <id>')
    .option('--state <state>', 'created, pending, paid, failed, closed, refunded…')
    .option('--merchant <id>')
    .option('--order <no>', 'merchant order number')
    .addOption(new Option('--limit <n>', 'at most this many').argParser(number('limit', (n) => Number.isInteger(n) && n > 0)))
    .option('--json', 'print JSON')
    .action(async (options: { provider?: string; state?: string; merchant?: string; order?: string; limit?: number; json?: boolean }, command: Command) => {
      const orders = await client(command).orders({
        provider: options.provider,
        state: options.state,
        merchantId: options.merchant,
        orderNo: options.order,
        limit: options.limit,
      });
      if (options.json) return json(orders);
      io.out(table(orders, ['provider', 'merchantId', 'orderNo', 'platformOrderNo', 'amount', 'state', 'createdAt', 'paidAt']));
    });

  return program;
}

/**
 * Runs the command line and answers the exit code: 0, 1 for a failure (said
 * in one line on standard error), or commander's own for a usage error.
 */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const program = createProgram(io).exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const { url } = program.opts<{ url: string }>();
    if (error instanceof SandboxApiError) io.err(error.message);
    else if (error instanceof TypeError && /fetch failed/.test(error.message)) {
      io.err(`no sandbox answers at ${url}: start one with \`cn-pay-sandbox serve\` or pass --url`);
    } else io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
