import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: tests that start PostgreSQL clusters or PGlite instances are heavy.
    pool: 'forks',
    maxWorkers: 2,
  },
});
