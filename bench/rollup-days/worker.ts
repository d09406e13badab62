// What re-deriving one store's business day costs D1 (`npm run bench:rollup-days`): the three
// statements the events consumer runs for every store-day a batch touched (`storeDayStatements`:
// the rollups, the member days, the member windows they may move), timed by D1 itself
// (`meta.duration`, the statements' own time in the database) and by the worker's wall clock.
//   POST /seed?store=S&orders=N   a business day of N paid orders at store S, with their payments
//   POST /recompute?store=S       the day re-derived once; answers the timings as JSON
import { historyUpserts } from '../../schema/d1/order-history-upsert';
import { payments } from '../../schema/d1/tables';
import { storeDayStatements } from '../../worker/analytics/rollup-statements';
import { db } from '../../worker/lib/db';

interface Env {
  DB: D1Database;
}

const BRAND = 'brd_bench';
const DAY = '2026-12-07';
const DISHES = [
  { itemId: 'itm_beef_noodles', name: '红烧牛肉面', price: 3200 },
  { itemId: 'itm_wontons', name: '鲜肉小馄饨', price: 1800 },
  { itemId: 'itm_milk_tea', name: '招牌奶茶', price: 1600 },
  { itemId: 'itm_scallion_cake', name: '葱油饼', price: 900 },
  { itemId: 'itm_soy_egg', name: '卤蛋', price: 400 },
];

/**
 * One paid order of the day, shaped like the order view the history keeps: about 0.9 kB, a little
 * less than a real order's 1,069 bytes (bench:data-plan), so a real day costs a little more.
 */
function order(storeId: string, n: number, at: number) {
  const lines = [0, 1, 2].map((i) => {
    const dish = DISHES[(n + i * 2) % DISHES.length]!;
    const quantity = 1 + ((n + i) % 2);
    return {
      index: i,
      itemId: dish.itemId,
      name: dish.name,
      quantity,
      unitPrice: dish.price,
      total: dish.price * quantity,
      options: [{ group: '规格', choice: '常规' }],
    };
  });
  const total = lines.reduce((s, l) => s + l.total, 0);
  const id = `ord_${storeId}_${n}`;
  const memberId = n % 3 === 0 ? null : `mem_bench_${n % 400}`;
  const body = {
    id,
    storeId,
    memberId,
    ticketNo: `A${String(n % 1000).padStart(3, '0')}`,
    mode: n % 4 === 0 ? 'dine_in' : 'pickup',
    status: 'completed',
    lines,
    subtotal: total,
    discountTotal: 0,
    total,
    payments: [{ id: `pay_${id}`, method: 'wechat', amount: total }],
    paidAt: new Date(at).toISOString(),
    createdAt: new Date(at).toISOString(),
    note: '少辣，谢谢',
    pickup: { name: '王先生', phoneTail: '8888' },
  };
  return { id, memberId, total, body, at };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const storeId = url.searchParams.get('store') ?? 'sto_bench';
    if (url.pathname === '/healthz') return new Response('ok');
    if (url.pathname === '/migrate' && request.method === 'POST') {
      for (const statement of (await request.json()) as string[]) await env.DB.prepare(statement).run();
      return new Response('migrated');
    }
    if (url.pathname === '/seed' && request.method === 'POST') {
      const n = Number(url.searchParams.get('orders'));
      const start = Date.parse(`${DAY}T03:00:00Z`);
      const d = db(env);
      const orders = Array.from({ length: n }, (_, i) => order(storeId, i, start + i * 30_000));
      // History through Tiffin's own upsert (one JSON array); payments five a statement, under
      // D1's 100 bound values.
      await env.DB.batch(
        historyUpserts(
          env.DB,
          orders.map((o) => ({
            id: o.id,
            brandId: BRAND,
            storeId,
            memberId: o.memberId,
            ticketNo: o.body.ticketNo,
            mode: o.body.mode,
            status: 'completed',
            total: o.total,
            body: JSON.stringify(o.body),
            lastSeq: 5,
            createdAt: o.at,
            updatedAt: o.at,
            businessDay: DAY,
            localHour: new Date(o.at + 8 * 3_600_000).getUTCHours(),
          })),
        ),
      );
      const paid = [];
      for (let i = 0; i < orders.length; i += 5) {
        paid.push(
          d.insert(payments).values(
            orders.slice(i, i + 5).map((o) => ({
              id: `pay_${o.id}`,
              brandId: BRAND,
              storeId,
              orderId: o.id,
              memberId: o.memberId,
              purpose: 'order' as const,
              method: 'wechat' as const,
              amount: o.total,
              status: 'succeeded' as const,
              expiresAt: o.at + 900_000,
              createdAt: o.at,
              settledAt: o.at,
            })),
          ),
        );
      }
      await d.batch(paid as [(typeof paid)[number], ...typeof paid]);
      return new Response(null, { status: 204 });
    }
    if (url.pathname === '/recompute' && request.method === 'POST') {
      const d = db(env);
      const statements = storeDayStatements(d, { brandId: BRAND, storeId, day: DAY }, Date.now());
      const started = performance.now();
      const results = (await d.batch([...statements])) as unknown as { meta?: { duration?: number } }[];
      const wallMs = performance.now() - started;
      const d1Ms = results.reduce((s, r) => s + (r.meta?.duration ?? 0), 0);
      return Response.json({ d1Ms, wallMs });
    }
    return new Response('not found', { status: 404 });
  },
};
