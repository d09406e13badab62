import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { configDefaults, defineConfig } from 'vitest/config';
import { testSigningJwk } from './test/support/keys.ts';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./schema/d1/migrations');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            DEV_AUTH: '1',
            SANDBOX_PAYMENTS: '1',
            SANDBOX_PAYMENTS_KEY: 'sandbox-test-key',
            JWT_PRIVATE_JWK: JSON.stringify(testSigningJwk),
            DATA_KEY: 'dGlmZmluLXRlc3QtZGF0YS1rZXktMzItYnl0ZXMhISE=',
            WECHAT_APPID: 'wx_test_app',
            WECHAT_SECRET: 'test_secret',
            TEST_MIGRATIONS: migrations,
          },
        },
      }),
    ],
    test: {
      setupFiles: ['./test/support/apply-migrations.ts'],
      include: ['test/**/*.test.ts'],
      // Browser tests run in Node against the real local server: vitest.browser.config.ts.
      exclude: [...configDefaults.exclude, 'test/browser/**'],
      testTimeout: 30_000,
    },
  };
});
