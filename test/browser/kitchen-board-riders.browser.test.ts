import type { Browser, Page, Route, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, isCI, launchChromium } from './support/server.mjs';
import { webFile } from './support/web-files.mjs';

/*
 * The pickup board's riders in Chromium: the kitchen page's own modules, served from web/,
 * with the store's socket played by the test (the kitchen protocol's hello, a snapshot with
 * `board.deliveries`, then `delivery.updated` events as the carriers' callbacks make them).
 * The rider list follows each event live; a rider who took the food leaves the board.
 */

const skip = !hasChromium && !isCI;
const ORIGIN = 'http://kitchen.test';
const STORE = 'sto_board';

describe.skipIf(skip)('pickup board riders', () => {
  let browser: Browser;
  let page: Page;
  let socket: WebSocketRoute | undefined;
  let seq = 10;
  const errors: string[] = [];

  const event = (orderId: string, delivery: Record<string, string>) =>
    socket?.send(
      JSON.stringify({
        type: 'event',
        event: { seq: ++seq, type: 'delivery.updated', station: 'board', orderId, at: Date.now(), delivery },
      }),
    );

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(`${ORIGIN}/**`, async (route: Route) => {
      const url = new URL(route.request().url());
      if (url.pathname === `/v1/stores/${STORE}/kitchen/tickets`) return route.fulfill({ json: { ticket: 'tkt_1' } });
      const file = webFile(url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname);
      return file ? route.fulfill({ body: file.body, contentType: file.contentType }) : route.fulfill({ status: 404 });
    });
    await page.routeWebSocket(/\/v1\/stores\/sto_board\/kitchen\?/, (ws) => {
      socket = ws;
      ws.onMessage((m) => {
        if (m === 'ping') ws.send('pong');
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          station: 'board',
          seq,
          mode: 'snapshot',
          thresholds: { warnMinutes: 8, lateMinutes: 15 },
        }),
      );
      ws.send(
        JSON.stringify({
          type: 'snapshot',
          seq,
          tickets: [],
          board: {
            preparing: ['C003', 'C004'],
            ready: ['B012', 'C001'],
            deliveries: [
              { ticketNo: 'C001', status: 'at_store', provider: 'dada', riderName: '张师傅' },
              { ticketNo: 'C003', status: 'awaiting_rider', provider: 'sf' },
            ],
          },
        }),
      );
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows who comes for which ticket and follows each rider live', async () => {
    await page.goto(`${ORIGIN}/kitchen/?store=${STORE}&station=board&token=dev.device.token`);
    const rows = page.locator('#board-riders .rider');
    await expect.poll(() => rows.count()).toBe(2);
    // The rider at the counter first.
    expect(await rows.nth(0).getAttribute('data-ticket-no')).toBe('C001');
    expect(await rows.nth(0).textContent()).toContain('达达');
    expect(await rows.nth(0).textContent()).toContain('张师傅');
    expect(await rows.nth(0).locator('.rider-status').textContent()).toBe('骑手到店 At counter');
    expect(await rows.nth(1).locator('.rider-status').textContent()).toBe('待接单 Finding rider');

    // SF's rider accepts C003; a WeChat delivery joins; the Dada rider takes C001 away.
    event('ord_3', { ticketNo: 'C003', status: 'rider_assigned', provider: 'sf', riderName: '李师傅' });
    event('ord_4', { ticketNo: 'C004', status: 'awaiting_rider', provider: 'wechat' });
    event('ord_1', { ticketNo: 'C001', status: 'picked_up', provider: 'dada', riderName: '张师傅' });
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-ticket-no')).toBe('C003');
    expect(await rows.nth(0).textContent()).toContain('顺丰同城');
    expect(await rows.nth(0).textContent()).toContain('李师傅');
    expect(await rows.nth(0).locator('.rider-status').textContent()).toBe('骑手赶来 On the way');
    expect(await rows.nth(1).textContent()).toContain('微信配送');
    expect(await page.locator('#board-ready').textContent()).toContain('C001');
    await page.screenshot({ path: '/tmp/board.png' });
    expect(errors).toEqual([]);
  });
});
