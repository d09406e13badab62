import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAt, phone } from './support/guest';
import { chromiumPath, hasChromium, isCI, launchChromium, type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * The lucky wheel on the guest's phone: the page lists every prize with its published
 * chance (adding up to 100%), marks a prize that is gone, and a signed-in guest spins
 * until the daily limit says no more. A friend opening the guest's shared link (the
 * referral link naming the wheel) earns the guest the day's free spin.
 */

const skip = !hasChromium && !isCI;
if (skip) console.warn(`Skipping the guest wheel browser test: ${chromiumPath} is missing (set CHROMIUM_PATH).`);

const testid = (id: string) => `[data-testid="${id}"]`;

describe.skipIf(skip)('the guest spins the lucky wheel', () => {
  let server: RunningTiffin;
  let browser: Browser;
  let api: Api;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startTiffin({ timeoutMs: 200_000 });
    api = apiAt(server.base);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('shows the published odds, spins once, and says when the day’s spins are used', async () => {
    const admin = (
      await api<{ token: string }>('/v1/auth/dev', { method: 'POST', body: { role: 'admin', subject: 'adm_wheel' } })
    ).token;
    const wheel = await api<{ id: string }>('/v1/admin/wheels', {
      method: 'POST',
      token: admin,
      body: {
        name: '幸运大转盘',
        dailyLimit: 1,
        sharesForFreeSpin: 1,
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        prizes: [
          { label: '20 积分', kind: 'points', points: 20, weight: 1 },
          { label: '10 积分', kind: 'points', points: 10, weight: 1 },
          { label: '谢谢参与', kind: 'none', weight: 1 },
          { label: '免单', kind: 'none', weight: 5, stock: 0 },
        ],
      },
    });
    const subject = `mem_wheel_${Date.now().toString(36)}`;
    const member = await api<{ token: string }>('/v1/auth/dev', {
      method: 'POST',
      body: { role: 'member', subject, brandId: 'brd_demo', register: true },
    });
    const context = await phone(browser, { token: member.token, member: { id: subject } });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.base}/w/${wheel.id}`);

    const prizes = page.locator(testid('wheel-prize'));
    await expect.poll(() => prizes.count(), { timeout: 20_000 }).toBe(4);
    const texts = (await prizes.allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
    expect(texts).toEqual(['20 积分 33.34%', '10 积分 33.33%', '谢谢参与 33.33%', '免单 0.00% · 已抽完']);
    await page.screenshot({ path: 'test-results/guest-wheel-odds.png', fullPage: true });

    await page.locator(testid('spin')).click();
    await expect
      .poll(() => page.locator(testid('wheel-result')).textContent(), { timeout: 20_000 })
      .toMatch(/今日还可抽 0 次/);
    await page.screenshot({ path: 'test-results/guest-wheel-won.png', fullPage: true });
    // The day's one spin is used: the button is off and says why, before the guest taps again.
    await expect
      .poll(() => page.locator(testid('wheel-limit')).textContent(), { timeout: 20_000 })
      .toBe('今天的次数用完了，明天再来');
    expect(await page.locator(testid('spin')).isDisabled()).toBe(true);
    expect((await page.locator(testid('spin')).textContent())?.trim()).toBe('今日次数已用完');
    await expect.poll(() => page.locator(testid('wheel-history-spin')).count(), { timeout: 20_000 }).toBe(1);
    await page.screenshot({ path: 'test-results/guest-wheel-limit.png', fullPage: true });
    // On a fresh visit too: the page reads the guest's standing with their spins.
    await page.reload();
    await expect
      .poll(() => page.locator(testid('wheel-limit')).textContent(), { timeout: 20_000 })
      .toBe('今天的次数用完了，明天再来');
    expect(await page.locator(testid('spin')).isDisabled()).toBe(true);

    const { code } = await api<{ code: string }>(`/v1/wheels/${wheel.id}/share-task`, { token: member.token });
    const friendId = `mem_wheelf_${Date.now().toString(36)}`;
    const friend = await api<{ token: string }>('/v1/auth/dev', {
      method: 'POST',
      body: { role: 'member', subject: friendId, brandId: 'brd_demo', register: true },
    });
    const friendContext = await phone(browser, { token: friend.token, member: { id: friendId } });
    const friendPage = await friendContext.newPage();
    friendPage.on('pageerror', (e) => pageErrors.push(e.message));
    await friendPage.goto(`${server.base}/r/${code}?wheel=${wheel.id}`);
    await expect
      .poll(
        async () => (await api<{ opens: number }>(`/v1/wheels/${wheel.id}/share-task`, { token: member.token })).opens,
        {
          timeout: 20_000,
        },
      )
      .toBe(1);

    // The friend's open earned the day's free spin: the button is on again.
    await page.reload();
    await expect.poll(() => page.locator(testid('spin')).isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.locator(testid('spin')).click();
    await expect
      .poll(() => page.locator(testid('wheel-result')).textContent(), { timeout: 20_000 })
      .toMatch(/今日还可抽 0 次/);
    expect(pageErrors).toEqual([]);
    await friendContext.close();
    await context.close();
  });
});
