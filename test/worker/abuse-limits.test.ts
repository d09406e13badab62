import { afterEach, describe, expect, it, vi } from 'vitest';
import { campaign, couponTemplate } from '../support/campaigns';
import { roomInWindow } from '../support/clock-windows';
import { newBrand, openStore, potstickers, wechatMember } from '../support/factories';
import { call } from '../support/http';

/** A fresh address per test: the limiter's counts outlive one test file. */
const freshIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
const from = (ip: string) => ({ 'CF-Connecting-IP': ip });

/** Sends `n` calls at once and answers their statuses. */
async function burst(n: number, send: (i: number) => Promise<{ status: number }>) {
  return (await Promise.all(Array.from({ length: n }, (_, i) => send(i)))).map((r) => r.status);
}

function expectLimited(res: { status: number; json: { code?: string }; headers: Headers }) {
  expect(res.status).toBe(429);
  expect(res.json.code).toBe('rate.limited');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
}

// A test may wait for the next minute's window before it fills one.
vi.setConfig({ testTimeout: 90_000 });
afterEach(() => vi.restoreAllMocks());

describe('WeChat login is limited per IP', () => {
  it('a script logging in from one address is stopped at 30 a minute; WeChat is not called for the rest', async () => {
    const spy = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(
        async () => new Response(JSON.stringify({ openid: `o_${crypto.randomUUID()}`, session_key: 'sk' })),
      );
    await roomInWindow();
    const ip = freshIp();
    const login = (at: string) => call('/v1/auth/wechat', { method: 'POST', body: { code: 'c' }, headers: from(at) });
    expect(await burst(30, () => login(ip))).toEqual(Array(30).fill(200));
    const calls = spy.mock.calls.length;
    expectLimited(await login(ip));
    expect(spy.mock.calls.length).toBe(calls);
    expect((await login(freshIp())).status).toBe(200);
  });
});

describe('coupon drops are limited per member', () => {
  it('one member hammering a drop is stopped; another member still claims', async () => {
    const brand = await newBrand();
    const template = await couponTemplate(brand.admin, 'Drop');
    const drop = await campaign(brand.admin, {
      templateId: template,
      config: { kind: 'drop', dailyQuantity: 10, opensAt: '00:00', timeZone: 'Asia/Shanghai' },
    });
    const claim = (token: string) =>
      call(`/v1/campaigns/${drop.id}/claims`, { method: 'POST', token, headers: from(freshIp()) });
    const greedy = await wechatMember({ brandId: brand.brandId });
    await roomInWindow();
    const answers = await burst(30, () => claim(greedy.token));
    expect(answers.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((s) => s === 409)).toHaveLength(29);
    expectLimited(await claim(greedy.token));
    const other = await wechatMember({ brandId: brand.brandId });
    expect((await claim(other.token)).status).toBe(201);
  });
});

describe('partner codes cannot be guessed at speed', () => {
  const exchange = (token: string, code: string, ip: string) =>
    call('/v1/members/me/exchange-codes', { method: 'POST', token, body: { code }, headers: from(ip) });

  it('guesses from one address spread over many members stop after 10 a minute; another address goes on', async () => {
    const brand = await newBrand();
    const ip = freshIp();
    const members = [];
    for (let i = 0; i < 11; i++) members.push(await wechatMember({ brandId: brand.brandId }));
    await roomInWindow();
    for (const m of members.slice(0, 10)) expect((await exchange(m.token, 'GUESS000', ip)).status).toBe(404);
    expectLimited(await exchange(members[10]!.token, 'GUESS001', ip));
    expect((await exchange(members[10]!.token, 'GUESS001', freshIp())).status).toBe(404);
  });

  it('one member guessing from many addresses is stopped at 30 a minute; another member is not', async () => {
    const brand = await newBrand();
    const guesser = await wechatMember({ brandId: brand.brandId });
    await roomInWindow();
    const answers = await burst(30, (i) => exchange(guesser.token, `GUESS${String(i).padStart(3, '0')}`, freshIp()));
    expect(answers).toEqual(Array(30).fill(404));
    expectLimited(await exchange(guesser.token, 'GUESS999', freshIp()));
    const other = await wechatMember({ brandId: brand.brandId });
    expect((await exchange(other.token, 'GUESS999', freshIp())).status).toBe(404);
  });
});

describe("anonymous calls are limited before they reach the store's object", () => {
  const quote = (storeId: string, ip: string, token?: string) =>
    call(`/v1/stores/${storeId}/quote`, {
      method: 'POST',
      token,
      body: { mode: 'pickup', lines: [potstickers()] },
      headers: from(ip),
    });
  const board = (storeId: string, ip: string) => call(`/v1/stores/${storeId}/pickup-board`, { headers: from(ip) });

  it('anonymous quotes from one address stop at 120 a minute; another address still gets a price', async () => {
    const { storeId } = await openStore();
    await roomInWindow();
    const ip = freshIp();
    const first = await quote(storeId, ip);
    expect(first.status, first.text).toBe(200);
    expect(await burst(119, () => quote(storeId, ip))).toEqual(Array(119).fill(200));
    expectLimited(await quote(storeId, ip));
    expect((await quote(storeId, freshIp())).status).toBe(200);
  });

  it('the pickup board polled from one address stops at 120 a minute; the counter screen elsewhere is unaffected', async () => {
    const { storeId } = await openStore();
    await roomInWindow();
    const ip = freshIp();
    expect(await burst(120, () => board(storeId, ip))).toEqual(Array(120).fill(200));
    expectLimited(await board(storeId, ip));
    expect((await board(storeId, freshIp())).status).toBe(200);
  });

  it('a flood of anonymous calls into one store from many addresses stops at 1200 a minute; other stores are unaffected', async () => {
    const { storeId } = await openStore();
    const other = await openStore();
    const ips = Array.from({ length: 12 }, freshIp);
    await roomInWindow(40_000);
    for (const ip of ips) {
      expect(await burst(100, (i) => (i % 2 ? board(storeId, ip) : quote(storeId, ip)))).toEqual(Array(100).fill(200));
    }
    expectLimited(await board(storeId, freshIp()));
    expectLimited(await quote(storeId, freshIp()));
    expect((await board(other.storeId, freshIp())).status).toBe(200);
  });
});
