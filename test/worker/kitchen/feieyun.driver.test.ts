import { describe, expect, it, vi } from 'vitest';
import { type Block, customerReceipt, kitchenTicket, type TicketOrder } from '../../../domain/printers/receipt';
import { toEscPos, toPlainText, toStarPrnt } from '../../../domain/printers/receipt-encoders';
import { feieyunDriver, toFeieyunContent } from '../../../worker/printers/feieyun.driver';
import { cloudPrntDriver } from '../../../worker/printers/printer';

const account = { user: 'tiffin@example.com', ukey: 'UKEY-TEST-123' };
// 2026-11-23T16:00:00.123Z; stime is whole seconds.
const clock = () => 1_795_420_800_123;
// sha1('tiffin@example.com' + 'UKEY-TEST-123' + '1795420800'), computed outside the code under test.
const EXPECTED_SIG = '441f06ca9231c0369c912b219d6d6d20d17c3278';

function mockFetch(reply: () => Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetcher = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return reply();
  });
  return { fetcher: fetcher as unknown as typeof fetch, calls };
}

const ok = () => Promise.resolve(Response.json({ msg: 'ok', ret: 0, data: '816501678_20161117190410_1419533539' }));

describe('Feieyun Open_printMsg', () => {
  it('posts the signed form to the Feieyun API and returns the vendor order id', async () => {
    const { fetcher, calls } = mockFetch(ok);
    const result = await feieyunDriver(account, fetcher, clock).print('918500000', '<CB>A012</CB><BR>', 2);

    expect(result).toEqual({ ok: true, orderId: '816501678_20161117190410_1419533539' });
    expect(calls).toHaveLength(1);
    const [{ url, init }] = calls as [(typeof calls)[number]];
    expect(url).toBe('https://api.feieyun.cn/Api/Open/');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      user: 'tiffin@example.com',
      stime: '1795420800',
      sig: EXPECTED_SIG,
      apiname: 'Open_printMsg',
      sn: '918500000',
      content: '<CB>A012</CB><BR>',
      times: '2',
    });
  });

  it('the signature is lowercase hex SHA-1 of user + UKEY + stime', async () => {
    const { fetcher, calls } = mockFetch(ok);
    await feieyunDriver(account, fetcher, clock).print('918500000', 'x');
    const form = new URLSearchParams(String(calls[0]!.init.body));
    const digest = await crypto.subtle.digest(
      'SHA-1',
      new TextEncoder().encode(`${account.user}${account.ukey}${form.get('stime')}`),
    );
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    expect(form.get('sig')).toBe(hex);
    expect(form.get('sig')).toMatch(/^[0-9a-f]{40}$/);
    expect(form.get('times')).toBe('1');
  });

  it('honours a configured base URL', async () => {
    const { fetcher, calls } = mockFetch(ok);
    await feieyunDriver({ ...account, baseUrl: 'https://api.de.feieyun.com/Api/Open/' }, fetcher, clock).print(
      's',
      'x',
    );
    expect(calls[0]!.url).toBe('https://api.de.feieyun.com/Api/Open/');
  });

  it('a vendor refusal (ret ≠ 0) keeps the vendor code and message', async () => {
    const { fetcher } = mockFetch(() =>
      Promise.resolve(Response.json({ msg: '参数错误 : 该帐号未注册.', ret: -2, data: null })),
    );
    expect(await feieyunDriver(account, fetcher, clock).print('918500000', 'x')).toEqual({
      ok: false,
      code: -2,
      message: '参数错误 : 该帐号未注册.',
    });
  });

  it('network failures, HTTP errors and unreadable replies are code -1', async () => {
    const down = mockFetch(() => Promise.reject(new TypeError('fetch failed')));
    expect(await feieyunDriver(account, down.fetcher, clock).print('s', 'x')).toEqual({
      ok: false,
      code: -1,
      message: 'network error: fetch failed',
    });
    const bad = mockFetch(() => Promise.resolve(new Response('Bad Gateway', { status: 502 })));
    expect(await feieyunDriver(account, bad.fetcher, clock).print('s', 'x')).toMatchObject({ ok: false, code: -1 });
    const html = mockFetch(() => Promise.resolve(new Response('<html>', { status: 200 })));
    expect(await feieyunDriver(account, html.fetcher, clock).print('s', 'x')).toMatchObject({ ok: false, code: -1 });
  });
});

describe('Feieyun content', () => {
  const order: TicketOrder = {
    id: 'ord_3f9c2a7b1d4e5f60a1b2',
    ticketNo: 'A012',
    mode: 'dine_in',
    tableName: 'A3',
    createdAt: '2026-11-23T11:02:45+08:00',
    note: '<CUT>不要葱',
    lines: [{ name: '红烧牛肉面', options: [], quantity: 2, unitPrice: 2800, total: 5600, discount: 0 }],
    discounts: [],
    itemsSubtotal: 5600,
    packingFee: 0,
    deliveryFee: 0,
    total: 5600,
    storeName: '老王面馆',
    orderUrl: 'https://tiffin.example/o/ord_3f9c2a7b1d4e5f60a1b2',
  };

  it('maps blocks to Feieyun tags', () => {
    const blocks: Block[] = [
      { kind: 'text', text: 'A012', align: 'center', bold: true, size: 3 },
      { kind: 'text', text: '加菜', size: 2 },
      { kind: 'text', text: '欢迎', align: 'center' },
      { kind: 'text', text: '备注', bold: true },
      { kind: 'row', left: '合计', right: '56.00', bold: true },
      { kind: 'qr', data: 'https://t.example/o/1' },
      { kind: 'feed', lines: 1 },
      { kind: 'cut' },
    ];
    expect(toFeieyunContent(blocks, 58)).toBe(
      '<CB>A012</CB><BR><B>加菜</B><BR><C>欢迎</C><BR><BOLD>备注</BOLD><BR>' +
        `<BOLD>合计${' '.repeat(23)}56.00</BOLD><BR><QR>https://t.example/o/1</QR><BR><CUT>`,
    );
  });

  it('a kitchen ticket: big ticket number, no prices, note text cannot inject tags', () => {
    const content = toFeieyunContent(kitchenTicket(order, { width: 58 }), 58);
    expect(content.startsWith('<CB>A012</CB><BR>')).toBe(true);
    expect(content).toContain('<B>2 × 红烧牛肉面</B>');
    expect(content).toContain('＜CUT＞不要葱');
    expect(content.match(/<CUT>/g)).toHaveLength(1);
    expect(content).not.toContain('56.00');
  });

  it('a receipt ends with the order QR code and a cut', () => {
    const content = toFeieyunContent(customerReceipt(order, { width: 80 }), 80);
    expect(content).toContain(`<QR>${order.orderUrl}</QR>`);
    expect(content).toMatch(/<BOLD>合计 Total +56\.00<\/BOLD><BR>/);
    expect(content.endsWith('<CUT>')).toBe(true);
  });
});

describe('one printer interface', () => {
  const blocks = customerReceipt(
    {
      id: 'ord_1',
      ticketNo: 'B7',
      mode: 'pickup',
      createdAt: '2026-11-23T11:02:45+08:00',
      lines: [{ name: '面', options: [], quantity: 1, unitPrice: 1000, total: 1000, discount: 0 }],
      discounts: [],
      itemsSubtotal: 1000,
      packingFee: 0,
      deliveryFee: 0,
      total: 1000,
      storeName: 'S',
      orderUrl: 'https://t.example/o/ord_1',
    },
    { width: 58 },
  );

  it('the CloudPRNT driver renders each media type it offers with the matching encoder', () => {
    const driver = cloudPrntDriver(58);
    expect(driver.kind).toBe('cloudprnt');
    expect(driver.mediaTypes).toEqual(['application/vnd.star.starprnt', 'text/plain', 'application/octet-stream']);
    expect(driver.render(blocks, 'application/vnd.star.starprnt')).toEqual(toStarPrnt(blocks, 58));
    expect(driver.render(blocks, 'application/octet-stream')).toEqual(toEscPos(blocks, 58));
    expect(new TextDecoder().decode(driver.render(blocks, 'text/plain'))).toBe(toPlainText(blocks, 58));
  });

  it('the Feieyun driver renders with Feieyun tags', () => {
    const driver = feieyunDriver(account, mockFetch(ok).fetcher, clock);
    expect(driver.kind).toBe('feieyun');
    expect(driver.render(blocks, 58)).toBe(toFeieyunContent(blocks, 58));
  });
});
