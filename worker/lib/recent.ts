/**
 * What an isolate remembers for a short while: a subject's state read from D1, so checking
 * it costs one read per subject per `ttlMs` instead of one per request. Bounded: when full,
 * it starts over. `delete` (or `set`) makes a change take effect at once in this isolate.
 */
export class Recent<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  /** The remembered value, or what `load` reads now (then remembered). */
  async through(key: string, now: number, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    this.set(key, value, now);
    return value;
  }

  set(key: string, value: T, now = Date.now()): void {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { value, at: now });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
