import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomInHour } from '../support/clock-windows';
import { type Api, apiAt } from './support/guest';
import { hasChromium, isCI, launchChromium, type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * The kitchen display's low-stock banner against the real local server: potstickers have a
 * count and a low-stock level; an order takes them to the level and the banner names them;
 * a restock above the level takes it down.
 */

const skip = !hasChromium && !isCI;
// The page's test hook, as the functions passed to page.evaluate see it (no DOM lib here).
declare const window: { __kds: { state: { status: string } } };

describe.skipIf(skip)('low-stock banner on the kitchen display', () => {
  let server: RunningTiffin;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const api: Api = (path, init) => apiAt(server.base)(path, init);
  const devToken = async (body: { role: string; subject: string; storeId?: string }) =>
    (await api('/v1/auth/dev', { method: 'POST', body })).token as string;

  beforeAll(async () => {
    server = await startTiffin();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  }, 150_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('an order that takes potstickers to their level shows the banner; a restock takes it down', async () => {
    // The count is the business day's (04:00 in Shanghai): a turnover before the order would restock it.
    // A page load and its socket take a while on a loaded machine, so a minute of room.
    await roomInHour(60_000);
    const admin = await devToken({ role: 'admin', subject: 'adm_stock_browser' });
    const storeId = `sto_stock_${Date.now().toString(36)}`;
    await api('/v1/admin/stores', {
      method: 'POST',
      token: admin,
      body: {
        id: storeId,
        name: 'Stock banner store',
        location: { lat: 31.2304, lng: 121.4737 },
        timeZone: 'Asia/Shanghai',
        openingHours: [],
        settings: {},
      },
    });
    await api('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [storeId] } });
    const staff = await devToken({ role: 'staff', subject: 'stf_stock_browser', storeId });
    const member = await devToken({ role: 'member', subject: 'mem_stock_browser' });
    const count = (n: number) =>
      api(`/v1/stores/${storeId}/stock/itm_potstickers`, { method: 'PUT', token: staff, body: { count: n } });
    await count(7);
    await api(`/v1/admin/stores/${storeId}/stock/itm_potstickers/low-level`, {
      method: 'PUT',
      token: admin,
      body: { level: 5 },
    });

    const qs = new URLSearchParams({ store: storeId, station: 'kitchen', token: staff });
    await page.goto(`${server.base}/kitchen/?${qs}`);
    await page.waitForFunction(() => window.__kds.state.status === 'connected', undefined, {
      timeout: 15_000,
    });
    const banner = page.locator('#stock-banner');
    expect(await banner.isVisible()).toBe(false);

    await api(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: member,
      body: { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 2 }] },
    });
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.locator('.stock-item').textContent()).toContain('煎锅贴 剩 5 份');
    await page.screenshot({ path: 'test-results/kitchen-stock.png' });

    await count(20);
    await banner.waitFor({ state: 'hidden', timeout: 10_000 });
    expect(errors).toEqual([]);
  });
});
