import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, isCI, launchChromium, type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * Issue #19, own riders: a manager adds a rider and sends the sign-in link; a guest's paid
 * delivery with a care note is assigned to the rider; on a phone-sized page the rider sees
 * the pickup, the guest's phone and the care note, taps arrived, picked up and delivered,
 * and the order is completed.
 */

const skip = !hasChromium && !isCI;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
type Json = any;

describe.skipIf(skip)('the rider page', () => {
  let server: RunningTiffin;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  async function ok<T = Json>(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
    const res = await fetch(`${server.base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const raw = await res.text();
    if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${raw}`);
    return (raw ? JSON.parse(raw) : {}) as T;
  }
  const devToken = async (body: Record<string, unknown>) =>
    (await ok<{ token: string }>('/v1/auth/dev', { method: 'POST', body })).token;

  beforeAll(async () => {
    server = await startTiffin();
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      geolocation: { latitude: 31.2354, longitude: 121.4737 },
      permissions: ['geolocation'],
    });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  }, 150_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('a manager assigns; the rider signs in with the link, sees the pickup and the care note, and delivers', async () => {
    const admin = await devToken({ role: 'admin', subject: 'adm_demo' });
    const storeId = `sto_riders_${Date.now().toString(36)}`;
    await ok('/v1/admin/stores', {
      method: 'POST',
      token: admin,
      body: {
        id: storeId,
        name: '骑手测试店 Rider test',
        location: { lat: 31.2304, lng: 121.4737 },
        timeZone: 'Asia/Shanghai',
        openingHours: [],
        settings: {},
      },
    });
    await ok('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [storeId] } });
    const manager = await devToken({ role: 'staff', subject: 'stf_rider_mgr', storeId, staffRole: 'manager' });
    const member = await devToken({ role: 'member', subject: 'mem_rider_guest' });

    const rider = await ok(`/v1/stores/${storeId}/riders`, {
      method: 'POST',
      token: manager,
      body: { name: '王师傅', phone: '13900001111' },
    });
    const { link } = await ok(`/v1/stores/${storeId}/riders/${rider.id}/sign-in-link`, {
      method: 'POST',
      token: manager,
    });

    const slots = await ok(`/v1/stores/${storeId}/delivery-slots`);
    const order = await ok(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: member,
      body: {
        mode: 'delivery',
        address: {
          text: '上海市黄浦区南京东路 200 号 5 楼',
          lat: 31.2404,
          lng: 121.4737,
          contactName: '王先生',
          contactPhone: '13812345678',
        },
        deliverySlot: slots.items[0].start,
        careNote: '易碎 / fragile',
        lines: [{ itemId: 'itm_potstickers', quantity: 2 }],
      },
    });
    const pay = await ok(`/v1/orders/${order.id}/payments`, {
      method: 'POST',
      token: member,
      body: { method: 'sandbox' },
    });
    const payment = pay.payments.find((p: { method: string }) => p.method === 'sandbox');
    await ok(`/v1/payments/sandbox/${payment.id}/complete`, { method: 'POST' });
    await ok(`/v1/orders/${order.id}/rider`, { method: 'POST', token: manager, body: { riderId: rider.id } });

    await page.goto(link.replace(/^https?:\/\/[^/]+/, server.base));
    const card = page.getByTestId('pickup');
    await card.waitFor({ state: 'visible' });
    expect(page.url()).not.toContain('rdk_');
    expect(await page.getByTestId('ticket').textContent()).toBe(order.ticketNo);
    expect(await page.getByTestId('care-note').textContent()).toContain('易碎 / fragile');
    expect(await page.getByTestId('phone').textContent()).toBe('13812345678');
    expect(await page.getByTestId('address').textContent()).toContain('南京东路');
    expect(await page.getByTestId('rider-name').textContent()).toContain('王师傅');
    await page.screenshot({ path: 'test-results/rider.png', fullPage: true });

    for (const tap of ['arrived', 'picked-up', 'delivered']) {
      const button = page.getByTestId(`tap-${tap}`);
      await button.waitFor({ state: 'visible' });
      await button.click();
    }
    await page.getByTestId('no-pickups').waitFor({ state: 'visible' });
    const done = await ok(`/v1/orders/${order.id}`, { token: member });
    expect(done.status).toBe('completed');
    expect(done.delivery.tracking).toMatchObject({ status: 'delivered', provider: 'own' });
    expect(done.delivery.tracking.position).toMatchObject({ lat: 31.2354, lng: 121.4737 });
    expect(errors).toEqual([]);
  });
});
