/**
 * Lints the OpenAPI document exactly as `/openapi.json` serves it (asked of the app in process,
 * no server) with Redocly CLI and the committed ruleset `redocly.yaml`. Exits as the linter does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from '../worker/app.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const res = await app.request('/openapi.json');
if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}: ${await res.text()}`);
const dir = mkdtempSync(join(tmpdir(), 'tiffin-openapi-'));
const file = join(dir, 'openapi.json');
writeFileSync(file, JSON.stringify(await res.json(), null, 2));
const lint = spawnSync(
  join(ROOT, 'node_modules/.bin/redocly'),
  ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', process.env.LINT_FORMAT ?? 'codeframe'],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
rmSync(dir, { recursive: true, force: true });
process.exit(lint.status ?? 1);
