import { defineConfig } from 'vitest/config';

// One run for the whole monorepo: PostgreSQL and the Temporal dev server start
// once (global setup), and each test file gets its own database cloned from a
// migrated template. The forks pool is required: worker threads crash
// Temporal's native bridge.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['./platform/src/testing/global-setup.ts'],
    include: [
      'platform/**/*.test.ts',
      'workflows/**/*.test.ts',
      'plugins/*/**/*.test.ts',
      'bench/**/*.test.ts',
      'admin-ui/test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
  },
});
