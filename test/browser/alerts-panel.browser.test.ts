import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, isCI, launchChromium } from './support/server.mjs';
import { webFile } from './support/web-files.mjs';

/*
 * The console's alerts panel in a real browser with the real SDK, its API answered by the
 * test (the console page around it is another part's): open alerts are listed with their
 * store, kind, measure against threshold and age, and acknowledging one updates its row.
 */

const skip = !hasChromium && !isCI;
const ORIGIN = 'http://console.test';
const harness = (admin: boolean) => `<!doctype html><html lang="zh"><meta charset="utf-8"><body><div id="root"></div>
<script type="module">
  import { createClient } from '/lib/sdk.js';
  import { html, render } from '/lib/ui.js';
  import { AlertsPanel } from '/manage/alerts-panel.js';
  const api = createClient({ baseUrl: location.origin, token: () => 'admin-token' });
  render(html\`<\${AlertsPanel} api=\${api} storeIds=\${['sto_demo_peoplesq']} admin=\${${admin}} />\`, document.getElementById('root'));
</script></body></html>`;

const opened = new Date(Date.now() - 25 * 60_000).toISOString().replace('Z', '+00:00');
const alerts = [
  {
    id: 'alr_printer',
    storeId: 'sto_demo_peoplesq',
    storeName: '人民广场店 People’s Square',
    kind: 'printer_offline',
    status: 'open',
    value: 600,
    threshold: 120,
    detail: 'silent: dev_kitchen',
    openedAt: opened,
    lastSeenAt: opened,
    resolvedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
  },
  {
    id: 'alr_success',
    storeId: 'sto_demo_peoplesq',
    storeName: '人民广场店 People’s Square',
    kind: 'order_success_rate',
    status: 'open',
    value: 0.9,
    threshold: 0.95,
    detail: '36 of 40 placements succeeded (3 failed, 1 turned away)',
    openedAt: opened,
    lastSeenAt: opened,
    resolvedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
  },
];

const notices = [
  {
    id: 'ntc_gone',
    kind: 'webhook_disabled',
    subjectId: 'whe_partner',
    title: 'Webhook endpoint disabled: https://erp.example.com/hooks',
    detail:
      'It answered 410 Gone. Its new events are held for 3 days: fix the receiver and enable it again to get them.',
    createdAt: opened,
    readAt: null,
    readBy: null,
  },
];

describe.skipIf(skip)('the console’s alerts panel', () => {
  let browser: Browser;
  let page: Page;
  const asked: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 390, height: 700 } });
    await page.route(`${ORIGIN}/**`, async (route: Route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') return route.fulfill({ body: harness(false), contentType: 'text/html' });
      if (url.pathname === '/admin') return route.fulfill({ body: harness(true), contentType: 'text/html' });
      if (url.pathname.startsWith('/v1/')) {
        asked.push(`${route.request().method()} ${url.pathname}${url.search}`);
        if (url.pathname === '/v1/admin/alerts') return route.fulfill({ json: { items: alerts } });
        if (url.pathname === '/v1/admin/notices') return route.fulfill({ json: { items: notices } });
        if (url.pathname === '/v1/admin/notices/ntc_gone/read') {
          return route.fulfill({ json: { ...notices[0], readAt: opened, readBy: 'adm_demo' } });
        }
        const ack = /^\/v1\/admin\/alerts\/(\w+)\/acknowledge$/.exec(url.pathname);
        const alert = alerts.find((a) => a.id === ack?.[1]);
        if (alert) return route.fulfill({ json: { ...alert, acknowledgedAt: opened, acknowledgedBy: 'adm_demo' } });
        return route.fulfill({ status: 404, json: { code: 'not_found' } });
      }
      const file = webFile(url.pathname);
      return file ? route.fulfill({ body: file.body, contentType: file.contentType }) : route.fulfill({ status: 404 });
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the open alerts of the chosen stores, and acknowledging one marks it', async () => {
    await page.goto(`${ORIGIN}/`);
    const rows = page.getByTestId('alert-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(asked[0]).toBe('GET /v1/admin/alerts?storeId=sto_demo_peoplesq&status=open');
    const printer = page.locator('[data-kind="printer_offline"]');
    expect(await printer.textContent()).toContain('打印机离线');
    expect(await printer.getByTestId('alert-measure').textContent()).toBe('10 min > 120 s');
    expect(await printer.textContent()).toContain('(25 min)');
    expect(await page.locator('[data-kind="order_success_rate"]').getByTestId('alert-measure').textContent()).toBe(
      '90% < 95%',
    );
    await page.screenshot({ path: 'test-results/alerts-panel.png', fullPage: true });

    await printer.getByTestId('alert-ack').click();
    await expect.poll(() => printer.getByTestId('alert-acked').count()).toBe(1);
    expect(asked).toContain('POST /v1/admin/alerts/alr_printer/acknowledge');
    expect(await page.locator('[data-kind="order_success_rate"]').getByTestId('alert-ack').count()).toBe(1);
    await page.screenshot({ path: 'test-results/alerts-panel-acknowledged.png', fullPage: true });
  });

  it('a brand admin also sees the brand’s notices (a webhook endpoint disabled) and can mark one read; a manager is not asked', async () => {
    expect(asked.some((a) => a.startsWith('GET /v1/admin/notices'))).toBe(false);
    await page.goto(`${ORIGIN}/admin`);
    const notice = page.getByTestId('notice-row');
    await expect.poll(() => notice.count()).toBe(1);
    expect(await notice.textContent()).toContain('erp.example.com');
    expect(await notice.textContent()).toContain('410 Gone');
    expect(asked.filter((a) => a.startsWith('GET /v1/admin/notices'))).toEqual(['GET /v1/admin/notices?unread=true']);
    await page.screenshot({ path: 'test-results/alerts-panel-notice.png', fullPage: true });
    await notice.getByTestId('notice-read').click();
    await expect.poll(() => notice.count()).toBe(0);
    expect(asked).toContain('POST /v1/admin/notices/ntc_gone/read');
  });
});
