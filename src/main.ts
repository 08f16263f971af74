import { networkInterfaces } from 'node:os';
import { ConfigError, loadConfig } from './config.js';
import { createSandbox } from './sandbox.js';
import { SIMULATORS } from './simulators/index.js';

/** Composition root: config -> store -> clock -> simulators -> server + dispatcher. */
async function main(): Promise<void> {
  const config = loadConfig();
  const sandbox = createSandbox(config, SIMULATORS);
  const { url, providerUrls } = await sandbox.listen();
  const mounts = SIMULATORS.map((s) => `${url}${s.mount}`).join('  ');
  console.log(`payment sandbox listening on ${url}${config.adminToken ? '   (/_sim needs the admin token)' : ''}`);
  if (config.host === '0.0.0.0' || config.host === '::') {
    const lan = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => `http://${i!.address}:${new URL(url).port}`);
    if (lan.length) console.log(`  reachable from other machines at ${lan.join('  ')}`);
  }
  console.log(`  dashboard ${url}/   admin ${url}/_sim   providers ${mounts}`);
  for (const [id, providerUrl] of Object.entries(providerUrls)) console.log(`  ${id} also at the root of ${providerUrl}`);
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
