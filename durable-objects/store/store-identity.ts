import { businessDay, type StoreSettings } from '../../domain/store-settings';
import { DoFailure } from './result';

/** What the store knows about itself besides its orders. */
export interface StoreMeta {
  storeId: string;
  brandId: string;
  timeZone: string;
  settings: StoreSettings;
}

/** The worker's view of the store row that a pricing or stock request carries anyway. */
export type StoreContext = Pick<StoreMeta, 'brandId' | 'timeZone' | 'settings'>;

const KEY = 'meta';

/**
 * Who this store is. Its id is the object's own name (every stub is made with
 * `getByName(storeId)`), known from construction. Its brand, time zone and settings are
 * what the worker's store context last said: a quote, a placement and a stock change carry
 * that context for pricing anyway, and when it differs from what is kept (an admin
 * changed the settings) it replaces it. It is kept in storage, so reads, the alarm and
 * kitchen displays know it between requests without reading D1.
 */
export class StoreIdentity {
  readonly storeId: string;
  private meta?: StoreMeta;

  constructor(
    id: DurableObjectId,
    private readonly storage: DurableObjectStorage,
  ) {
    if (!id.name) throw new Error('A StoreDO is reached by getByName(storeId) only.');
    this.storeId = id.name;
  }

  /** Reads what was kept (inside the constructor's blockConcurrencyWhile). */
  async load() {
    this.meta = await this.storage.get<StoreMeta>(KEY);
  }

  /** The store's meta, or undefined before the first request that carried it. */
  get known(): StoreMeta | undefined {
    return this.meta;
  }

  /** The store's meta; a store that never priced anything has no orders either. */
  require(): StoreMeta {
    if (!this.meta)
      throw new DoFailure({ status: 404, code: 'order.not_found', detail: 'This store has no orders yet.' });
    return this.meta;
  }

  /** Keeps the worker's store context when it differs from what the store holds. */
  async follow(context: StoreContext) {
    const m = this.meta;
    if (
      m?.storeId === this.storeId &&
      m.timeZone === context.timeZone &&
      JSON.stringify(m.settings) === JSON.stringify(context.settings)
    ) {
      return;
    }
    this.meta = {
      storeId: this.storeId,
      brandId: context.brandId,
      timeZone: context.timeZone,
      settings: context.settings,
    };
    await this.storage.put(KEY, this.meta);
  }

  /** The business day at `now` in the store's time zone. */
  today(now: number): string {
    const m = this.require();
    return businessDay(now, m.timeZone, m.settings.dayStartsAt);
  }
}
