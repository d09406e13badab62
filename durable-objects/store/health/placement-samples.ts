import {
  type PlacementOutcome,
  type PlacementWindow,
  percentile,
  placementOutcome,
} from '../../../domain/alerts/health';
import { log } from '../../../domain/log';
import type { DoResult } from '../result';

/** How far back the store's health looks. */
export const HEALTH_WINDOW_MS = 15 * 60_000;
const PRUNE_EVERY_MS = 60_000;
// A statement binds at most 100 values in a store object's SQLite; four a row.
const ROWS_PER_INSERT = 25;
// The alarm writes them within 2 s; a burst past this many is written without waiting.
const MAX_NOTED = 1_000;

/*
 * Every placement the store answers, with its outcome and how long it took, kept in SQLite
 * for the health window: an evicted or hibernated store still knows its last 15 minutes.
 * Rows past the window are pruned at most once a minute. The time is the object's own clock,
 * which moves across awaits (member reads, the menu, coupon locks): CPU-only stretches
 * between them are not counted.
 *
 * A placement that went through is noted in memory and written with the alarm that sends
 * its outbox event (at most 2 s later), in one insert with the others since: written on its
 * own it was a second commit for every order at a quiet store. Anything else (a refusal, a
 * failure) is written at once, since no alarm follows it; the window reads what is noted too.
 */
export class PlacementSamples {
  private prunedAt = 0;
  /** Placements noted and not yet written: [at, n, outcome, ms]. */
  private readonly noted: [number, number, PlacementOutcome, number][] = [];
  /**
   * Tells apart samples of the same millisecond: the table's key is (at, n), one b-tree and no
   * index beside it (store migration 49). It starts anywhere, so an object that starts again
   * within the same millisecond does not meet its own numbers.
   */
  private n = Math.floor(Math.random() * 2 ** 31);

  constructor(private readonly sql: SqlStorage) {}

  /** Runs a placement and records how it went; a replayed Idempotency-Key is not a new placement. */
  async measure<T extends { replayed: boolean }>(place: () => Promise<DoResult<T>>): Promise<DoResult<T>> {
    const started = Date.now();
    let result: DoResult<T>;
    try {
      result = await place();
    } catch (e) {
      this.record('failed', started, Date.now());
      throw e;
    }
    if (result.ok && result.value.replayed) return result;
    const outcome = placementOutcome(
      result.ok ? { ok: true } : { ok: false, status: result.problem.status, code: result.problem.code },
    );
    this.record(outcome, started, Date.now());
    return result;
  }

  /** Notes one placement; never fails the placement it describes. */
  record(outcome: PlacementOutcome, startedAt: number, endedAt: number) {
    this.noted.push([endedAt, this.n++, outcome, Math.max(0, Math.round(endedAt - startedAt))]);
    if (outcome !== 'ok' || this.noted.length >= MAX_NOTED) this.flush(endedAt);
  }

  /** Writes what was noted since the last flush (the alarm calls it); never throws. */
  flush(now: number) {
    try {
      while (this.noted.length > 0) {
        const rows = this.noted.slice(0, ROWS_PER_INSERT);
        this.sql.exec(
          `INSERT OR IGNORE INTO placement_samples (at, n, outcome, ms) VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')}`,
          ...rows.flat(),
        );
        this.noted.splice(0, rows.length);
      }
      if (now - this.prunedAt > PRUNE_EVERY_MS) this.prune(now);
    } catch (e) {
      this.noted.length = 0;
      log.warn('placement samples not recorded', { error: e });
    }
  }

  /** The window ending at `now`: counts by outcome and the 95th-percentile duration. */
  window(now: number): PlacementWindow {
    this.flush(now);
    this.prune(now);
    const rows = this.sql
      .exec<{ outcome: PlacementOutcome; ms: number }>(
        'SELECT outcome, ms FROM placement_samples WHERE at > ? AND at <= ?',
        now - HEALTH_WINDOW_MS,
        now,
      )
      .toArray();
    const count = (o: PlacementOutcome) => rows.filter((r) => r.outcome === o).length;
    return {
      ok: count('ok'),
      failed: count('failed'),
      turnedAway: count('turned_away'),
      guestErrors: count('guest_error'),
      p95Ms: percentile(
        rows.map((r) => r.ms),
        0.95,
      ),
    };
  }

  private prune(now: number) {
    this.prunedAt = now;
    this.sql.exec('DELETE FROM placement_samples WHERE at <= ?', now - HEALTH_WINDOW_MS);
  }
}
