import { defineConfig } from 'vitest/config';

/** Browser tests: the built demo page in Debian's Chromium (`npm run test:e2e`). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
