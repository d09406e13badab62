import type { MenuSnapshot } from '../../domain/menu';
import type { RateWindow } from '../../domain/rate-window';
import type { StoreSettings } from '../../domain/store-settings';
import type { Jobs } from './jobs';
import type { Kitchen } from './kitchen/kitchen';
import type { KitchenLoadMemo } from './orders/orders';
import type { Stock } from './orders/stock';
import type { Outbox } from './outbox';
import type { Sessions } from './sessions/sessions';

export interface StoreMeta {
  storeId: string;
  brandId: string;
  timeZone: string;
  settings: StoreSettings;
}

/** What the StoreDO's parts work with: its storage, its tables and its remembered store. */
export interface Desk {
  readonly sql: SqlStorage;
  readonly storage: DurableObjectStorage;
  readonly env: Env;
  readonly stock: Stock;
  readonly jobs: Jobs;
  readonly outbox: Outbox;
  readonly sessions: Sessions;
  readonly rate: RateWindow;
  readonly kitchen: Kitchen;
  readonly load: KitchenLoadMemo;
  /** A write transaction; what memory holds about the tables is forgotten or kept right. */
  transact<T>(fn: () => T): T;
  /** The menu the store last priced against (for station routing). */
  currentMenu(): MenuSnapshot | undefined;
  requireMeta(): StoreMeta;
  menuAt(storeId: string, version: number): Promise<MenuSnapshot>;
  today(now: number): string;
}
