const FLUSH_DELAY_MS = 500;
/**
 * For an event no one is waiting on: an unpaid order placed. Its guest's own history is
 * written at once (own-history.ts), the rollups do not count it (movesFigures), and its
 * payment, if it comes, flushes within FLUSH_DELAY_MS. A quiet store at lunch places an order
 * every second or so; at 500 ms each order cost an alarm, a queue send and a commit of its
 * own, which was the biggest part of why 100 stores placed slower than one (SCALE.md).
 */
export const UNPAID_FLUSH_DELAY_MS = 2_000;
/** Past this, a flush the alarm should have run is no longer trusted to be on its way. */
const FLUSH_TRUST_MS = 5_000;

/** `flushAt` while the alarm sends the outbox. */
const SENDING = Number.POSITIVE_INFINITY;

/** The one job that expires unpaid orders, due at the earliest `expires_at` among them. */
export const SWEEP = { kind: 'sweep', ref: 'expiry' } as const;

/**
 * Due work for the store's single alarm (unpaid-order expiry, printer and group-hold checks):
 * one table, one alarm set to the earliest due time, as in cloudflare/agents' schedule table.
 * The outbox flush is the alarm's too, but not a row: the outbox's unsent events are its
 * durable record, and its due time is kept in memory (store migration 48). As a row, a quiet
 * store's lone order wrote three pages for it (the job, its key, its due index) and the alarm
 * three more to take it, against ten for the order itself (SCALE.md).
 *
 * A busy store places hundreds of orders a second, and each one would write an expiry job
 * it does not need: the expiry sweep is already due earlier. What the object knows it has
 * written is kept in memory to skip those writes. Memory can be wrong only if a transaction
 * rolls back after a write it noted, so `transact` forgets everything on a rollback, and the
 * alarm re-derives the sweep each time it runs.
 */
export class Jobs {
  /** The alarm time this object last set; undefined when unknown (fresh object, alarm just ran). */
  private alarmAt: number | null | undefined;
  /** The earliest due time added since the alarm was last armed (Infinity: none). */
  private addedSince = Number.POSITIVE_INFINITY;
  /**
   * When the outbox is to be flushed next. Undefined: not known (a fresh object, a rollback, a
   * flush just done), so whatever waits in the outbox is due now. Infinity: the alarm is
   * sending it (`takeFlush`).
   */
  private flushAt: number | undefined;
  /** When the expiry sweep job is due; undefined when not known. */
  private sweepAt: number | undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
    /** Whether any event waits in the outbox unsent. */
    private readonly outboxWaiting: () => boolean,
  ) {}

  /** Runs `fn` in a transaction; on a rollback, forgets what it noted during it. */
  transact<T>(fn: () => T): T {
    try {
      return this.storage.transactionSync(fn);
    } catch (e) {
      this.flushAt = undefined;
      this.sweepAt = undefined;
      this.addedSince = Number.NEGATIVE_INFINITY;
      throw e;
    }
  }

  /** Schedules (or reschedules) a job; the alarm is moved earlier when needed. */
  async schedule(kind: string, ref: string, dueAt: number) {
    this.sql.exec(
      'INSERT INTO jobs (kind, ref, due_at) VALUES (?, ?, ?) ON CONFLICT(kind, ref) DO UPDATE SET due_at = excluded.due_at',
      kind,
      ref,
      dueAt,
    );
    this.noted(kind, ref, dueAt);
    await this.arm();
  }

  /** Adds a new job inside the caller's transaction; `arm` once the transaction is done. */
  add(kind: string, ref: string, dueAt: number) {
    this.sql.exec('INSERT INTO jobs (kind, ref, due_at) VALUES (?, ?, ?)', kind, ref, dueAt);
    this.noted(kind, ref, dueAt);
  }

  cancel(kind: string, ref: string) {
    this.sql.exec('DELETE FROM jobs WHERE kind = ? AND ref = ?', kind, ref);
    this.taken(kind, ref);
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
    const job = this.sql.exec<{ t: number | null }>('SELECT min(due_at) AS t FROM jobs').one().t;
    const flush = this.flushAt === SENDING ? null : (this.flushAt ?? (this.outboxWaiting() ? Date.now() : null));
    const next = job === null ? flush : flush === null ? job : Math.min(job, flush);
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

  /**
   * Flushes the outbox shortly, batching the events of a busy second into one send.
   * `delayMs` 0 is for an event someone is waiting on (a completed order's points must show
   * within 2 s, and the queue's own batch wait is 1 s of that): a flush already pending
   * later is brought forward.
   */
  flushSoon(now: number, delayMs = FLUSH_DELAY_MS) {
    const due = now + delayMs;
    if (this.flushAt !== undefined && this.flushAt <= due && now < this.flushAt + FLUSH_TRUST_MS) return;
    this.flushAt = due;
    this.addedSince = Math.min(this.addedSince, due);
  }

  /**
   * The alarm takes the flush before it sends, and while it sends nothing waiting is due on
   * that account; an event appended meanwhile notes a flush of its own. After `flushDone`,
   * `arm` finds anything still waiting (a flush that sent only its first 500, say) due now.
   */
  takeFlush() {
    this.flushAt = SENDING;
  }

  flushDone() {
    if (this.flushAt === SENDING) this.flushAt = undefined;
  }

  /** The flush failed: the events stay, and are tried again at `at`. */
  flushAgainAt(at: number) {
    this.flushAt = Math.min(this.flushAt ?? at, at);
    this.addedSince = Math.min(this.addedSince, this.flushAt);
  }

  /**
   * Makes sure the expiry sweep runs by `dueAt` (an unpaid order expires then). `verify`
   * checks the table whatever memory says (the alarm re-derives it from the orders), and
   * writes only to bring it earlier: the alarm of a quiet store runs every few seconds, and
   * an upsert that leaves the time as it was still writes its page.
   */
  sweepBy(dueAt: number, verify = false) {
    if (!verify && this.sweepAt !== undefined && this.sweepAt <= dueAt) return;
    const stored = this.sql
      .exec<{ due_at: number }>('SELECT due_at FROM jobs WHERE kind = ? AND ref = ?', SWEEP.kind, SWEEP.ref)
      .toArray()[0]?.due_at;
    if (stored !== undefined && stored <= dueAt) {
      this.noted(SWEEP.kind, SWEEP.ref, stored);
      return;
    }
    const t = this.sql
      .exec<{ due_at: number }>(
        `INSERT INTO jobs (kind, ref, due_at) VALUES (?, ?, ?)
         ON CONFLICT(kind, ref) DO UPDATE SET due_at = min(due_at, excluded.due_at) RETURNING due_at`,
        SWEEP.kind,
        SWEEP.ref,
        dueAt,
      )
      .one().due_at;
    this.noted(SWEEP.kind, SWEEP.ref, t);
  }

  private noted(kind: string, ref: string, dueAt: number) {
    this.addedSince = Math.min(this.addedSince, dueAt);
    if (kind === SWEEP.kind && ref === SWEEP.ref) this.sweepAt = dueAt;
  }

  private taken(kind: string, ref: string) {
    if (kind === SWEEP.kind && ref === SWEEP.ref) this.sweepAt = undefined;
  }
}
