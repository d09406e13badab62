// Helpers for the guest app's browser tests: API calls from the test, a phone-sized browser
// context, a throttled mobile profile over CDP, and the first screen's gzip bytes.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { gzipBytes } from './guest-node.mjs';

export type Api = <T = Record<string, unknown>>(
  path: string,
  init?: { method?: string; token?: string; body?: unknown },
) => Promise<T>;

export function apiAt(base: string): Api {
  return async (path, init = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const raw = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${raw}`);
    return (raw ? JSON.parse(raw) : {}) as never;
  };
}

export const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** A 390×844 touch phone; signed in as `session` when given (the app's `tiffin.guest` key), where `geolocation` says. */
export async function phone(
  browser: Browser,
  session?: { token: string; member: { id: string } },
  geolocation?: { latitude: number; longitude: number },
) {
  const context = await browser.newContext({
    ...(geolocation ? { geolocation, permissions: ['geolocation'] } : {}),
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: PHONE_UA,
    locale: 'zh-CN',
  });
  // The demo menu's photos live on an outside host the test machine cannot reach.
  await context.route('https://img.tiffin.dev/**', (route) => route.abort());
  if (session) {
    await context.addInitScript(`localStorage.setItem('tiffin.guest', ${JSON.stringify(JSON.stringify(session))});`);
  }
  return context;
}

/** A mid-range phone on a slow 4G link: 150 ms latency, 1.6 Mbit/s down, 4× slower CPU. */
export async function throttle(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
  };
}

/**
 * Records the page's own files (HTML, JS, CSS: everything but API calls) as they load; `bytes()` is their size gzipped
 * at level 9, the size a compressing edge sends, whatever the local server did.
 */
export function recordFiles(page: Page, base: string) {
  const files = new Map<string, Promise<Uint8Array | null>>();
  page.on('response', (res) => {
    const url = res.url();
    if (!url.startsWith(base) || new URL(url).pathname.startsWith('/v1/')) return;
    files.set(
      url,
      res.body().catch(() => null),
    );
  });
  return {
    async bytes() {
      const list = await Promise.all(
        [...files].map(async ([url, body]) => {
          const bytes = await body;
          return { url, gz: bytes ? gzipBytes(bytes) : 0 };
        }),
      );
      return { total: list.reduce((s, f) => s + f.gz, 0), files: list };
    },
    reset: () => files.clear(),
  };
}

/** "¥12.50" → 1250. */
export const cents = (text: string | null | undefined) => {
  const m = /(-?)¥(\d+)\.(\d\d)/.exec(text ?? '');
  if (!m) throw new Error(`no yuan amount in ${JSON.stringify(text)}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
};
