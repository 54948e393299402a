import { defineConfig } from 'vitest/config';

// `npm run test:services`: tests that need services npm cannot install (Debian's redis-server).
export default defineConfig({
  test: {
    include: ['test/services/**/*.spec.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
