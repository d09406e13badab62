// Node-side helpers for the guest app's browser tests (plain JS with a declaration file, as
// server.mjs, so the type-checked tests need no Node typings).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Bytes of `body` gzipped at level 9. */
export function gzipBytes(body) {
  return gzipSync(body, { level: 9 }).length;
}

/**
 * Writes SQL the local server runs after its seed (start.mjs's TIFFIN_EXTRA_SQL) and returns
 * its path: members that signing in through WeChat or a phone would have created.
 */
export function extraSql(statements) {
  const dir = mkdtempSync(join(tmpdir(), 'tiffin-guest-sql-'));
  const path = join(dir, 'extra.sql');
  writeFileSync(path, `${statements.join(';\n')};\n`);
  return path;
}

/** Sets an environment variable of this process (start.mjs inherits it). */
export function setEnv(name, value) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
