import type { RateWindow } from '../../domain/rate-window';
import type { Env } from '../../worker/env';
import type { StoreD1 } from './d1';
import type { Jobs } from './jobs';
import type { Kitchen } from './kitchen/kitchen';
import type { PlacementKeys } from './orders/idempotency';
import type { MemberReads } from './orders/member-reads';
import type { KitchenLoadMemo } from './orders/orders';
import type { Stock } from './orders/stock';
import type { Outbox } from './outbox';
import type { Printers } from './printers/printers';
import type { PublishedMenu } from './published-menu';
import type { Sessions } from './sessions/sessions';
import type { StoreIdentity } from './store-identity';

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
  readonly stock: Stock;
  readonly jobs: Jobs;
  readonly outbox: Outbox;
  readonly sessions: Sessions;
  readonly rate: RateWindow;
  readonly kitchen: Kitchen;
  readonly printers: Printers;
  readonly load: KitchenLoadMemo;
  /** A write transaction; what memory holds about the tables is forgotten or kept right. */
  transact<T>(fn: () => T): T;
}
