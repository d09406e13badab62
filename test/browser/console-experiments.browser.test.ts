import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../schema/d1/seed-accounts';
import { hasChromium, isCI, launchChromium, type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * Issue #20, the console's Experiments section: the owner runs a menu-layout experiment,
 * guests are exposed (each keeps the variant the hash gave them) and some convert; the
 * console lists the experiment with each variant's exposures, conversions, rate and 95 %
 * interval exactly as the results API computes them, the difference from the control in
 * words, and the brand's campaign holdout; the same words in English.
 */

const skip = !hasChromium && !isCI;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
type Json = any;

/** A rate as the console writes it: 0.3742 → "37.4%". */
const percent = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`;

describe.skipIf(skip)('the console’s Experiments section', () => {
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

  beforeAll(async () => {
    server = await startTiffin();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  }, 150_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('shows each variant’s rate with its 95 % interval and the difference from the control, as the API computes them', async () => {
    const owner = (
      await ok('/v1/auth/login', { method: 'POST', body: { login: 'owner@demo', password: DEMO_PASSWORD } })
    ).token as string;
    const key = `menu_layout_${Date.now().toString(36)}`;
    const exp = await ok('/v1/admin/experiments', {
      method: 'POST',
      token: owner,
      body: {
        key,
        name: '菜单宫格还是列表 Menu grid or list',
        kind: 'page_flag',
        variants: [
          { key: 'grid', weight: 1 },
          { key: 'list', weight: 1 },
        ],
        conversion: { type: 'event', event: 'dish_opened', windowDays: 7 },
        status: 'running',
      },
    });
    await ok('/v1/admin/campaign-holdout', { method: 'PUT', token: owner, body: { percent: 5 } });

    // 60 guests see the menu; every list guest opens a dish, one grid guest in four does.
    let gridSeen = 0;
    for (let i = 0; i < 60; i++) {
      const subject = `mem_exp_${key}_${i}`;
      const { token } = await ok('/v1/auth/dev', {
        method: 'POST',
        body: { role: 'member', subject, brandId: 'brd_demo', register: true },
      });
      const seen = await ok(`/v1/members/me/experiments/${key}/exposure`, { method: 'POST', token });
      const converts = seen.variant === 'list' || gridSeen++ % 4 === 0;
      if (converts) await ok(`/v1/members/me/experiments/${key}/conversion`, { method: 'POST', token, body: {} });
    }
    const results = await ok(`/v1/admin/experiments/${exp.id}/results`, { token: owner });

    await page.goto(`${server.base}/manage/`);
    await page.fill('#login', 'owner@demo');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('[data-testid="sign-in"] button[type="submit"]');
    const section = page.getByTestId('experiments');
    const card = section.locator(`[data-testid="experiment"][data-key="${key}"]`);
    await card.waitFor({ timeout: 30_000 });
    await card.scrollIntoViewIfNeeded();
    expect(await section.locator('.note').textContent()).toContain('5% 的会员不接收任何营销活动');

    for (const v of results.variants) {
      const row = card.locator(`[data-testid="experiment-variant"][data-variant="${v.key}"]`);
      const cells = (await row.locator('td').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
      expect(cells[0]).toBe(String(v.exposed));
      expect(cells[1]).toBe(String(v.converted));
      expect(cells[2]).toBe(percent(v.rate));
      expect(cells[3]).toBe(`${percent(v.interval.low)} – ${percent(v.interval.high)}`);
      if (v.control) expect(cells[4]).toBe('—');
      else {
        const verdict = v.vsControl.low > 0 ? '显著更高' : v.vsControl.high < 0 ? '显著更低' : '差异尚不显著';
        expect(await row.getByTestId('variant-verdict').textContent()).toBe(verdict);
      }
    }
    await section.screenshot({ path: 'test-results/console-experiments.png' });

    // The same section in English.
    await page.getByRole('button', { name: 'English' }).click();
    await section.getByRole('heading', { name: 'Experiments' }).waitFor();
    expect(await card.locator('thead').textContent()).toContain('95% interval');
    expect(await card.textContent()).toMatch(/clearly higher|clearly lower|not distinguishable yet/);
    await section.screenshot({ path: 'test-results/console-experiments-en.png' });
    expect(errors).toEqual([]);
  });
});
