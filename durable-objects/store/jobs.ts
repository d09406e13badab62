const FLUSH_DELAY_MS = 500;

/**
 * Due work for the store's single alarm (unpaid-order expiry, outbox flush): one table,
 * one alarm set to the earliest due time, as in cloudflare/agents' schedule table.
 */
export class Jobs {
  /** The alarm time this object last set; undefined when unknown (fresh object, alarm just ran). */
  private alarmAt: number | null | undefined;

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
    await this.arm();
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
  }
}
