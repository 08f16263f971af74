import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server the bench started in its own process. */
export interface Running {
  child: ChildProcess;
  url: string;
  /** Spawn to a healthy answer, ms. */
  startMs: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function spawnServer(args: string[], env: Record<string, string>, health: string, port: number): Promise<Running> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      if ((await fetch(url + health)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited during start-up`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return {
    child,
    url,
    startMs: performance.now() - started,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * What `npm start` passes to node, read from package.json's `start` script (`node <flags> scripts/start.mjs`), so the
 * bench measures the sandbox exactly as it is started.
 */
function startArguments(): string[] {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = scripts.start.trim().split(/\s+/);
  if (command !== 'node' || args.at(-1) !== 'scripts/start.mjs') throw new Error(`npm start is not "node … scripts/start.mjs": ${scripts.start}`);
  return args;
}

/** The sandbox as `npm start` runs it (`node scripts/start.mjs`: the built bundle, with its node flags), in its own process. */
export async function startSandbox(env: Record<string, string>): Promise<Running> {
  return spawnServer(
    startArguments(),
    { HOST: '127.0.0.1', SIM_TIME_SCALE: '0', LOG_LEVEL: 'silent', JOURNAL_LIMIT: '5000', ...env },
    '/_sim/health',
    await freePort(),
  );
}

/** The bare Hono baseline (bench/baseline.ts); `storeFile` is the database of its stored route. */
export async function startBaseline(keysFile: string, storeFile: string): Promise<Running> {
  const port = await freePort();
  return spawnServer(['--import', 'tsx', 'bench/baseline.ts'], { BASELINE_KEYS: keysFile, BASELINE_STORE: storeFile }, '/health', port);
}

/** Resident memory of a process, MiB, from /proc (Linux). */
export function rssMiB(pid: number | undefined): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) a process has used, ms, from /proc; `pid/task/tid` for one of its threads. */
export function cpuMs(pid: number | string | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command), in clock ticks (100 per second).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU ms of each thread of process `pid`, by thread id (`/proc/<pid>/task`); empty once it has ended. */
export function threadCpuMs(pid: number | undefined): Map<number, number> {
  const threads = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) threads.set(Number(tid), cpuMs(`${pid}/task/${tid}`));
  } catch {
    // ended meanwhile
  }
  return threads;
}

/** A merchant's notification endpoint answering `reply`, or never answering when `silent`. */
export async function startReceiver(options: { reply?: string; silent?: boolean } = {}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const held: import('node:http').ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    if (options.silent) {
      held.push(res);
      return;
    }
    req.on('end', () => res.end(options.reply ?? 'SUCCESS'));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
