import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PlacementSamples } from '../../durable-objects/store/health/placement-samples';
import { storeMigrations } from '../../durable-objects/store/migrations';
import type { StoreDO } from '../../durable-objects/store/store.do';

describe("the health window's samples, one b-tree keyed by time", () => {
  it('two placements answered in the same millisecond both count', async () => {
    const window = await runInDurableObject(env.STORE.getByName('samples-same-ms'), (_i: StoreDO, state) => {
      const samples = new PlacementSamples(state.storage.sql);
      const at = Date.now();
      samples.record('ok', at - 40, at);
      samples.record('ok', at - 40, at);
      samples.record('failed', at - 90, at);
      samples.flush(at);
      return samples.window(at);
    });
    expect(window).toMatchObject({ ok: 2, failed: 1, p95Ms: 90 });
  });

  it('migration 49 keeps the samples a store had, and its window reads them as before', async () => {
    const window = await runInDurableObject(env.STORE.getByName('samples-migrated'), (_i: StoreDO, state) => {
      const sql = state.storage.sql;
      const at = Date.now();
      // The table as it was: rows, an index on `at`, two samples in the same millisecond.
      sql.exec('DROP TABLE placement_samples');
      sql.exec('CREATE TABLE placement_samples (at INTEGER NOT NULL, outcome TEXT NOT NULL, ms INTEGER NOT NULL)');
      sql.exec('CREATE INDEX placement_samples_at ON placement_samples(at)');
      sql.exec(
        `INSERT INTO placement_samples (at, outcome, ms) VALUES (?1, 'ok', 30), (?1, 'ok', 30), (?2, 'turned_away', 5),
           (?3, 'ok', 10)`,
        at - 1_000,
        at - 2_000,
        at - 20 * 60_000,
      );
      sql.exec(storeMigrations.find((m) => m.version === 49)!.sql);
      return new PlacementSamples(sql).window(at);
    });
    // The one 20 minutes old is past the window, as before.
    expect(window).toMatchObject({ ok: 2, turnedAway: 1, failed: 0 });
  });
});
