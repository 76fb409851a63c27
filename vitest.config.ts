import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'packs/**/*.test.ts', 'web/src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Tests that bind well-known ports or network namespaces run one file at a time.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
