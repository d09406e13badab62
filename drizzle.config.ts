import { defineConfig } from 'drizzle-kit';

// Migrations are generated here and applied by wrangler (`migrations_dir` in wrangler.toml).
export default defineConfig({
  dialect: 'sqlite',
  schema: './schema/d1/tables/*.tables.ts',
  out: './schema/d1/migrations',
});
