// The demo brand's 60 days of history for `npm start` (schema/d1/seed-history.ts), and the
// rollup rebuild that makes the console show it. TIFFIN_DEMO_HISTORY=0 turns both off.
//
// Cheap on a second start: the generated SQL is cached per day in .wrangler/, and a stamp in
// the state directory says which day's history that database already holds, so the same day
// executes nothing again. Before 12:31 Shanghai time the day is not complete (yesterday's
// next-day refunds happen in the morning): it is regenerated on every start until then.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ADMIN_ID, DEMO_BRAND_ID } from '../schema/d1/seed.ts';
import { historyComplete, historyRange, historySql } from '../schema/d1/seed-history.ts';

export const historyEnabled = () => process.env.TIFFIN_DEMO_HISTORY !== '0';

/** A short hash of the generator's sources: an edited generator never reads a stale cache. */
function generatorHash() {
  const hash = createHash('sha256');
  const dir = 'schema/d1/history';
  for (const f of [
    'schema/d1/seed-history.ts',
    'schema/d1/seed.ts',
    'schema/d1/seed-menu.ts',
    ...readdirSync(dir)
      .sort()
      .map((f) => join(dir, f)),
  ])
    hash.update(readFileSync(f));
  return hash.digest('hex').slice(0, 10);
}

const stampFile = (stateDir) => join(stateDir, 'demo-history.json');

function readStamp(stateDir) {
  try {
    return JSON.parse(readFileSync(stampFile(stateDir), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The history SQL to execute now (null when this state already holds today's), and the day
 * range it covers. `done()` records that it was executed; `rebuilt()` that rollups were rebuilt.
 */
export function prepareHistory(stateDir, now = Date.now()) {
  const range = historyRange(now);
  const complete = historyComplete(now);
  const stamp = readStamp(stateDir);
  const current = stamp?.to === range.to && stamp?.complete === true;
  const save = (extra) => {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(stampFile(stateDir), JSON.stringify({ ...range, complete, ...extra }));
  };
  let sql = null;
  if (!current) {
    const cache = `.wrangler/demo-history-${range.to}-${generatorHash()}.sql`;
    if (complete && existsSync(cache)) sql = readFileSync(cache, 'utf8');
    else {
      sql = historySql(now);
      if (complete) {
        // One day's cache is enough (each is ~25 MB).
        for (const f of readdirSync('.wrangler').filter((f) => /^demo-history-.*\.sql$/.test(f)))
          rmSync(`.wrangler/${f}`);
        writeFileSync(cache, sql);
      }
    }
  }
  return {
    range,
    sql,
    needsRebuild: !(current && stamp?.rebuilt),
    done: () => save({ rebuilt: false }),
    rebuilt: () => save({ rebuilt: true }),
  };
}

/**
 * Once the server answers, re-derives the KPI rollups for the history's days with a dev
 * admin token. A missing route (404/503: the rollups are not built yet) is one log line.
 */
export async function rebuildRollups(base, range, onRebuilt) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    const auth = await fetch(`${base}/v1/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin', subject: DEMO_ADMIN_ID, brandId: DEMO_BRAND_ID }),
    });
    if (!auth.ok) throw new Error(`dev token: ${auth.status}`);
    const { token } = await auth.json();
    const res = await fetch(`${base}/v1/admin/analytics/rebuild`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(range),
    });
    if (res.status === 202) {
      console.log(`demo rebuild: KPI rollups for ${range.from} … ${range.to} are being rebuilt.`);
      onRebuilt();
    } else if (res.status === 404 || res.status === 503) {
      console.log(`demo rebuild: skipped, this build has no rollup rebuild route yet (${res.status}).`);
    } else console.log(`demo rebuild: refused with ${res.status}: ${(await res.text()).slice(0, 200)}`);
  } catch (e) {
    console.log(`demo rebuild: failed (${e.message}); the console shows no history until rollups are rebuilt.`);
  }
}
