const FLUSH_DELAY_MS = 500;

/**
 * Due work for the store's single alarm (unpaid-order expiry, outbox flush): one table,
 * one alarm set to the earliest due time, as in cloudflare/agents' schedule table.
 */
export class Jobs {
  /** The alarm time this object last set; undefined when unknown (fresh object, alarm just ran). */
  private alarmAt: number | null | undefined;
  /** The earliest due time added since the alarm was last armed (Infinity: none). */
  private addedSince = Number.POSITIVE_INFINITY;

  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {}

  /** Schedules (or reschedules) a job; the alarm is moved earlier when needed. */
  async schedule(kind: string, ref: string, dueAt: number) {
    this.sql.exec(
      'INSERT INTO jobs (kind, ref, due_at) VALUES (?, ?, ?) ON CONFLICT(kind, ref) DO UPDATE SET due_at = excluded.due_at',
      kind,
      ref,
      dueAt,
    );
    this.noteAdded(dueAt);
    await this.arm();
  }

  /** Adds a new job inside the caller's transaction; `arm` once the transaction is done. */
  add(kind: string, ref: string, dueAt: number) {
    this.sql.exec('INSERT INTO jobs (kind, ref, due_at) VALUES (?, ?, ?)', kind, ref, dueAt);
    this.noteAdded(dueAt);
  }

  private noteAdded(dueAt: number) {
    this.addedSince = Math.min(this.addedSince, dueAt);
  }

  cancel(kind: string, ref: string) {
    this.sql.exec('DELETE FROM jobs WHERE kind = ? AND ref = ?', kind, ref);
  }

  /** Jobs due at `now`, removed from the table as they are handed out. */
  takeDue(now: number): { kind: string; ref: string }[] {
    const due = this.sql
      .exec<{ kind: string; ref: string }>(
        'SELECT kind, ref FROM jobs WHERE due_at <= ? ORDER BY due_at LIMIT 200',
        now,
      )
      .toArray();
    for (const j of due) this.cancel(j.kind, j.ref);
    return due;
  }

  /** Points the alarm at the earliest job (reading storage only when the alarm is unknown). */
  async arm() {
    const added = this.addedSince;
    this.addedSince = Number.POSITIVE_INFINITY;
    // Nothing added since the alarm was set is due before it: the alarm already points
    // at the earliest job (a busy store skips the query on almost every order).
    if (typeof this.alarmAt === 'number' && added >= this.alarmAt && this.alarmAt >= Date.now() - 60_000) return;
    const next = this.sql.exec<{ t: number | null }>('SELECT min(due_at) AS t FROM jobs').one().t;
    if (next === null) return;
    if (this.alarmAt === undefined) this.alarmAt = await this.storage.getAlarm();
    // An alarm time already past means it was lost (e.g. a restart in local dev): set it again.
    if (this.alarmAt === null || next < this.alarmAt || this.alarmAt < Date.now() - 60_000) {
      await this.storage.setAlarm(next);
      this.alarmAt = next;
    }
  }

  /** The alarm fired: what is set now is unknown until read again. */
  fired() {
    this.alarmAt = undefined;
  }

  /** Flushes the outbox shortly, batching the events of a busy second into one send. */
  flushSoon(now: number) {
    this.sql.exec(
      `INSERT INTO jobs (kind, ref, due_at) VALUES ('outbox', 'flush', ?) ON CONFLICT DO NOTHING`,
      now + FLUSH_DELAY_MS,
    );
    this.noteAdded(now + FLUSH_DELAY_MS);
  }
}
