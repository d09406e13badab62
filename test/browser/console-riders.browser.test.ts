import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MANAGER_ID, DEMO_PASSWORD } from '../../schema/d1/seed-accounts';
import { hasChromium, isCI, launchChromium, type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * The console's Riders section: a store manager signs in, adds two riders, makes one a
 * sign-in link (shown once, copied), a guest's paid delivery appears, the manager tries a rider
 * another manager has just deactivated and is told why, assigns the other one, and the rider's
 * page (opened with the link) shows the pickup. Then the manager deactivates that rider from the
 * roster, a clerk sees the roster without its buttons, and the English words are there too.
 */

const skip = !hasChromium && !isCI;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
type Json = any;
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare const document: Json;
declare const innerWidth: number;

describe.skipIf(skip)('the console’s Riders section', () => {
  let server: RunningTiffin;
  let browser: Browser;
  let context: BrowserContext;
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

  async function signIn(p: Page, login: string) {
    await p.goto(`${server.base}/manage/`);
    await p.fill('#login', login);
    await p.fill('#password', DEMO_PASSWORD);
    await p.click('[data-testid="sign-in"] button[type="submit"]');
    await p.getByTestId('riders').waitFor();
  }

  /** A guest's delivery with a slot and a care note, paid through the sandbox. */
  async function paidDelivery(storeId: string) {
    const member = await devToken({ role: 'member', subject: 'mem_console_rider_guest' });
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
        careNote: '汤汁 / soup',
        lines: [{ itemId: 'itm_potstickers', quantity: 2 }],
      },
    });
    const pay = await ok(`/v1/orders/${order.id}/payments`, {
      method: 'POST',
      token: member,
      body: { method: 'sandbox' },
    });
    const payment = pay.payments.find((x: { method: string }) => x.method === 'sandbox');
    await ok(`/v1/payments/sandbox/${payment.id}/complete`, { method: 'POST' });
    return order as { id: string; ticketNo: string };
  }

  const riderRow = (name: string) => page.getByTestId('rider-row').filter({ hasText: name });

  beforeAll(async () => {
    server = await startTiffin();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  }, 150_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('a manager adds riders, sends a link once, is told a deactivated rider cannot be assigned, and assigns the pickup', async () => {
    // An always-open store of its own, kept by the demo manager.
    const admin = await devToken({ role: 'admin', subject: 'adm_demo' });
    const storeId = `sto_console_riders_${Date.now().toString(36)}`;
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
    await ok(`/v1/admin/staff/${DEMO_MANAGER_ID}`, { method: 'PATCH', token: admin, body: { storeIds: [storeId] } });

    await signIn(page, 'manager@demo');
    const section = page.getByTestId('riders');
    await section.getByTestId('riders-empty').waitFor();
    await section.getByTestId('deliveries-empty').waitFor();

    // Two riders added in the console.
    const hires: [string, string][] = [
      ['王师傅', '13900001111'],
      ['李师傅', '13900002222'],
    ];
    for (const [name, phone] of hires) {
      await page.getByTestId('rider-name-input').fill(name);
      await page.getByTestId('rider-phone-input').fill(phone);
      await page.getByTestId('add-rider').locator('button[type="submit"]').click();
      await riderRow(name).waitFor();
    }
    const wang = (await riderRow('王师傅').getAttribute('data-rider'))!;
    const li = (await riderRow('李师傅').getAttribute('data-rider'))!;
    expect(await riderRow('王师傅').textContent()).toContain('13900001111');
    expect(await riderRow('王师傅').getByTestId('rider-sign-in').textContent()).toBe('未发链接');

    // The sign-in link, shown once with a copy button.
    await riderRow('王师傅').getByTestId('rider-issue-link').click();
    const shown = page.getByTestId('rider-link');
    await shown.waitFor();
    const link = await page.getByTestId('rider-link-url').inputValue();
    expect(link).toMatch(/\/rider\/#key=rdk_[\w-]{20,}$/);
    expect(await page.getByTestId('rider-link-note').textContent()).toContain('只显示这一次');
    await page.getByTestId('rider-link-copy').click();
    await expect.poll(() => page.getByTestId('rider-link-copy').textContent()).toContain('已复制');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await page.getByTestId('riders').screenshot({ path: 'test-results/console-riders-link.png' });
    await page.getByTestId('rider-link-done').click();
    expect(await shown.count()).toBe(0);
    expect(await riderRow('王师傅').getByTestId('rider-sign-in').textContent()).toBe('已发链接');
    expect((await riderRow('王师傅').getByTestId('rider-issue-link').textContent())?.trim()).toBe('重发链接');
    expect(await page.content()).not.toContain('rdk_');

    // A guest's paid delivery shows up, waiting for a rider.
    const order = await paidDelivery(storeId);
    await page.getByTestId('riders-refresh').click();
    const row = page.locator(`[data-testid="delivery-row"][data-order="${order.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('delivery-ticket').textContent()).toBe(order.ticketNo);
    expect(await row.getByTestId('delivery-rider').textContent()).toContain('待分配');
    expect(await row.textContent()).toContain('汤汁 / soup');

    // Another manager deactivates 李师傅 meanwhile: this page still offers him, and is told.
    await ok(`/v1/stores/${storeId}/riders/${li}`, { method: 'PATCH', token: admin, body: { active: false } });
    await row.getByTestId('rider-picker').selectOption(li);
    await row.getByTestId('assign').click();
    const refused = row.getByTestId('assign-error');
    await refused.waitFor();
    expect(await refused.getAttribute('data-code')).toBe('rider.inactive');
    expect(await refused.textContent()).toContain('李师傅 已停用，不能分配订单');
    // The roster is read again: 李师傅 shows deactivated and is no longer offered.
    await expect.poll(() => riderRow('李师傅').getAttribute('data-active')).toBe('false');
    expect(await row.locator(`[data-testid="rider-picker"] option[value="${li}"]`).count()).toBe(0);
    await page.getByTestId('riders').screenshot({ path: 'test-results/console-riders-refused.png' });

    // 王师傅 takes it: the row and his count change without a reload.
    await row.getByTestId('rider-picker').selectOption(wang);
    await row.getByTestId('assign').click();
    await expect.poll(() => row.getAttribute('data-rider')).toBe(wang);
    expect(await row.getByTestId('delivery-rider').textContent()).toContain('已分配给 王师傅');
    expect(await row.getByTestId('assign-error').count()).toBe(0);
    expect((await row.getByTestId('assign').textContent())?.trim()).toBe('改派');
    expect(await riderRow('王师傅').getByTestId('rider-load').textContent()).toBe('1');
    const assigned = await ok(`/v1/orders/${order.id}`, { token: admin });
    expect(assigned.delivery.tracking).toMatchObject({ provider: 'own', status: 'rider_assigned' });
    await page.screenshot({ path: 'test-results/console-riders.png', fullPage: true });
    await page.getByTestId('riders').screenshot({ path: 'test-results/console-riders-section.png' });
    // On a phone the section fits the width (the roster scrolls inside its own box).
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    await page.getByTestId('riders').screenshot({ path: 'test-results/console-riders-phone.png' });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The rider opens the link on a phone and sees the pickup.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const riderPage = await phone.newPage();
    riderPage.on('pageerror', (e) => errors.push(e.message));
    await riderPage.goto(link.replace(/^https?:\/\/[^/]+/, server.base));
    await riderPage.getByTestId('pickup').waitFor();
    expect(await riderPage.getByTestId('ticket').textContent()).toBe(order.ticketNo);
    expect(await riderPage.getByTestId('rider-name').textContent()).toContain('王师傅');
    await phone.close();

    // The manager deactivates 王师傅 from the roster: nobody active is left to pick.
    await riderRow('王师傅').getByTestId('rider-deactivate').click();
    await expect.poll(() => riderRow('王师傅').getAttribute('data-active')).toBe('false');
    expect(await riderRow('王师傅').getByTestId('rider-state').textContent()).toBe('已停用');
    expect(await row.getByTestId('rider-off').textContent()).toContain('已停用');
    const picker = row.getByTestId('rider-picker');
    expect(await picker.evaluate((el: Json) => el.options[el.selectedIndex]?.textContent)).toBe('没有在岗的骑手');
    expect(await row.getByTestId('assign').isDisabled()).toBe(true);

    // The same section in English.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('#riders-title').textContent()).toBe('Riders and deliveries');
    const again = page.locator(`[data-testid="delivery-row"][data-order="${order.id}"]`);
    await again.waitFor();
    expect(await again.getByTestId('delivery-rider').textContent()).toContain('Assigned to 王师傅');
    expect(await page.getByTestId('riders').textContent()).not.toMatch(/riderActive|noRiderYet|track\./);
    await page.getByTestId('riders').screenshot({ path: 'test-results/console-riders-en.png' });
    await page.getByRole('button', { name: '中文' }).click();
    expect(errors).toEqual([]);
  });

  it('a clerk sees the roster and may assign, without the manager’s buttons', async () => {
    const clerk = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await clerk.newPage();
    p.on('pageerror', (e) => errors.push(e.message));
    await signIn(p, 'clerk@demo');
    const section = p.getByTestId('riders');
    await section.getByTestId('deliveries-empty').waitFor();
    expect(await section.getByTestId('riders-empty').textContent()).toBe('还没有骑手，请店长添加。');
    expect(await section.getByTestId('add-rider').count()).toBe(0);
    expect(await section.getByTestId('rider-issue-link').count()).toBe(0);
    await section.screenshot({ path: 'test-results/console-riders-clerk.png' });
    await clerk.close();
    expect(errors).toEqual([]);
  });
});
