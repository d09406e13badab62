import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, hasChromium, isCI, launchChromium, type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * The kitchen display in a real browser against the real local server (`npm start` on
 * workerd): a guest orders and pays through the API, the ticket appears on the tablet, a
 * tap bumps it and the order turns ready; the connection drops, an order arrives meanwhile,
 * and the display catches up with `since` when it reconnects.
 */

const skip = !hasChromium && !isCI;
if (skip) {
  console.warn(
    `Skipping the kitchen browser test: ${chromiumPath} is missing. Install Debian's Chromium ` +
      '(`apt-get install -y chromium`) or set CHROMIUM_PATH. In CI (CI set) it never skips.',
  );
}

interface KdsHook {
  state: {
    status: string;
    tickets: Record<string, { ticketNo: string }>;
    connections: { since: number | null; mode: string; seq: number }[];
  };
  lastSeq: number | null;
  socket: WebSocket | null;
}
// The page's globals, as the functions passed to page.evaluate see them (no DOM lib here).
declare const window: { __kds: KdsHook };

const text = async (l: Locator) => (await l.textContent())?.trim();

describe.skipIf(skip)('kitchen display in Chromium', () => {
  let server: RunningTiffin;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleLines: string[] = [];

  async function api<T = Record<string, unknown>>(
    path: string,
    init: { method?: string; token?: string; body?: unknown } = {},
  ): Promise<T> {
    const res = await fetch(`${server.base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const raw = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${raw}`);
    return (raw ? JSON.parse(raw) : {}) as T;
  }

  const devToken = async (body: { role: string; subject: string; storeId?: string }) =>
    (await api<{ token: string }>('/v1/auth/dev', { method: 'POST', body })).token;

  let storeId: string;
  let staff: string;
  let member: string;

  async function placeAndPay(body: Record<string, unknown>) {
    const order = await api<{ id: string; ticketNo: string }>(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: member,
      body,
    });
    const pay = await api<{ payments: { id: string; method: string }[] }>(`/v1/orders/${order.id}/payments`, {
      method: 'POST',
      token: member,
      body: { method: 'sandbox' },
    });
    const payment = pay.payments.find((p) => p.method === 'sandbox');
    if (!payment) throw new Error(`no sandbox payment in ${JSON.stringify(pay)}`);
    await api(`/v1/payments/sandbox/${payment.id}/complete`, { method: 'POST' });
    return order;
  }

  const card = (orderId: string) => page.locator(`.ticket[data-order-id="${orderId}"]`);

  beforeAll(async () => {
    server = await startTiffin();
    browser = await launchChromium({ args: ['--disable-quic', '--disable-component-update', '--disable-sync'] });
    // A landscape tablet.
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true, isMobile: false });
    page = await context.newPage();
    page.on('console', (m) => consoleLines.push(m.text()));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));

    const admin = await devToken({ role: 'admin', subject: 'adm_browser' });
    storeId = `sto_browser_${Date.now().toString(36)}`;
    await api('/v1/admin/stores', {
      method: 'POST',
      token: admin,
      body: {
        id: storeId,
        name: 'Browser test store',
        location: { lat: 31.2304, lng: 121.4737 },
        timeZone: 'Asia/Shanghai',
        openingHours: [], // always open
        settings: {},
      },
    });
    await api('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [storeId] } });
    staff = await devToken({ role: 'staff', subject: 'stf_browser', storeId });
    member = await devToken({ role: 'member', subject: 'mem_browser' });
  }, 150_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('shows a paid order, bumps it on a tap, and catches up after the connection drops', async () => {
    const qs = new URLSearchParams({ store: storeId, station: 'kitchen', token: staff });
    const res = await page.goto(`${server.base}/kitchen/?${qs}`);
    expect(res?.status()).toBe(200);
    expect(await text(page.locator('#station-name'))).toBe('Kitchen');
    await page.waitForFunction(() => window.__kds.state.status === 'connected', undefined, { timeout: 15_000 });
    expect(await page.evaluate(() => window.__kds.state.connections[0]?.since)).toBeNull();

    // A guest orders potstickers for pickup and pays: the ticket appears with its number.
    const first = await placeAndPay({ mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 2 }] });
    await card(first.id).waitFor({ state: 'visible', timeout: 10_000 });
    expect(await text(card(first.id).locator('.ticket-no'))).toBe(first.ticketNo);
    expect(await text(card(first.id).locator('.where'))).toBe('Pickup');
    expect(await text(card(first.id).locator('.item .qty'))).toBe('2×');
    expect(await card(first.id).getAttribute('data-age')).toBe('ok');

    // A tap on the ticket bumps it: the card goes, and the order is ready for the guest
    // (the kitchen is the only station its dishes route to).
    await card(first.id).locator('.ticket-head').tap();
    await card(first.id).waitFor({ state: 'detached', timeout: 10_000 });
    await expect
      .poll(async () => (await api<{ status: string }>(`/v1/orders/${first.id}`, { token: member })).status, {
        timeout: 10_000,
      })
      .toBe('ready');
    expect(await page.evaluate(() => Object.keys(window.__kds.state.tickets))).toEqual([]);

    // The tablet loses its network and its socket; an order is paid meanwhile.
    const seqBefore = await page.evaluate(() => window.__kds.lastSeq);
    expect(seqBefore).toBeGreaterThan(0);
    await context.setOffline(true);
    await page.evaluate(() => window.__kds.socket?.close());
    await page.waitForFunction(() => window.__kds.state.status === 'reconnecting', undefined, { timeout: 5_000 });
    const second = await placeAndPay({
      mode: 'pickup',
      lines: [
        { itemId: 'itm_potstickers', quantity: 1 },
        { itemId: 'itm_cucumber', quantity: 1 },
      ],
      note: 'No garlic on the cucumber, please',
    });
    await page.waitForTimeout(1_500);
    expect(await card(second.id).count()).toBe(0);

    // Back online: the display reconnects by itself with since=<last seq> and gets the ticket.
    await context.setOffline(false);
    await card(second.id).waitFor({ state: 'visible', timeout: 20_000 });
    expect(await text(card(second.id).locator('.ticket-no'))).toBe(second.ticketNo);
    expect(await text(card(second.id).locator('.note'))).toBe('No garlic on the cucumber, please');
    expect(await card(second.id).locator('.item').count()).toBe(2);
    const last = await page.evaluate(() => window.__kds.state.connections.at(-1));
    expect(last).toMatchObject({ since: seqBefore, mode: 'catchup' });
    expect(consoleLines.some((l) => l.includes(`since=${seqBefore}`) && l.includes('connected'))).toBe(true);
    expect(await page.locator('#status').getAttribute('data-state')).toBe('connected');

    // Recall brings back the ticket bumped last.
    await page.locator('#recall').tap();
    await card(first.id).waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('.ticket').count()).toBe(2);

    await page.screenshot({ path: 'test-results/kitchen.png', fullPage: true });
    expect(consoleLines.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  });
});
