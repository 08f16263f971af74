import { ConfigError, loadConfig } from './config.js';
import { createSandbox } from './sandbox.js';
import { SIMULATORS } from './simulators/index.js';

/** Composition root: config -> store -> clock -> simulators -> server + dispatcher. */
async function main(): Promise<void> {
  const config = loadConfig();
  const sandbox = createSandbox(config, SIMULATORS);
  const { url } = await sandbox.listen();
  const mounts = SIMULATORS.map((s) => `${url}${s.mount}`).join('  ');
  console.log(`payment sandbox listening on ${url}`);
  console.log(`  dashboard ${url}/   admin ${url}/_sim   providers ${mounts}`);
  console.log(`  data ${config.dataDir ?? '(in memory)'}   time scale ${config.timeScale}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
