/**
 * The browser tests (real Chromium through playwright-core, one spec file at a time), and
 * the client's few unit tests, which the top-level vitest.config.ts does not include.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['client/**/*.test.ts', 'e2e/**/*.e2e.ts'],
    // Two cores: one browser at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
