// See the console before the analytics handlers and the demo history exist: starts the real
// server, answers `/v1/admin/analytics/*` in the browser with realistic fixtures
// (manage-fixtures.mjs), signs in and saves screenshots of each state to test-results/.
//   node_modules/.bin/node test/browser/support/manage-dev.mjs          screenshots, then exit
//   KEEP=1 node_modules/.bin/node test/browser/support/manage-dev.mjs   and keep the server up
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { analyticsAnswer, analyticsCsv } from './manage-fixtures.mjs';
import { chromiumPath, startTiffin } from './server.mjs';

const PASSWORD = 'tiffin-demo-2026';
const mode = { empty: false, fail: false };

const server = await startTiffin({ timeoutMs: 300_000 });
console.log('server', server.base);
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const problems = [];
try {
  mkdirSync('test-results', { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/v1/admin/analytics/*', (route) => {
    const url = new URL(route.request().url());
    const op = url.pathname.split('/').pop();
    if (mode.fail)
      return route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Internal',
          status: 500,
          code: 'internal',
          detail: 'The rollups are being rebuilt; try again in a minute.',
          requestId: 'req_dev',
        }),
      });
    if (url.searchParams.get('format') === 'csv')
      return route.fulfill({
        status: 200,
        contentType: 'text/csv; charset=utf-8',
        body: analyticsCsv(op, url.searchParams, mode),
      });
    return route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify(analyticsAnswer(op, url.searchParams, mode)),
    });
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));

  await page.goto(`${server.base}/manage/`);
  await page.fill('#login', 'owner@demo');
  await page.fill('#password', PASSWORD);
  await page.click('[data-testid="sign-in"] button[type="submit"]');
  await page.locator('[data-testid="kpi-revenue-value"]').waitFor();
  await page.locator('[data-testid="revenue-chart"] canvas').waitFor();
  await page.locator('[data-testid="stores"] tbody tr').first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'test-results/manage-dev-desktop.png', fullPage: true });
  console.log('all stores revenue', await page.locator('[data-testid="kpi-revenue-value"]').textContent());

  await page.click('[data-testid="store-picker"] [data-store="sto_demo_jingan"]');
  await page.locator('[data-testid="period-picker"] [data-period="30d"]').click();
  await page.waitForTimeout(800);
  console.log('jingan 30d revenue', await page.locator('[data-testid="kpi-revenue-value"]').textContent(), page.url());

  await page.click('[data-testid="period-picker"] [data-period="custom"]');
  await page.fill('[data-testid="range-from"]', '2026-10-01');
  await page.fill('[data-testid="range-to"]', '2026-10-31');
  await page.click('.custom-range button[type="submit"]');
  await page.waitForTimeout(800);
  console.log('custom range', page.url(), await page.locator('[data-testid="range"]').textContent());
  await page.click('.top-btn:has-text("English")');
  await page.locator('[data-testid="revenue-chart"] canvas').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'test-results/manage-dev-en.png', fullPage: true });
  await page.click('.top-btn:has-text("中文")');

  const csv = page.waitForEvent('download');
  await page.click('[data-testid="csv-items"]');
  const file = await csv;
  console.log('csv download', file.suggestedFilename());

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'test-results/manage-dev-phone.png', fullPage: true });

  mode.empty = true;
  await page.reload();
  await page.locator('[data-testid="daily-empty"]').waitFor();
  await page.screenshot({ path: 'test-results/manage-dev-empty.png', fullPage: true });

  mode.empty = false;
  mode.fail = true;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.reload();
  await page.locator('[data-testid="kpis-error"]').waitFor();
  await page.screenshot({ path: 'test-results/manage-dev-error.png', fullPage: true });
  mode.fail = false;
  await page.click('[data-testid="kpis-error"] button');
  await page.locator('[data-testid="kpi-revenue-value"]').waitFor();
  console.log('retry worked');

  await page.click('[data-testid="sign-out"]');
  await page.fill('#login', 'manager@demo');
  await page.fill('#password', PASSWORD);
  await page.click('[data-testid="sign-in"] button[type="submit"]');
  await page.locator('[data-testid="kpi-revenue-value"]').waitFor();
  await page.waitForTimeout(800);
  console.log('manager sees campaigns:', await page.locator('[data-testid="campaigns"]').count());
  await page.screenshot({ path: 'test-results/manage-dev-manager.png', fullPage: true });

  if (process.env.KEEP) {
    console.log(`kept: ${server.base}/manage/ (Ctrl-C to stop)`);
    await new Promise(() => {});
  }
} finally {
  console.log(problems.length ? problems.join('\n') : 'no page errors');
  await browser.close();
  await server.stop();
}
