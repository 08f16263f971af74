import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'sandbox-start-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** `npm start` is `node <flags> scripts/start.mjs`: the flags (V8's heap sizing) must be ones this node accepts. */
const startScript = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
const nodeFlags = startScript.slice(1, -1);

describe('npm start (scripts/start.mjs)', () => {
  it('is node, its flags, then the start script', () => {
    expect(startScript[0]).toBe('node');
    expect(startScript.at(-1)).toBe('scripts/start.mjs');
  });

  it('starts, with its node flags, from a folder whose path has a space and non-ASCII characters', async () => {
    // A real folder (Node resolves a symlinked entry script to its target): the script itself is copied there,
    // the sources and packages are linked, and there is no bundle, so it runs src/main.ts through tsx.
    const root = join(parent, 'my projects', '沙箱');
    mkdirSync(join(root, 'scripts'), { recursive: true });
    copyFileSync(join(repo, 'scripts', 'start.mjs'), join(root, 'scripts', 'start.mjs'));
    symlinkSync(join(repo, 'src'), join(root, 'src'), 'dir');
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
    symlinkSync(join(repo, 'package.json'), join(root, 'package.json'));

    const child = spawn(process.execPath, [...nodeFlags, join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: ':memory:', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        const read = (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) resolveUrl(match[1]!);
        };
        child.stdout!.on('data', read);
        child.stderr!.on('data', read);
        child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${out}`)));
      });
      const health = await fetch(`${url}/_sim/health`);
      expect(health.status).toBe(200);
    } finally {
      await new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    }
  });
});
