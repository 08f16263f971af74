// `npm start`: the sandbox, started the fast way when it can be.
//
// `npm ci` builds dist/server.mjs (one bundled file, through `prepare`); starting it takes about half the time of
// transpiling the sources at start. If any source is newer than the bundle (you edited src/), the sources run
// through tsx instead, so what runs is always what you see. Nothing is rebuilt here: `npm run build` does that.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// fileURLToPath, not `.pathname`: a URL's path stays percent-encoded (a space is %20), so a checkout under
// "My Projects" or a non-ASCII folder would look for files that do not exist.
const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'server.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource(join(root, 'src'))) {
  await import(pathToFileURL(bundle).href);
} else {
  if (existsSync(bundle)) console.error('src/ changed since the last build: running the sources through tsx (npm run build for a faster start)');
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'main.ts')).href);
}
