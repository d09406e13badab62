import type { MenuSnapshot } from '../../domain/menu';
import { DoFailure } from './result';

/**
 * The published menu the store prices against: read from KV once per new version and
 * kept in memory, so an order reads it at most once and a busy store almost never.
 */
export class PublishedMenu {
  private menu?: MenuSnapshot;

  constructor(
    private readonly kv: KVNamespace,
    private readonly storeId: string,
  ) {}

  /** The menu the store last priced against (for station routing). */
  get current(): MenuSnapshot | undefined {
    return this.menu;
  }

  /** The published menu at `version` (the one the worker saw), from memory or KV. */
  async at(version: number): Promise<MenuSnapshot> {
    if (this.menu?.version === version) return this.menu;
    const snap = await this.kv.get<MenuSnapshot>(`menu:${this.storeId}`, 'json');
    if (!snap) {
      throw new DoFailure({
        status: 503,
        code: 'menu.unavailable',
        detail: 'The menu is being published; retry.',
        headers: { 'Retry-After': '1' },
      });
    }
    // KV may briefly lag a publish; any version at least as new as the worker's is fine.
    if (!this.menu || snap.version >= this.menu.version) this.menu = snap;
    return this.menu;
  }
}
