// What a batch of order history costs D1 (`npm run bench:history-writes`). Each request writes
// one D1 batch of `rows` history rows, as the events consumer writes a queue batch or a store
// its guests' own orders:
//   shape=one    Tiffin's upsert: the whole batch as one statement over a JSON array
//   shape=each   the upsert it replaced: one statement a row, in the same D1 batch
// The rows are the five events of each order (placed, paid, accepted, ready, completed) in the
// order the consumer meets them: each batch carries the next event of orders already in history,
// and new orders to fill it. `stores` spreads the orders over that many stores.
import { getTableColumns } from 'drizzle-orm';
import { type HistoryRow, historyUpserts } from '../../schema/d1/order-history-upsert';
import { orderHistory } from '../../schema/d1/tables';

interface Env {
  DB: D1Database;
}

const STATUSES = ['pending_payment', 'paid', 'accepted', 'ready', 'completed'];
// A row a little larger than a real order's (bench:data-plan: 1,069 bytes of payload a history row).
const BODY_PAD = 'x'.repeat(1000);

/** The history's columns in the table's order: each row's key and its SQL name. */
const COLUMNS = Object.entries(getTableColumns(orderHistory)).map(([key, column]) => ({
  key: key as keyof HistoryRow,
  name: column.name,
}));
const ONE_A_ROW = `insert into "order_history" (${COLUMNS.map((c) => `"${c.name}"`).join(', ')})
  values (${COLUMNS.map(() => '?').join(', ')})
  on conflict ("order_history"."id") do update set "status" = excluded.status, "total" = excluded.total,
    "body" = excluded.body, "last_seq" = excluded.last_seq, "updated_at" = excluded.updated_at,
    "business_day" = coalesce("order_history"."business_day", excluded.business_day),
    "local_hour" = coalesce("order_history"."local_hour", excluded.local_hour)
  where excluded.last_seq > "order_history"."last_seq"`;

/** Orders whose next event is still to come, per rung, oldest first. */
const live = new Map<string, HistoryRow[]>();
let made = 0;

function nextRows(rung: string, count: number, stores: number, now: number): HistoryRow[] {
  const waiting = live.get(rung) ?? [];
  const advanced = waiting.splice(0, Math.floor((count * 4) / 5)).map((r) => {
    const seq = r.lastSeq + 1;
    return { ...r, lastSeq: seq, status: STATUSES[seq - 1]!, updatedAt: now };
  });
  const fresh = Array.from({ length: count - advanced.length }, () => {
    made += 1;
    const storeId = `sto_bench_${made % stores}`;
    return {
      id: `ord_${crypto.randomUUID()}`,
      brandId: 'brd_bench',
      storeId,
      memberId: `mem_${crypto.randomUUID()}`,
      ticketNo: `A${made % 1000}`,
      mode: 'pickup',
      status: STATUSES[0]!,
      total: 2800,
      body: JSON.stringify({ storeId, lines: [{ dishId: 'dsh_noodles', qty: 1, price: 2800 }], pad: BODY_PAD }),
      lastSeq: 1,
      createdAt: now,
      updatedAt: now,
      businessDay: '2026-12-07',
      localHour: 12,
    } satisfies HistoryRow;
  });
  const rows = [...advanced, ...fresh];
  waiting.push(...rows.filter((r) => r.lastSeq < STATUSES.length));
  live.set(rung, waiting);
  return rows;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/healthz') return new Response('ok');
    if (url.pathname === '/migrate' && request.method === 'POST') {
      for (const statement of (await request.json()) as string[]) await env.DB.prepare(statement).run();
      return new Response('migrated');
    }
    if (url.pathname === '/write' && request.method === 'POST') {
      const shape = url.searchParams.get('shape');
      const count = Number(url.searchParams.get('rows'));
      const stores = Number(url.searchParams.get('stores'));
      const rows = nextRows(`${shape}-${count}-${stores}`, count, stores, Date.now());
      const oneARow = () => {
        const each = env.DB.prepare(ONE_A_ROW);
        return rows.map((r) => each.bind(...COLUMNS.map((c) => r[c.key])));
      };
      await env.DB.batch(shape === 'one' ? historyUpserts(env.DB, rows) : oneARow());
      return new Response(null, { status: 204 });
    }
    return new Response('not found', { status: 404 });
  },
};
