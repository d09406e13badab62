// Realistic answers of the analytics API (shapes of schema/api/analytics.schemas.ts), for
// seeing and iterating on the console before the real handlers and demo history exist.
// Deterministic per store and day, so a store's figures add up to the brand's.
const DAY_MS = 86_400_000;
const NAMES = {
  sto_demo_peoplesq: '人民广场店',
  sto_demo_jingan: '静安寺店',
  sto_demo_sg: 'Singapore Raffles',
};
const DISHES = [
  ['itm_xlb', '小笼包', 3200],
  ['itm_potstickers', '锅贴', 2400],
  ['itm_noodles', '葱油拌面', 1800],
  ['itm_wonton', '鲜肉馄饨', 2200],
  ['itm_rice', '排骨年糕', 3600],
  ['itm_tea', '柠檬红茶', 1200],
  ['itm_soymilk', '现磨豆浆', 800],
  ['itm_bun', '生煎包', 2000],
  ['itm_duck', '酱鸭', 5800],
  ['itm_greens', '清炒时蔬', 1600],
  ['itm_soup', '腌笃鲜', 4800],
  ['itm_cake', '桂花糕', 1400],
];

const days = (from, to) => {
  const out = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};
const noise = (s) => {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return ((h >>> 0) % 1000) / 1000;
};
const weekday = (day) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const rate = (a, b) => (b ? a / b : null);

function storeDay(storeId, day, empty) {
  if (empty) return { orders: 0, guests: 0, revenue: 0, refunds: 0, discounts: 0, seatings: 0, tables: 12 };
  const size = storeId === 'sto_demo_sg' ? 0.6 : storeId === 'sto_demo_jingan' ? 0.8 : 1;
  const weekend = weekday(day) >= 6 ? 1.35 : 1;
  const orders = Math.round((60 + 40 * noise(storeId + day)) * size * weekend);
  const revenue = orders * Math.round(6800 + 2400 * noise(day + storeId));
  return {
    orders,
    guests: Math.round(orders * 2.3),
    revenue,
    refunds: Math.round(revenue * 0.02 * noise(`r${day}${storeId}`)),
    discounts: Math.round(revenue * 0.06),
    seatings: Math.round(orders * 0.55),
    tables: 12,
  };
}

function kpis(parts, n) {
  const sum = (k) => parts.reduce((a, p) => a + p[k], 0);
  const revenue = sum('revenue');
  const refunds = sum('refunds');
  const orders = sum('orders');
  const guests = sum('guests');
  const seatings = sum('seatings');
  const tables = sum('tables');
  const netRevenue = revenue - refunds;
  const any = orders > 0;
  return {
    revenue,
    refunds,
    netRevenue,
    orders,
    guests,
    averageOrderValue: orders ? Math.round(netRevenue / orders) : null,
    averagePerGuest: guests ? Math.round(netRevenue / guests) : null,
    discountTotal: sum('discounts'),
    tableTurnover: {
      seatings,
      tables,
      turns: rate(seatings, tables),
      fantaiRate: tables ? (seatings - tables) / tables : null,
      averageTurnMinutes: seatings ? 52 + 10 * noise(String(n)) : null,
    },
    repurchaseRate30d: any ? 0.36 + 0.08 * noise(`rep${n}`) : null,
    memberActivityRate: any ? 0.52 + 0.05 * noise(`act${n}`) : null,
    pointsConsumptionRate: any ? 0.48 + 0.1 * noise(`pts${n}`) : null,
    couponRedemptionRate: any ? 0.22 + 0.1 * noise(`cpn${n}`) : null,
    newMembers: any ? Math.round(orders * 0.04) : 0,
    activeMembers: any ? Math.round(orders * 0.35) : 0,
  };
}

/** The answer for `/v1/admin/analytics/{op}` with the request's query (`URLSearchParams`). */
export function analyticsAnswer(op, query, { stores = Object.keys(NAMES), empty = false } = {}) {
  const from = query.get('from');
  const to = query.get('to');
  const ids = query.getAll('storeId').length ? query.getAll('storeId') : stores;
  const range = days(from, to);
  const cells = ids.flatMap((s) => range.map((d) => ({ storeId: s, day: d, ...storeDay(s, d, empty) })));
  const key = `${ids.join()}${from}${to}`;
  if (op === 'summary')
    return {
      from,
      to,
      stores: ids,
      ...kpis(cells, key),
      targets: { repurchaseRate30d: 0.4, memberActivityRate: 0.5, pointsConsumptionRate: 0.6 },
    };
  if (op === 'daily')
    return { from, to, items: cells.map((c) => ({ storeId: c.storeId, day: c.day, ...kpis([c], c.storeId + c.day) })) };
  if (op === 'items') {
    const total = cells.reduce((a, c) => a + c.revenue, 0);
    if (!total) return { from, to, items: [] };
    const weights = DISHES.map(([id], i) => (DISHES.length - i) * (0.7 + 0.6 * noise(id + key)));
    const wsum = weights.reduce((a, b) => a + b, 0);
    const items = DISHES.map(([itemId, name, price], i) => {
      const revenue = Math.round((total * weights[i]) / wsum);
      const refundQuantity = Math.round(2 * noise(`rq${itemId}`));
      return {
        itemId,
        name,
        rank: 0,
        quantity: Math.round(revenue / price),
        revenue,
        share: revenue / total,
        refunds: refundQuantity * price,
        refundQuantity,
        averageRating: i % 4 === 3 ? null : Math.round((3.8 + 1.2 * noise(`rt${itemId}`)) * 10) / 10,
      };
    })
      .sort((a, b) => b.revenue - a.revenue)
      .map((it, i) => ({ ...it, rank: i + 1 }));
    return { from, to, items };
  }
  if (op === 'hours') {
    const out = [];
    const totalOrders = cells.reduce((a, c) => a + c.orders, 0);
    for (let w = 1; w <= 7; w++)
      for (let h = 0; h < 24; h++) {
        const shape =
          h >= 11 && h <= 13 ? 1 : h >= 17 && h <= 20 ? 0.9 : h >= 7 && h <= 9 ? 0.35 : h >= 10 && h <= 22 ? 0.15 : 0;
        const orders = Math.round(((totalOrders / 7) * shape * (w >= 6 ? 1.3 : 1)) / 5);
        if (orders) out.push({ weekday: w, hour: h, orders, revenue: orders * 7400 });
      }
    return { from, to, cells: out };
  }
  if (op === 'stores') {
    const span = range.length;
    const prevTo = new Date(Date.parse(`${from}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
    const prevFrom = new Date(Date.parse(`${from}T00:00:00Z`) - span * DAY_MS).toISOString().slice(0, 10);
    const items = ids
      .map((s) => {
        const k = kpis(
          cells.filter((c) => c.storeId === s),
          s + key,
        );
        const change = (x) => (k.orders ? Math.round((noise(x + s + key) - 0.45) * 400) / 1000 : null);
        return {
          storeId: s,
          name: NAMES[s] ?? s,
          rank: 0,
          netRevenue: k.netRevenue,
          orders: k.orders,
          averageOrderValue: k.averageOrderValue,
          repurchaseRate30d: k.repurchaseRate30d,
          change: { netRevenue: change('n'), orders: change('o'), averageOrderValue: change('a') },
        };
      })
      .sort((a, b) => b.netRevenue - a.netRevenue)
      .map((s, i) => ({ ...s, rank: i + 1 }));
    return { from, to, previous: { from: prevFrom, to: prevTo }, items };
  }
  throw new Error(`unknown analytics op ${op}`);
}

/** A CSV like the API's (UTF-8 with BOM): the rows of the JSON answer, flattened. */
export function analyticsCsv(op, query, options) {
  const body = analyticsAnswer(op, query, options);
  const rows = op === 'summary' ? [body] : (body.items ?? body.cells);
  const flat = rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).flatMap(([k, v]) =>
        v && typeof v === 'object' && !Array.isArray(v)
          ? Object.entries(v).map(([k2, v2]) => [`${k}.${k2}`, v2])
          : [[k, v]],
      ),
    ),
  );
  const head = Object.keys(flat[0] ?? {});
  return `\ufeff${[head.join(','), ...flat.map((r) => head.map((h) => JSON.stringify(r[h] ?? '')).join(','))].join('\r\n')}\r\n`;
}
