import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { seedStatements } from '../../schema/d1/seed';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    }
  }
}

// Setup files run before each test file: migrations and seed are idempotent.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const statements = seedStatements();
await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
