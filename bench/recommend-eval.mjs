// `npm run bench:recommend`: offline evaluation of the recommendations (domain/recommend/) over
// the seeded demo history (schema/d1/history/, 60 business days, generated in memory, no
// server). Leave-last-out: for every member with at least two completed orders, recommend from
// all their orders before the last, at the last order's store and time, and count a hit when
// any dish of the last order is in the top 5. The co-purchase and popularity statistics are
// counted from every completed order except those held-out last orders. The `blend` strategy
// is measured against the `popular` baseline. Prints both and writes
// bench/results/recommend-eval.json. Deterministic: a fixed clock and the seeded generators.
import { mkdirSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const NOW = Date.parse(process.env.EVAL_NOW ?? '2026-12-01T04:00:00Z');
const TOP = 5;

const root = new URL('..', import.meta.url).pathname;
const bundled = await build({
  stdin: {
    contents: `
      export { demoHistory } from './schema/d1/seed-history.ts';
      export { MENU_CATEGORIES, MENU_DISHES } from './schema/d1/seed-menu.ts';
      export { recommend, summariseHistory } from './domain/recommend/recommend.ts';
      export { coPurchases, hourBand, popularity } from './domain/recommend/stats.ts';
      export { localTime } from './domain/zoned-time.ts';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  write: false,
  platform: 'neutral',
});
const lib = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);

const started = performance.now();
const history = lib.demoHistory(NOW);
const completed = history.orders.filter((o) => o.ending === 'completed');
const localHour = (o) => Math.floor(lib.localTime(o.placedAt, o.store.timeZone).minutes / 60);
const items = (o) => o.lines.map((l) => l.itemId);

const byMember = new Map();
for (const o of completed) {
  if (!o.member) continue;
  const list = byMember.get(o.member.id) ?? [];
  list.push(o);
  byMember.set(o.member.id, list);
}
const heldOut = new Set();
for (const list of byMember.values()) {
  list.sort((a, b) => a.placedAt - b.placedAt);
  if (list.length >= 2) heldOut.add(list.at(-1));
}
const training = completed
  .filter((o) => !heldOut.has(o))
  .map((o) => ({ storeId: o.store.id, localHour: localHour(o), itemIds: items(o) }));
const partners = lib.coPurchases(training);
const popular = lib.popularity(training);

/** The store's published menu as the snapshot builder makes it: the dishes it sells, in category order. */
const snapshots = new Map();
function snapshotOf(store) {
  let snap = snapshots.get(store.id);
  if (snap) return snap;
  snap = {
    storeId: store.id,
    brandId: store.brandId,
    version: 1,
    publishedAt: 0,
    timeZone: store.timeZone,
    currency: 'CNY',
    categories: lib.MENU_CATEGORIES.map(([id, name]) => ({
      id,
      name,
      items: lib.MENU_DISHES.filter((d) => d.category_id === id && !store.menu.offShelf.includes(d.id)).map((d) => ({
        id: d.id,
        categoryId: d.category_id,
        name: d.name,
        description: d.description,
        price: store.menu.itemPrice[d.id] ?? d.price,
        imageUrl: null,
        calories: d.calories,
        ingredients: d.ingredients,
        allergens: d.allergens,
        tags: d.tags ?? [],
        specs: [],
        optionGroups: [],
        availability: d.availability ?? [],
        soldOut: false,
        maxPerOrder: d.max_per_order ?? null,
        prepSeconds: d.prep_seconds,
      })),
    })),
  };
  snapshots.set(store.id, snap);
  return snap;
}

const strategies = ['popular', 'blend'];
const tally = Object.fromEntries(strategies.map((s) => [s, { hits: 0, hitsWithHistory3: 0 }]));
let members = 0;
let withHistory3 = 0;
const reasonHits = {};
for (const list of byMember.values()) {
  if (list.length < 2) continue;
  members++;
  const last = list.at(-1);
  const past = list.slice(0, -1);
  if (past.length >= 3) withHistory3++;
  const want = new Set(items(last));
  const guest = {
    history: lib.summariseHistory(past.map((o) => ({ at: o.placedAt, itemIds: items(o) }))),
    tags: [],
  };
  for (const strategy of strategies) {
    const r = lib.recommend({
      strategy,
      guest: strategy === 'popular' ? null : guest,
      partners,
      popular: popular.get(`${last.store.id}|${lib.hourBand(localHour(last))}`) ?? [],
      menu: snapshotOf(last.store),
      soldOut: new Set(),
      weather: null,
      now: last.placedAt,
      limit: TOP,
    });
    const hit = r.items.find((i) => want.has(i.itemId));
    if (!hit) continue;
    tally[strategy].hits++;
    if (past.length >= 3) tally[strategy].hitsWithHistory3++;
    if (strategy === 'blend') reasonHits[hit.reason.code] = (reasonHits[hit.reason.code] ?? 0) + 1;
  }
}

const rate = (n, of) => (of ? Math.round((n / of) * 1000) / 1000 : 0);
const result = {
  at: new Date().toISOString(),
  historyFrom: history.from,
  historyTo: history.to,
  completedOrders: completed.length,
  members,
  membersWith3PriorOrders: withHistory3,
  k: TOP,
  hitRateAt5: Object.fromEntries(strategies.map((s) => [s, rate(tally[s].hits, members)])),
  hitRateAt5With3PriorOrders: Object.fromEntries(
    strategies.map((s) => [s, rate(tally[s].hitsWithHistory3, withHistory3)]),
  ),
  blendHitsByReason: reasonHits,
  seconds: Math.round(performance.now() - started) / 1000,
};

console.log(
  `recommendations, leave-last-out over ${members} members (${completed.length} completed demo orders, ${history.from}…${history.to})`,
);
for (const s of strategies) {
  console.log(
    `  ${s.padEnd(8)} hit rate@${TOP}: ${result.hitRateAt5[s].toFixed(3)}  (members with ≥3 earlier orders: ${result.hitRateAt5With3PriorOrders[s].toFixed(3)})`,
  );
}
console.log(`  blend hits by reason: ${JSON.stringify(reasonHits)}`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/recommend-eval.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
