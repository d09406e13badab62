import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAt, phone } from './support/guest';
import { chromiumPath, hasChromium, isCI, launchChromium, type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * The merchant's promotions on the guest's phone: `npm start` with the demo promotions, plus
 * a special price the merchant creates through the admin API. The dish cards show their badges
 * ("第二份半价", "限时特价 ¥15"), the whole-order offer ("满30减8") sits above the menu, and the
 * cart bar says what the guest saves.
 */

const skip = !hasChromium && !isCI;
if (skip) console.warn(`Skipping the guest promotions browser test: ${chromiumPath} is missing (set CHROMIUM_PATH).`);

const STORE = 'sto_demo_peoplesq';
const testid = (id: string) => `[data-testid="${id}"]`;
const dish = (itemId: string) => `${testid('menu-item')}[data-item-id="${itemId}"]`;

describe.skipIf(skip)('the guest sees the merchant’s promotions on the menu', () => {
  let server: RunningTiffin;
  let browser: Browser;
  let api: Api;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startTiffin({ timeoutMs: 200_000, promotions: true });
    api = apiAt(server.base);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('badges on the dishes, 满30减8 above the menu, and the saving in the cart bar', async () => {
    const admin = (
      await api<{ token: string }>('/v1/auth/dev', { method: 'POST', body: { role: 'admin', subject: 'adm_promo' } })
    ).token;
    // It may be night in Shanghai: the demo store opens around the clock.
    await api(`/v1/admin/stores/${STORE}`, { method: 'PATCH', token: admin, body: { openingHours: [] } });
    const special = await api<{ id: string; label: string }>('/v1/admin/promotions', {
      method: 'POST',
      token: admin,
      body: { name: '担担面特价', kind: 'flash_price', itemId: 'itm_dandan', price: 1500 },
    });
    expect(special.label).toBe('限时特价 ¥15');
    await api('/v1/admin/promotions', {
      method: 'POST',
      token: admin,
      body: { name: '奶茶会员价', kind: 'member_price', itemId: 'itm_milktea', price: 1200 },
    });

    // A signed-in guest (the cart bar's quote is for members).
    const subject = `mem_promo_${Date.now().toString(36)}`;
    const member = await api<{ token: string }>('/v1/auth/dev', {
      method: 'POST',
      body: { role: 'member', subject, brandId: 'brd_demo', register: true },
    });
    const context = await phone(browser, { token: member.token, member: { id: subject } });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.base}/s/${STORE}`);

    // The one the merchant just made, on its dish.
    const dandan = page.locator(`${dish('itm_dandan')} ${testid('promo-badge')}`);
    await expect.poll(() => dandan.textContent(), { timeout: 20_000 }).toBe('限时特价 ¥15');
    expect(await dandan.getAttribute('data-promotion-id')).toBe(special.id);
    // Its card shows the flash price beside the crossed-out list price.
    expect(await page.locator(`${dish('itm_dandan')} ${testid('flash-price')}`).textContent()).toMatch(/¥\s*15\.00/);
    expect(await page.locator(`${dish('itm_dandan')} ${testid('list-price')}`).evaluate((e) => e.tagName)).toBe('S');
    // The demo's: half price on the second potstickers, 满30减8 on the whole order, a member price marked as such.
    const potstickers = page.locator(`${dish('itm_potstickers')} ${testid('promo-badge')}`);
    expect(await potstickers.textContent()).toBe('第二份半价');
    const offers = page.locator(testid('order-offers'));
    expect(await offers.isVisible()).toBe(true);
    expect(await offers.textContent()).toContain('满30减8');
    const milkTea = page.locator(`${dish('itm_milktea')} ${testid('promo-badge')}`);
    expect(await milkTea.textContent()).toBe('会员价 ¥12');
    expect(await milkTea.getAttribute('class')).toContain('member');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/guest-promotions-top.png' });
    await page.locator(dish('itm_potstickers')).scrollIntoViewIfNeeded();
    expect(await potstickers.isVisible()).toBe(true);

    // Two potstickers: the second is half price, and the cart bar says so.
    const add = page.locator(`${dish('itm_potstickers')} ${testid('add')}`);
    await add.click();
    await add.click();
    await expect.poll(() => page.locator('.cart-sum').textContent(), { timeout: 20_000 }).toMatch(/已优惠\s*¥\s*8\.00/);
    await page.screenshot({ path: 'test-results/guest-promotions-dishes.png' });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
