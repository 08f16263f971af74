// `npm run build` (and `prepare`, so `npm ci` on a fresh clone builds it): the testkit and the CLI in dist/.
// Needs nothing but the installed devDependencies.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'tsconfig.cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
}
// Built-in scenarios are read from beside the loader at run time.
cpSync('src/scenarios/builtin', 'dist/scenarios/builtin', { recursive: true });
// The server as one bundled file (npm start runs it: one module to load instead of ~250), and beside it the delivery
// thread's own file (core/delivery-thread.ts starts it from there); packages stay external.
for (const [entry, outfile] of [
  ['src/main.ts', 'dist/server.mjs'],
  ['src/core/delivery-worker.ts', 'dist/delivery-worker.mjs'],
]) {
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', outfile, logLevel: 'warning' });
}
// The bundle's loader looks for the built-in scenarios beside itself.
cpSync('src/scenarios/builtin', 'dist/builtin', { recursive: true });
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
chmodSync('dist/cli/index.js', 0o755);
console.log('built dist/ (ES modules, CLI, server.mjs bundle) and dist/cjs/ (the remote testkit as CommonJS)');
