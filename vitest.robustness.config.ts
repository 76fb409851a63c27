import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/robustness/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
