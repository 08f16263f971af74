import { defineConfig } from 'vitest/config';

/**
 * `npm run test:browser`: the browser tests (playwright-core driving Debian's
 * Chromium), kept out of `npm test` so it stays quick. One file at a time: each
 * starts a sandbox, a merchant site and a browser, and the machine has two cores.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
