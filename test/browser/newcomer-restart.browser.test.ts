import { afterAll, describe, expect, it } from 'vitest';
import { type Api, apiAt } from './support/guest';
import { type RunningTiffin, startTiffin } from './support/server.mjs';

/*
 * A newcomer tidies the demo brand in the console (a dish and a table they do not want, a
 * promotion they end, their own name on a store), stops `npm start` and runs it
 * again on the same state. The demo is seeded once: nothing deleted comes back, nothing
 * ended runs again, nothing renamed takes its old name again.
 */

const STORE = 'sto_demo_peoplesq';
const DISH = 'itm_dandan';
const PROMOTION = 'prm_demo_manjian';
const NEW_NAME = 'Tiffin 人民广场 (ours now)';

describe('npm start again on the same state', () => {
  let first: RunningTiffin | undefined;
  let second: RunningTiffin | undefined;

  afterAll(async () => {
    // The second run owns the state directory once it started; until then the first does.
    await (second ?? first)?.stop();
  });

  const signIn = async (api: Api) =>
    (
      await api<{ token: string }>('/v1/auth/login', {
        method: 'POST',
        body: { login: 'owner@demo', password: 'tiffin-demo-2026' },
      })
    ).token;

  /** What the owner and the guests see of the demo brand. */
  const look = async (base: string) => {
    const api = apiAt(base);
    const admin = await signIn(api);
    const [items, tables, store, promotions, menu, dish] = await Promise.all([
      api<{ items: { id: string }[] }>('/v1/admin/items', { token: admin }),
      api<{ items: { id: string }[] }>(`/v1/admin/stores/${STORE}/tables`, { token: admin }),
      api<{ name: string }>(`/v1/stores/${STORE}`),
      api<{ promotions: { id: string }[] }>('/v1/admin/promotions?active=true', { token: admin }),
      api<{ categories: { items: { id: string }[] }[] }>(`/v1/stores/${STORE}/menu`),
      fetch(`${base}/v1/admin/items/${DISH}`, { headers: { Authorization: `Bearer ${admin}` } }),
    ]);
    return {
      api,
      admin,
      items: items.items.map((i) => i.id),
      tables: tables.items.map((t) => t.id),
      storeName: store.name,
      runningPromotions: promotions.promotions.map((p) => p.id),
      menu: menu.categories.flatMap((c) => c.items.map((i) => i.id)),
      dishStatus: dish.status,
    };
  };

  it('keeps the dish and the table deleted, the promotion ended and the store renamed', async () => {
    first = await startTiffin({ promotions: true, timeoutMs: 200_000 });
    const fresh = await look(first.base);
    expect(fresh.items).toContain(DISH);
    expect(fresh.menu).toContain(DISH);
    expect(fresh.runningPromotions).toContain(PROMOTION);
    const table = fresh.tables[0]!;

    const { api, admin } = fresh;
    await api(`/v1/admin/items/${DISH}`, { method: 'DELETE', token: admin });
    await api(`/v1/admin/stores/${STORE}/tables/${table}`, { method: 'DELETE', token: admin });
    await api(`/v1/admin/promotions/${PROMOTION}`, { method: 'DELETE', token: admin });
    await api(`/v1/admin/stores/${STORE}`, { method: 'PATCH', token: admin, body: { name: NEW_NAME } });
    await api('/v1/admin/menu/publish', { method: 'POST', token: admin, body: {} });
    const tidied = await look(first.base);

    await first.stop({ keepState: true });
    second = await startTiffin({ persistDir: first.persistDir, promotions: true, timeoutMs: 200_000 });
    const again = await look(second.base);

    expect(again.dishStatus).toBe(404);
    expect(again.items).not.toContain(DISH);
    expect(again.menu).not.toContain(DISH);
    expect(again.tables).not.toContain(table);
    expect(again.runningPromotions).not.toContain(PROMOTION);
    expect(again.storeName).toBe(NEW_NAME);
    // The rest of the demo is all still there, no more and no less.
    expect(again.items).toEqual(tidied.items);
    expect(again.tables).toEqual(tidied.tables);
    expect(again.runningPromotions).toEqual(tidied.runningPromotions);
  }, 480_000);
});
