import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The browser tests run in `npm run test:browser` (vitest.browser.config.ts).
    exclude: ['test/browser/**', '**/node_modules/**'],
    // End-to-end tests start real servers and merchant stubs; keep them isolated per file.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A poll's first answer may wait for a worker thread to start (tsx compiling it) on a loaded machine: 1 s is thin.
    expect: { poll: { timeout: 10_000 } },
  },
});
