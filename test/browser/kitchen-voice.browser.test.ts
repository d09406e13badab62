import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAt } from './support/guest';
import { hasChromium, isCI, launchChromium, type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * Spoken orders: the kitchen display reads a new order, an urge and a cancellation aloud in
 * Mandarin. Speech synthesis is stubbed in the page (headless Chromium has no voices), so the
 * test hears exactly what the display said; the Sound switch mutes it, remembered per tablet.
 */

const skip = !hasChromium && !isCI;

interface Said {
  text: string;
  lang: string;
}
// The page's globals, as the functions passed to page.evaluate see them (no DOM lib here).
declare const window: {
  __said: Said[];
  __kds: { state: { status: string } };
  speechSynthesis: unknown;
  SpeechSynthesisUtterance: unknown;
};
declare const localStorage: { getItem(key: string): string | null };

/** A speechSynthesis with one Mandarin voice that records each utterance and ends it soon after. */
function stubSpeech() {
  const said: { text: string; lang: string }[] = [];
  const w = window as unknown as Record<string, unknown>;
  w.__said = said;
  const voice = { name: 'Test Mandarin', lang: 'zh-CN', default: true, localService: true, voiceURI: 'test-zh' };
  class Utterance {
    text: string;
    lang = '';
    voice: unknown = null;
    rate = 1;
    onend: (() => void) | null = null;
    onerror: (() => void) | null = null;
    constructor(text: string) {
      this.text = text;
    }
  }
  let busy = false;
  const synth = {
    getVoices: () => [voice],
    speak(u: Utterance) {
      // A real engine speaking over another would cut it off: the page must queue.
      if (busy) said.push({ text: `OVERLAP:${u.text}`, lang: u.lang });
      busy = true;
      said.push({ text: u.text, lang: u.lang });
      setTimeout(() => {
        busy = false;
        u.onend?.();
      }, 200);
    },
    cancel() {},
    addEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
}

describe.skipIf(skip)('the kitchen display speaks in Chromium', () => {
  let server: RunningTiffin;
  let browser: Browser;
  let page: Page;
  let storeId: string;
  let admin: string;
  let staff: string;
  let member: string;
  const errors: string[] = [];

  const api: Api = (path, init) => apiAt(server.base)(path, init);
  const devToken = async (body: Record<string, string>) =>
    (await api<{ token: string }>('/v1/auth/dev', { method: 'POST', body })).token;

  async function placeAndPay(lines: unknown[]) {
    const order = await api<{ id: string; ticketNo: string }>(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: member,
      body: { mode: 'pickup', lines },
    });
    const pay = await api<{ payments: { id: string; method: string }[] }>(`/v1/orders/${order.id}/payments`, {
      method: 'POST',
      token: member,
      body: { method: 'sandbox' },
    });
    const payment = pay.payments.find((p) => p.method === 'sandbox')!;
    await api(`/v1/payments/sandbox/${payment.id}/complete`, { method: 'POST' });
    return order;
  }

  const said = () => page.evaluate(() => window.__said.map((s) => s.text));
  const hears = (text: string) =>
    page.waitForFunction((t) => window.__said.some((s) => s.text === t), text, { timeout: 15_000 });

  beforeAll(async () => {
    server = await startTiffin();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    await context.addInitScript(stubSpeech);
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));

    admin = await devToken({ role: 'admin', subject: 'adm_voice' });
    storeId = `sto_voice_${Date.now().toString(36)}`;
    await api('/v1/admin/stores', {
      method: 'POST',
      token: admin,
      body: {
        id: storeId,
        name: 'Voice test store',
        location: { lat: 31.2304, lng: 121.4737 },
        timeZone: 'Asia/Shanghai',
        openingHours: [], // always open: the demo store is closed at night
        settings: { urgeCooldownMinutes: 0 },
      },
    });
    await api('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [storeId] } });
    staff = await devToken({ role: 'staff', subject: 'stf_voice', storeId });
    member = await devToken({ role: 'member', subject: 'mem_voice' });
  }, 150_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('announces a new order, an urge and a cancellation in Mandarin, one after another; mute silences it', async () => {
    const qs = new URLSearchParams({ store: storeId, station: 'kitchen', token: staff });
    await page.goto(`${server.base}/kitchen/?${qs}`);
    await page.waitForFunction(() => window.__kds.state.status === 'connected', undefined, { timeout: 15_000 });

    const first = await placeAndPay([{ itemId: 'itm_potstickers', quantity: 2 }]);
    await hears(`新订单，${first.ticketNo}，两份煎锅贴`);
    expect((await page.evaluate(() => window.__said))[0]).toEqual({
      text: `新订单，${first.ticketNo}，两份煎锅贴`,
      lang: 'zh-CN',
    });

    // Two orders at once, then the first guest urges: three sentences, queued, none cut off.
    const [second, third] = await Promise.all([
      placeAndPay([
        { itemId: 'itm_potstickers', quantity: 1 },
        { itemId: 'itm_zhajiang', quantity: 3 },
      ]),
      placeAndPay([{ itemId: 'itm_zhajiang', quantity: 12 }]),
    ]);
    await api(`/v1/orders/${first.id}/urge`, { method: 'POST', token: member });
    await hears(`催单，${first.ticketNo}，两份煎锅贴`);
    await hears(`新订单，${second.ticketNo}，一份煎锅贴、三份老北京炸酱面`);
    await hears(`新订单，${third.ticketNo}，十二份老北京炸酱面`);

    await api(`/v1/orders/${third.id}/cancel`, { method: 'POST', token: admin, body: { reason: 'guest left' } });
    await hears(`订单取消，${third.ticketNo}`);
    expect((await said()).filter((t) => t.startsWith('OVERLAP'))).toEqual([]);
    await page.screenshot({ path: 'test-results/kitchen-voice.png', fullPage: true });

    // Muted: the next order appears on the screen but is not read out, and the choice is remembered.
    await page.locator('#sound').tap();
    expect(await page.locator('#sound').getAttribute('aria-pressed')).toBe('false');
    expect(await page.evaluate(() => localStorage.getItem('tiffin.kds.sound'))).toBe('off');
    const before = (await said()).length;
    const quiet = await placeAndPay([{ itemId: 'itm_potstickers', quantity: 1 }]);
    await page.locator(`.ticket[data-order-id="${quiet.id}"]`).waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(800);
    expect((await said()).length).toBe(before);

    await page.reload();
    await page.waitForFunction(() => window.__kds.state.status === 'connected', undefined, { timeout: 15_000 });
    expect(await page.locator('#sound').getAttribute('aria-pressed')).toBe('false');
    expect(errors).toEqual([]);
  });
});
