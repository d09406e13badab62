// Node-side helpers for the browser tests: the real local server (`scripts/start.mjs` on
// wrangler/workerd) on a free port with its own state directory, and where Chromium lives.
// Plain JS with a declaration file, so the type-checked tests need no Node typings.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../../..');

export const isCI = Boolean(process.env.CI);
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** Headless Chromium as the browser tests launch it; `args` adds flags (a fake microphone, ...). */
export function launchChromium({ args = [] } = {}) {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', ...args],
  });
}

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/**
 * Starts `node scripts/start.mjs` (seeded, DEV_AUTH, sandbox payments) and waits for /healthz.
 * Without the 60 days of demo history unless `history: true` (it costs seconds per start), and
 * without the demo promotions unless `promotions: true` (tests assert exact menu prices and totals).
 * `persistDir` restarts on the state an earlier start left (stopped with `keepState: true`).
 */
export async function startTiffin({
  port,
  timeoutMs = 90_000,
  history = false,
  promotions = false,
  persistDir: given,
} = {}) {
  const chosen = port ?? (Number(process.env.BROWSER_TEST_PORT || 0) || (await freePort()));
  const persistDir = given ?? mkdtempSync(join(tmpdir(), 'tiffin-browser-'));
  const bin = join(root, 'node_modules', '.bin');
  // start.mjs spawns `wrangler` by name, and needs a Node that runs .ts imports (the project's node@22).
  const node = existsSync(join(bin, 'node')) ? join(bin, 'node') : process.execPath;
  let output = '';
  const child = spawn(node, ['scripts/start.mjs'], {
    cwd: root,
    env: {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      PORT: String(chosen),
      TIFFIN_PERSIST_DIR: persistDir,
      TIFFIN_DEMO_HISTORY: history ? '1' : '0',
      TIFFIN_DEMO_PROMOTIONS: promotions ? '1' : '0',
      WRANGLER_SEND_METRICS: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: wrangler and workerd go down with it
  });
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((ok) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      ok();
    });
  });

  const base = `http://127.0.0.1:${chosen}`;
  const stop = async ({ keepState = false } = {}) => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const killed = await Promise.race([
        exit.then(() => true),
        new Promise((ok) => setTimeout(() => ok(false), 5_000)),
      ]);
      if (!killed) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
    }
    if (!keepState) rmSync(persistDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, persistDir, stop, logs: () => output };
    } catch {}
    await new Promise((ok) => setTimeout(ok, 300));
  }
  // A state directory the caller brought is theirs to remove.
  await stop({ keepState: Boolean(given) });
  throw new Error(
    `Tiffin did not come up at ${base} (${exited ? `exited ${JSON.stringify(exited)}` : 'timed out'}):\n${output}`,
  );
}
