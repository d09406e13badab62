import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, hasChromium, isCI, launchChromium, type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * The guest's own pages in a phone-sized Chromium against the real local server (`npm start`,
 * DEV_AUTH=1): the demo guest signs in, sees their tier and points, checks in, finds the
 * welcome coupon in "my coupons", their order in "my orders" and orders it again; a friend's
 * referral link opens its page and is accepted.
 */

// The page's globals, as the functions passed to page.evaluate see them (no DOM lib here).
declare const localStorage: { getItem(key: string): string | null };
declare const sessionStorage: { getItem(key: string): string | null };

const skip = !hasChromium && !isCI;
if (skip) console.warn(`Skipping the guest account browser test: ${chromiumPath} is missing.`);

// An iPhone's Safari: not WeChat's browser, so sign-in offers the phone code (and the demo guest).
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
};

describe.skipIf(skip)('the guest’s account pages on a phone', () => {
  let server: RunningTiffin;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  let storeId: string;
  let admin: string;

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
  const devToken = async (body: Record<string, unknown>) =>
    (await api<{ token: string }>('/v1/auth/dev', { method: 'POST', body })).token;
  const shot = (p: Page, name: string) =>
    p.screenshot({ path: `test-results/guest-account-${name}.png`, fullPage: true });
  const guestToken = () =>
    page.evaluate(() => JSON.parse(localStorage.getItem('tiffin.guest') ?? 'null')?.token as string | undefined);
  const testId = (p: Page, id: string) => p.locator(`[data-testid="${id}"]`);

  beforeAll(async () => {
    // A busy machine can take minutes to build and boot workerd.
    server = await startTiffin({ timeoutMs: 300_000 });
    browser = await launchChromium();
    context = await browser.newContext(PHONE);
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));

    // An always-open store (the demo store closes at night), and a welcome coupon for new members.
    admin = await devToken({ role: 'admin', subject: 'adm_browser' });
    storeId = `sto_guest_${Date.now().toString(36)}`;
    await api('/v1/admin/stores', {
      method: 'POST',
      token: admin,
      body: {
        id: storeId,
        name: 'Guest test store',
        location: { lat: 31.2304, lng: 121.4737 },
        timeZone: 'Asia/Shanghai',
        openingHours: [],
        settings: {},
      },
    });
    await api('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [storeId] } });
    const template = await api<{ id: string }>('/v1/admin/coupon-templates', {
      method: 'POST',
      token: admin,
      body: { name: '新人满30减5', rule: { kind: 'amount', threshold: 3000, amountOff: 500 }, validity: { days: 30 } },
    });
    const rules = await api<Record<string, unknown>>('/v1/admin/loyalty/rules', { token: admin });
    await api('/v1/admin/loyalty/rules', {
      method: 'PUT',
      token: admin,
      body: { ...rules, newMemberPack: { templateIds: [template.id] } },
    });
  }, 420_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('the demo guest signs in, sees tier and points on /me, and checks in', async () => {
    await page.goto(`${server.base}/me`);
    await testId(page, 'go-sign-in').tap();
    await page.waitForURL('**/sign-in?next=%2Fme');
    const demo = testId(page, 'dev-login');
    await demo.waitFor();
    // Outside WeChat, with DEV_AUTH: the phone form and the demo guest.
    expect(await testId(page, 'phone').count()).toBe(1);
    await shot(page, 'sign-in');
    await demo.tap();
    await page.waitForURL(`${server.base}/me`);
    await testId(page, 'tier').waitFor();
    expect((await testId(page, 'tier').textContent())?.trim()).not.toBe('');
    expect(await testId(page, 'points').textContent()).toBe('0');
    expect(await testId(page, 'coupon-count').textContent()).toBe('1');
    await shot(page, 'me');

    await testId(page, 'check-in').tap();
    await testId(page, 'check-in-note').waitFor();
    await expect.poll(() => testId(page, 'points').textContent(), { timeout: 10_000 }).toBe('5');
    expect(await testId(page, 'check-in').isDisabled()).toBe(true);
    await shot(page, 'me-checked-in');
  });

  it('my coupons lists the welcome coupon with its rule and validity', async () => {
    await testId(page, 'my-coupons-link').tap();
    await page.waitForURL('**/me/coupons');
    const coupon = testId(page, 'coupon');
    await coupon.first().waitFor();
    expect(await coupon.count()).toBe(1);
    expect(await coupon.first().getAttribute('data-status')).toBe('usable');
    expect(await coupon.first().textContent()).toContain('新人满30减5');
    expect(await coupon.first().textContent()).toContain('满¥30减¥5');
    await shot(page, 'coupons');
    await testId(page, 'coupons-used').tap();
    await page.locator('.empty').waitFor();
  });

  it('my orders shows an order placed with the guest’s token, and reorder fills the cart for checkout', async () => {
    const token = await guestToken();
    expect(token).toBeTruthy();
    const order = await api<{ id: string; ticketNo: string }>(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token,
      body: { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 2 }], couponIds: [] },
    });
    // The order reaches the member's history through the events queue.
    await expect
      .poll(
        async () => (await api<{ items: { id: string }[] }>('/v1/members/me/orders', { token })).items.map((o) => o.id),
        { timeout: 20_000 },
      )
      .toContain(order.id);
    await page.goto(`${server.base}/me/orders`);
    const card = page.locator(`[data-testid="my-order"][data-order-id="${order.id}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain(order.ticketNo);
    await shot(page, 'orders');

    await card.locator('[data-testid="reorder"]').tap();
    await page.waitForURL(`**/s/${storeId}/checkout`);
    const cart = await page.evaluate(
      (id) => JSON.parse(sessionStorage.getItem(`tiffin.cart.${id}`) ?? 'null'),
      storeId,
    );
    expect(cart.lines).toEqual([expect.objectContaining({ itemId: 'itm_potstickers', quantity: 2, price: 1600 })]);
  });

  it('a friend’s referral link opens its page, signs in to accept, and binds the code', async () => {
    const inviter = await devToken({
      role: 'member',
      subject: `mem_inviter_${Date.now().toString(36)}`,
      register: true,
    });
    await api('/v1/members/me', { method: 'PATCH', token: inviter, body: { nickname: '小明' } });
    const { code, shareUrl } = await api<{ code: string; shareUrl: string }>('/v1/members/me/referral', {
      token: inviter,
    });
    // The link points at this worker's own app, on the port it runs on (npm start derives
    // PUBLIC_BASE_URL from PORT), so the link a guest shares opens.
    expect(shareUrl).toBe(`${server.base}/r/${code}`);

    // A stranger on another phone sees who invites and what both get, before signing in.
    const stranger = await browser.newContext(PHONE);
    const other = await stranger.newPage();
    other.on('pageerror', (e) => pageErrors.push(e.message));
    await other.goto(`${server.base}/r/${code}`);
    await testId(other, 'referral').waitFor();
    expect(await testId(other, 'referral').textContent()).toContain('小**');
    await shot(other, 'referral');
    await testId(other, 'accept-referral').tap();
    await other.waitForURL('**/sign-in?**');
    await testId(other, 'dev-login').tap();
    await testId(other, 'referral-accepted').waitFor({ timeout: 10_000 });
    await shot(other, 'referral-accepted');
    await stranger.close();
    expect(pageErrors).toEqual([]);
  });

  /** A paid pickup order of potstickers (a group-buy order when `groupBuy`). */
  async function paidOrder(token: string, groupBuy = false) {
    const order = await api<{ id: string; ticketNo: string }>(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token,
      body: { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }], couponIds: [], groupBuy },
    });
    const pay = await api<{ payments: { id: string; method: string }[] }>(`/v1/orders/${order.id}/payments`, {
      method: 'POST',
      token,
      body: { method: 'sandbox' },
    });
    for (const p of pay.payments.filter((x) => x.method === 'sandbox')) {
      await api(`/v1/payments/sandbox/${p.id}/complete`, { method: 'POST' });
    }
    return order;
  }

  it('a shared group buy shows places and time left, and the guest joins with their paid order', async () => {
    const template = await api<{ id: string }>('/v1/admin/coupon-templates', {
      method: 'POST',
      token: admin,
      body: { name: 'Group reward', rule: { kind: 'free_item', itemId: 'itm_teaegg' }, validity: { days: 30 } },
    });
    const campaign = await api<{ id: string }>('/v1/admin/campaigns', {
      method: 'POST',
      token: admin,
      body: {
        name: '2 together, half back',
        templateId: template.id,
        config: {
          kind: 'group_buy',
          itemId: 'itm_potstickers',
          size: 2,
          percentOff: 50,
          minutes: 60,
          maxGroupsPerMemberPerDay: 2,
        },
      },
    });
    const owner = await devToken({ role: 'member', subject: `mem_owner_${Date.now().toString(36)}`, register: true });
    const group = await api<{ id: string }>(`/v1/campaigns/${campaign.id}/groups`, {
      method: 'POST',
      token: owner,
      body: { orderId: (await paidOrder(owner, true)).id },
    });
    const mine = await paidOrder((await guestToken())!, true);
    await expect
      .poll(
        async () =>
          (
            await api<{ items: { id: string; status: string }[] }>('/v1/members/me/orders', {
              token: await guestToken(),
            })
          ).items.find((o) => o.id === mine.id)?.status,
        { timeout: 20_000 },
      )
      .toBe('paid');

    await page.goto(`${server.base}/g/${campaign.id}/${group.id}`);
    const view = testId(page, 'group-buy');
    await view.waitFor();
    expect(await view.getAttribute('data-status')).toBe('open');
    expect(await view.textContent()).toMatch(/1\/2/);
    expect(await page.locator('[role="timer"]').textContent()).toMatch(/\d+:\d\d/);
    await shot(page, 'group-buy');
    await testId(page, 'join-group').first().tap();
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 10_000 }).toBe('filled');
    await shot(page, 'group-buy-filled');
  });

  it('a shared bargain shows its progress and the guest helps cut', async () => {
    const template = await api<{ id: string }>('/v1/admin/coupon-templates', {
      method: 'POST',
      token: admin,
      body: { name: 'Rung 1', rule: { kind: 'amount', threshold: 0, amountOff: 300 }, validity: { days: 30 } },
    });
    const campaign = await api<{ id: string }>('/v1/admin/campaigns', {
      method: 'POST',
      token: admin,
      body: {
        name: 'Share for a cut',
        config: {
          kind: 'bargain',
          rungs: [{ helpers: 1, templateId: template.id }],
          hours: 24,
          maxHelpsPerMemberPerDay: 3,
        },
      },
    });
    const owner = await devToken({ role: 'member', subject: `mem_cutter_${Date.now().toString(36)}`, register: true });
    const bargain = await api<{ id: string }>(`/v1/campaigns/${campaign.id}/bargains`, {
      method: 'POST',
      token: owner,
    });

    await page.goto(`${server.base}/b/${campaign.id}/${bargain.id}`);
    const view = testId(page, 'bargain');
    await view.waitFor();
    expect(await view.getAttribute('data-status')).toBe('open');
    await shot(page, 'bargain');
    await testId(page, 'help-bargain').tap();
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 10_000 }).toBe('done');
    expect(await testId(page, 'help-bargain').count()).toBe(0);
    await shot(page, 'bargain-helped');
    expect(pageErrors).toEqual([]);
  });
});
