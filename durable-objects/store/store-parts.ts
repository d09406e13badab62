import { RateWindow } from '../../domain/rate-window';
import { type StoreD1, storeD1 } from './d1';
import { PlacementSamples } from './health/placement-samples';
import { Jobs } from './jobs';
import { Kitchen } from './kitchen/kitchen';
import { broadcast } from './kitchen/kitchen-sockets';
import { PlacementKeys } from './orders/idempotency';
import { LowStock } from './orders/low-stock';
import { d1MemberReader, MemberReads } from './orders/member-reads';
import { memberShard, smallBatchesVia } from './orders/member-shard-route';
import { KitchenLoadMemo } from './orders/orders';
import { d1HistoryWriter, OwnHistory } from './orders/own-history';
import { Stock } from './orders/stock';
import { Outbox } from './outbox';
import { Printers } from './printers/printers';
import { PublishedMenu } from './published-menu';
import { Sessions } from './sessions/sessions';
import { StoreIdentity } from './store-identity';

/** The StoreDO's parts, handed to the functions that work on them: storage, tables, identity. */
export interface StoreParts {
  readonly sql: SqlStorage;
  readonly storage: DurableObjectStorage;
  readonly env: Env;
  /** Drizzle over D1, for the brand-wide data the store reads and locks (members, coupons, groups). */
  readonly d1: StoreD1;
  readonly store: StoreIdentity;
  readonly menu: PublishedMenu;
  readonly keys: PlacementKeys;
  readonly members: MemberReads;
  /** The guest's own orders into their D1 history, batched (orders/own-history.ts). */
  readonly ownHistory: OwnHistory;
  readonly stock: Stock;
  /** Low-stock levels and their once-per-crossing warnings. */
  readonly lowStock: LowStock;
  readonly jobs: Jobs;
  readonly outbox: Outbox;
  readonly sessions: Sessions;
  readonly rate: RateWindow;
  readonly kitchen: Kitchen;
  readonly printers: Printers;
  readonly load: KitchenLoadMemo;
  /** Placements of the health window (alerts). */
  readonly samples: PlacementSamples;
  /** A write transaction; what memory holds about the tables is forgotten or kept right. */
  transact<T>(fn: () => T): T;
}

/** Builds the parts of the StoreDO named by `ctx.id` (storage is read later, in its constructor's block). */
export function assembleStoreParts(ctx: DurableObjectState, env: Env): StoreParts {
  const sql = ctx.storage.sql;
  const store = new StoreIdentity(ctx.id, ctx.storage);
  const outbox = new Outbox(sql);
  const jobs = new Jobs(sql, ctx.storage, () => outbox.waiting());
  const kitchen = new Kitchen(sql, (e) => broadcast(ctx, e));
  const load = new KitchenLoadMemo(sql);
  const d1 = storeD1(env.DB);
  const shard = memberShard(env, ctx.id.toString());
  return {
    sql,
    storage: ctx.storage,
    env,
    d1,
    store,
    menu: new PublishedMenu(env.MENU_KV, store.storeId),
    keys: new PlacementKeys(sql, store.storeId),
    members: new MemberReads(smallBatchesVia(d1MemberReader(env.DB), shard?.read)),
    ownHistory: new OwnHistory(smallBatchesVia(d1HistoryWriter(env.DB), shard?.write)),
    stock: new Stock(sql),
    lowStock: new LowStock(sql),
    jobs,
    outbox,
    sessions: new Sessions(sql),
    rate: new RateWindow(),
    kitchen,
    printers: new Printers(sql, kitchen),
    load,
    samples: new PlacementSamples(sql),
    transact: (fn) => {
      load.forget();
      return jobs.transact(fn);
    },
  };
}
