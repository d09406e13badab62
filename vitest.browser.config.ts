import { defineConfig } from 'vitest/config';

// Browser tests run in Node (not inside workerd): each file starts the real local server
// (`scripts/start.mjs`) and drives Debian's Chromium through playwright-core.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
