import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInStaff } from '../support/accounts';
import { kpiStory, PERIOD } from '../support/analytics-story';
import { createStore, ensureRivalBrand, RIVAL_BRAND_ID } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

/* Who sees which stores' numbers, what a bad period answers, and the spreadsheet files. */

let story: Awaited<ReturnType<typeof kpiStory>>;
let rivalStore: string;
beforeAll(async () => {
  story = await kpiStory();
  await ensureRivalBrand();
  const rivalAdmin = await tokenFor('admin', { brandId: RIVAL_BRAND_ID, subject: 'adm_rival_kpi' });
  rivalStore = (await createStore(rivalAdmin)).id;
});

/** A CSV report as sent: the bytes decoded without dropping the byte-order mark. */
async function csv(path: string, token: string) {
  const res = await exports.default.fetch(
    new Request(`http://tiffin.test/v1/admin/analytics/${path}?${PERIOD}&format=csv`, {
      headers: { Authorization: `Bearer ${token}` },
    }),
  );
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text };
}

const summary = (token: string, query = PERIOD) => call(`/v1/admin/analytics/summary?${query}`, { token });
const manager = (storeId: string, staffRole: 'manager' | 'clerk' = 'manager') =>
  tokenFor('staff', { brandId: story.brandId, storeId, staffRole, subject: `stf_${storeId}_${staffRole}` });

describe('who sees which stores', () => {
  it('a store manager sees their own store by default, and only it', async () => {
    const res = await summary(await manager(story.a));
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ stores: [story.a], netRevenue: 11_000 });
  });

  it('a manager asking for another store of the brand is told it does not exist', async () => {
    const res = await summary(await manager(story.a), `${PERIOD}&storeId=${story.b}`);
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('store.not_found');
  });

  it('a signed-in manager of two stores sees both by default, and not a third', async () => {
    const admin = await tokenFor('admin');
    const [one, two, three] = [await createStore(admin), await createStore(admin), await createStore(admin)];
    const staff = await signedInStaff([one.id, two.id]);
    const own = await summary(staff.session.token);
    expect(own.status, own.text).toBe(200);
    expect(own.json.stores).toEqual([one.id, two.id].sort());
    const other = await summary(staff.session.token, `${PERIOD}&storeId=${one.id}&storeId=${three.id}`);
    expect(other.status).toBe(404);
    expect(other.json.detail).toContain(three.id);
  });

  it('an admin asking for another brand’s store gets 404, never its numbers', async () => {
    const res = await summary(story.admin, `${PERIOD}&storeId=${rivalStore}`);
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('store.not_found');
  });

  it('a clerk and a member are refused (403)', async () => {
    expect((await summary(await manager(story.a, 'clerk'))).status).toBe(403);
    const member = await tokenFor('member', { brandId: story.brandId, subject: 'mem_kpi_nosy' });
    expect((await summary(member)).status).toBe(403);
  });

  it('a manager may not read or set the brand’s targets', async () => {
    const token = await manager(story.a);
    expect((await call('/v1/admin/analytics/targets', { token })).status).toBe(403);
    const body = { repurchaseRate30d: 0.1, memberActivityRate: 0.1, pointsConsumptionRate: 0.1 };
    expect((await call('/v1/admin/analytics/targets', { method: 'PUT', token, body })).status).toBe(403);
  });
});

describe('bad periods answer 422 naming the field', () => {
  const cases: [string, string, string][] = [
    ['`to` before `from`', 'from=2026-11-03&to=2026-11-02', 'to'],
    ['367 days', 'from=2026-01-01&to=2027-01-02', 'to'],
    ['a date that does not exist', 'from=2026-02-30&to=2026-03-02', 'from'],
    ['no `from`', 'to=2026-11-02', 'from'],
    ['a time instead of a date', 'from=2026-11-02T00:00&to=2026-11-03', 'from'],
    ['an unknown format', `${PERIOD}&format=xlsx`, 'format'],
  ];
  for (const [name, query, field] of cases) {
    it(name, async () => {
      const res = await summary(story.admin, query);
      expect(res.status, res.text).toBe(422);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    });
  }

  it('a full leap year (366 days) is fine', async () => {
    expect((await summary(story.admin, 'from=2028-01-01&to=2028-12-31')).status).toBe(200);
  });
});

describe('CSV for the spreadsheet', () => {
  it('the summary is a BOM, one header row and one row, money in yuan', async () => {
    const res = await csv('summary', story.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toContain('summary-2026-11-02-2026-11-03.csv');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const [header, row, end] = res.text.slice(1).split('\r\n');
    expect(end).toBe('');
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect(cells).toMatchObject({
      revenue_yuan: '200.00',
      net_revenue_yuan: '170.00',
      average_order_value_yuan: '28.33',
      repurchase_rate_30d: '0.6',
      fantai_rate: '0',
      target_points_consumption_rate: '0.6',
    });
  });

  it('a dish named like a formula is written as text', async () => {
    const res = await csv('items', story.admin);
    const lines = res.text.slice(1).split('\r\n');
    expect(lines[0]).toBe('rank,item_id,name,quantity,revenue_yuan,share,refunds_yuan,refund_quantity,average_rating');
    expect(lines[3]).toBe(`3,itm_tea,"'=HYPERLINK(""x"")",2,15.00,0.0938,0.00,0,`);
  });

  it('daily, hours and stores have one header row and a row per record', async () => {
    const rows = async (path: string) => (await csv(path, story.admin)).text.slice(1).split('\r\n').filter(Boolean);
    expect(await rows('daily')).toHaveLength(1 + 4);
    expect(await rows('hours')).toHaveLength(1 + 168);
    const stores = await rows('stores');
    expect(stores).toHaveLength(1 + 2);
    expect(stores[1]).toBe(`1,${story.a},Jing’an,110.00,4,27.50,0.25,1.2,1,0.1`);
  });
});
