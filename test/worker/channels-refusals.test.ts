import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ELEME_SECRET,
  elemeOrderMessage,
  elemePush,
  elemeStore,
  MEITUAN_SECRET,
  meituanOrderParams,
  meituanPush,
  meituanStore,
} from '../support/channel-stores';
import { platformCalls } from '../support/channels';
import { roomInHour } from '../support/clock-windows';
import { openStore, unique } from '../support/factories';
import { fakeMeituan } from '../support/fake-meituan';
import { call, tokenFor } from '../support/http';

/*
 * An admin reads how many platform pushes were refused, and why: a shop whose secret is out
 * of date (every push a bad signature) or a clock off (stale) shows under its store.
 */

let APP: string;
let platform: ReturnType<typeof platformCalls>;
beforeEach(() => {
  APP = unique('mt_app');
  platform = platformCalls(fakeMeituan({ appId: APP, secret: MEITUAN_SECRET }));
});
afterEach(() => platform.release());

const today = () => new Date().toISOString().slice(0, 10);
type Row = { channel: string; reason: string; day: string; storeId: string | null; count: number; lastAt: string };

async function refusals(token: string, query: string) {
  const res = await call(`/v1/admin/channels/refusals?${query}`, { token });
  expect(res.status, res.text).toBe(200);
  return res.json.items as Row[];
}

describe('GET /v1/admin/channels/refusals', () => {
  it('reads back a bad-signature push and a stale one under the store whose shop they named', async () => {
    // Refusals are counted per UTC day, and the test asks for today's.
    await roomInHour();
    const s = await meituanStore(APP);
    const bad = await meituanPush('new-order', meituanOrderParams(APP, s.shop, 'mt_r1'), 'not-the-secret');
    expect(bad.json).toMatchObject({ data: 'ng', error: { code: 703 } });
    const old = String(Math.floor(Date.now() / 1000) - 11 * 60);
    const stale = await meituanPush('new-order', meituanOrderParams(APP, s.shop, 'mt_r2', { timestamp: old }));
    expect(stale.json).toMatchObject({ data: 'ng', error: { code: 704 } });
    await meituanPush('new-order', meituanOrderParams(APP, s.shop, 'mt_r3'), 'not-the-secret');

    const items = await refusals(s.admin, `storeId=${s.storeId}&since=${today()}`);
    expect(items.map(({ lastAt: _l, ...r }) => r)).toEqual([
      { channel: 'meituan', reason: 'signature', day: today(), storeId: s.storeId, count: 2 },
      { channel: 'meituan', reason: 'stale', day: today(), storeId: s.storeId, count: 1 },
    ]);
    expect(items.every((r) => !Number.isNaN(Date.parse(r.lastAt)))).toBe(true);
  });

  it('an Ele.me push with a wrong signature counts under its store too', async () => {
    const app = 10_000_000 + Math.floor(Math.random() * 89_000_000);
    const s = await elemeStore(app);
    const res = await elemePush(app, s.shop, 10, elemeOrderMessage('ele_r1'), { secret: `${ELEME_SECRET}x` });
    expect(res.json).toEqual({ message: 'INVALID_SIGNATURE' });
    const items = await refusals(s.admin, `storeId=${s.storeId}`);
    expect(items.map((r) => [r.channel, r.reason, r.count])).toEqual([['eleme', 'signature', 1]]);
  });

  it('without a store, lists the brand’s stores’ counts and those no shop was found for', async () => {
    // Refusals are counted per UTC day, and the test asks for today's.
    await roomInHour();
    const s = await meituanStore(APP);
    await meituanPush('new-order', meituanOrderParams(APP, s.shop, 'mt_r4'), 'not-the-secret');
    await meituanPush('new-order', meituanOrderParams(APP, 'poi_nobody', 'mt_r5'));
    const items = await refusals(s.admin, `since=${today()}`);
    expect(items.some((r) => r.storeId === s.storeId && r.reason === 'signature')).toBe(true);
    expect(items.some((r) => r.storeId === null && r.reason === 'unknown_shop' && r.count >= 1)).toBe(true);
  });

  it('is an admin’s: staff are refused; another brand’s store is not found; a bad day is 422', async () => {
    const s = await openStore();
    const manager = await tokenFor('staff', { storeId: s.storeId, subject: unique('mgr'), staffRole: 'manager' });
    expect((await call(`/v1/admin/channels/refusals?storeId=${s.storeId}`, { token: manager })).status).toBe(403);
    const other = await tokenFor('admin', { brandId: 'brd_other', subject: unique('adm') });
    const foreign = await call(`/v1/admin/channels/refusals?storeId=${s.storeId}`, { token: other });
    expect(foreign.status).toBe(404);
    expect(foreign.json.code).toBe('store.not_found');
    expect((await call('/v1/admin/channels/refusals?since=yesterday', { token: s.admin })).status).toBe(422);
  });
});
