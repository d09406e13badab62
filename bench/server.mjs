// Starts the local runtime for a benchmark (seeded, DEV_AUTH) with its state on a RAM disk
// when there is one; without the demo history (TIFFIN_DEMO_HISTORY=0), which benchmarks do not read,
// and without the demo promotions (TIFFIN_DEMO_PROMOTIONS=0), so runs stay comparable with earlier ones.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

export async function startServer(port, extraEnv = {}, args = []) {
  const persistDir =
    process.env.TIFFIN_PERSIST_DIR ??
    (existsSync('/dev/shm') ? `/dev/shm/tiffin-bench-${process.pid}-${port}` : undefined);
  const server = spawn(process.execPath, ['scripts/start.mjs', ...args], {
    env: {
      ...process.env,
      TIFFIN_DEMO_HISTORY: '0',
      TIFFIN_DEMO_PROMOTIONS: '0',
      ...extraEnv,
      PORT: String(port),
      ...(persistDir ? { TIFFIN_PERSIST_DIR: persistDir } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  let keep = false;
  const stop = () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {}
    try {
      if (!keep && persistDir?.startsWith('/dev/shm/')) rmSync(persistDir, { recursive: true, force: true });
    } catch {
      // The runtime may still be writing as it exits; a leftover RAM-disk folder is harmless.
    }
  };
  process.on('exit', stop);
  if (await untilHealthy(base, 300_000)) {
    return {
      base,
      stop,
      pid: server.pid,
      persistDir,
      /** Stops the runtime but keeps its state, for a measurement on the same local D1 after it. */
      async stopKeeping() {
        keep = true;
        stop();
        await new Promise((r) => setTimeout(r, 1500));
        return () => persistDir?.startsWith('/dev/shm/') && rmSync(persistDir, { recursive: true, force: true });
      },
    };
  }
  stop();
  throw new Error(`server did not come up at ${base}`);
}

export const json = (method, body, token, headers = {}) => ({
  method,
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  body: body === undefined ? undefined : JSON.stringify(body),
});

export async function api(base, path, init) {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** An always-open store with the demo menu published, and tokens to drive it. */
export async function benchStore(base, settings = {}) {
  const { token: admin } = await api(base, '/v1/auth/dev', json('POST', { role: 'admin', subject: 'adm_bench' }));
  const storeId = `sto_bench_${Date.now().toString(36)}`;
  await api(
    base,
    '/v1/admin/stores',
    json(
      'POST',
      {
        id: storeId,
        name: 'Bench store',
        location: { lat: 31.23, lng: 121.47 },
        timeZone: 'Asia/Shanghai',
        openingHours: [],
        settings: { maxOrdersPerMinute: 1_000_000, maxOpenOrders: 100_000, ...settings },
      },
      admin,
    ),
  );
  await api(base, '/v1/admin/menu/publish', json('POST', { storeIds: [storeId] }, admin));
  const { token: member } = await api(base, '/v1/auth/dev', json('POST', { role: 'member', subject: 'mem_bench' }));
  const { token: staff } = await api(
    base,
    '/v1/auth/dev',
    json('POST', { role: 'staff', subject: 'stf_bench', storeId }),
  );
  return { storeId, admin, member, staff };
}

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * `n` kitchen displays on a store's kitchen station, open and greeted, each noting when each
 * order's `ticket.created` reaches it (for `payAndTime`).
 */
export async function openDisplays(base, storeId, token, n) {
  const wsBase = base.replace('http', 'ws');
  const arrivals = new Map();
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve, reject) => {
          const ws = new WebSocket(`${wsBase}/v1/stores/${storeId}/kitchen?station=kitchen&token=${token}`);
          ws.onmessage = (e) => {
            const m = JSON.parse(e.data);
            if (m.type === 'hello') resolve(ws);
            if (m.type === 'event' && m.event.type === 'ticket.created') {
              arrivals.set(m.event.orderId, [...(arrivals.get(m.event.orderId) ?? []), performance.now()]);
            }
          };
          ws.onerror = reject;
        }),
    ),
  );
  return {
    /**
     * Confirms a sandbox payment (the ticket is created when it lands) and waits up to 5 s for
     * its ticket on every display: the ms from the confirmation to each display that got it.
     */
    async payAndTime(orderId, paymentId) {
      const t0 = performance.now();
      await api(base, `/v1/payments/sandbox/${paymentId}/complete`, { method: 'POST' });
      const deadline = performance.now() + 5000;
      while ((arrivals.get(orderId)?.length ?? 0) < n && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1));
      }
      return (arrivals.get(orderId) ?? []).map((t) => Math.max(0, t - t0));
    },
    close: () => {
      for (const ws of sockets) ws.close();
    },
  };
}

/**
 * `wrangler dev` on one of the bare workers the benches compare Tiffin with (`config` is its
 * wrangler.toml), run the way `npm start` runs Tiffin: observability off, its state on the RAM
 * disk (`/dev/shm/tiffin-<name>-<pid>`). Resolves once its /healthz answers.
 */
export async function startDevWorker(name, config, port, args = []) {
  const persist = `${existsSync('/dev/shm') ? '/dev/shm' : tmpdir()}/tiffin-${name}-${process.pid}`;
  const child = spawn(
    'wrangler',
    ['dev', '-c', config, '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persist, ...args],
    {
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', X_LOCAL_OBSERVABILITY: 'false' },
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    rmSync(persist, { recursive: true, force: true });
  };
  process.on('exit', stop);
  if (await untilHealthy(base, 120_000)) return { base, pid: child.pid, stop };
  stop();
  throw new Error(`${config} did not come up at ${base}`);
}

/**
 * Gives a bare bench worker's D1 Tiffin's migrations: every statement of every migration, in
 * order, posted to the worker's `/migrate`, which runs them one by one.
 */
export async function migrateBareD1(base) {
  const dir = 'schema/d1/migrations';
  const statements = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .flatMap((f) => readFileSync(`${dir}/${f}`, 'utf8').split('--> statement-breakpoint'))
    .filter((s) => s.trim());
  const migrated = await fetch(`${base}/migrate`, { method: 'POST', body: JSON.stringify(statements) });
  if (!migrated.ok) throw new Error(`migrations: ${migrated.status} ${await migrated.text()}`);
}

/** Whether `base`/healthz answers within `ms`, asked every half second. */
async function untilHealthy(base, ms) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return true;
    } catch {}
  }
  return false;
}
