import type { Browser } from 'playwright-core';

/** Whether CI is set: there the browser tests must run, never skip. */
export const isCI: boolean;
/** Debian's Chromium (`apt-get install -y chromium`), or CHROMIUM_PATH. */
export const chromiumPath: string;
export const hasChromium: boolean;
/** Headless Chromium at `chromiumPath` with the flags every browser test uses; `args` adds more. */
export function launchChromium(options?: { args?: string[] }): Promise<Browser>;

export interface RunningTiffin {
  /** http://127.0.0.1:<port> */
  base: string;
  /** The state directory (D1, KV, Durable Objects) it runs on. */
  persistDir: string;
  /** Stops the server's process group and removes its state directory, unless `keepState` (to start on it again). */
  stop: (options?: { keepState?: boolean }) => Promise<void>;
  /** The last output of wrangler, for failure messages. */
  logs: () => string;
}

/**
 * Starts `node scripts/start.mjs` on a free port with a fresh state directory; resolves once /healthz answers.
 * `history: true` seeds the demo brand's 60 days of history (off by default: it costs seconds per start);
 * `promotions: true` seeds the demo promotions (off by default: tests assert exact prices and totals);
 * `persistDir` starts on an earlier run's state instead (a restart), stopped with `keepState: true`.
 */
export function startTiffin(options?: {
  port?: number;
  timeoutMs?: number;
  history?: boolean;
  promotions?: boolean;
  persistDir?: string;
}): Promise<RunningTiffin>;
