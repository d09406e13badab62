/**
 * StoreDO SQLite schema, as numbered migrations applied once each (tracked in
 * `_migrations`) inside blockConcurrencyWhile. Append; never edit a shipped step.
 */
export const storeMigrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        ticket_no TEXT NOT NULL,
        business_day TEXT NOT NULL,
        mode TEXT NOT NULL,
        status TEXT NOT NULL,
        previous_status TEXT,
        pay_later INTEGER NOT NULL DEFAULT 0,
        table_id TEXT,
        member_id TEXT,
        placed_by TEXT NOT NULL,
        total INTEGER NOT NULL,
        prep_seconds INTEGER NOT NULL DEFAULT 0,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER,
        paid_at INTEGER,
        last_urged_at INTEGER,
        ready_at_estimate INTEGER
      );
      CREATE INDEX orders_status ON orders(status);
      CREATE INDEX orders_created ON orders(created_at);
      CREATE TABLE stock (
        item_id TEXT PRIMARY KEY,
        remaining INTEGER,
        business_day TEXT NOT NULL,
        daily_default INTEGER,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE idempotency (
        key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        order_id TEXT,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        sent_at INTEGER
      );
      CREATE INDEX outbox_unsent ON outbox(sent_at, seq);
      CREATE TABLE jobs (
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        PRIMARY KEY (kind, ref)
      );
      CREATE INDEX jobs_due ON jobs(due_at);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE table_sessions (
        id TEXT PRIMARY KEY,
        table_id TEXT NOT NULL,
        table_name TEXT NOT NULL,
        area TEXT NOT NULL,
        status TEXT NOT NULL,
        pay_later INTEGER NOT NULL,
        diners TEXT NOT NULL DEFAULT '[]',
        merged_into TEXT,
        opened_at INTEGER NOT NULL,
        closed_at INTEGER
      );
      CREATE INDEX table_sessions_open ON table_sessions(table_id, status);
      ALTER TABLE orders ADD COLUMN session_id TEXT;
      CREATE INDEX orders_session ON orders(session_id);
    `,
  },
  {
    version: 3,
    // The staff list reads one business day; the per-minute rate moved to memory.
    sql: `
      DROP INDEX orders_created;
      CREATE INDEX orders_day ON orders(business_day, created_at);
    `,
  },
  {
    version: 4,
    sql: `
      CREATE TABLE kitchen_tickets (
        order_id TEXT NOT NULL,
        station TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        bumped_at INTEGER,
        PRIMARY KEY (order_id, station)
      );
      CREATE INDEX kitchen_tickets_station ON kitchen_tickets(station, status, created_at);
      CREATE TABLE kitchen_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        station TEXT,
        type TEXT NOT NULL,
        order_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX kitchen_events_station ON kitchen_events(station, seq);
    `,
  },
  {
    version: 5,
    sql: `
      CREATE TABLE printers (
        device_id TEXT PRIMARY KEY,
        stations TEXT NOT NULL,
        width INTEGER NOT NULL,
        poll_seconds INTEGER NOT NULL,
        cursor INTEGER NOT NULL,
        first_seen_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        status_code TEXT,
        offline INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE printer_jobs (
        token TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        station TEXT NOT NULL,
        copy INTEGER NOT NULL,
        add_on INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        fetched_at INTEGER,
        confirmed_at INTEGER,
        attempts INTEGER NOT NULL,
        last_code TEXT,
        UNIQUE (device_id, order_id, station, copy)
      );
      CREATE INDEX printer_jobs_waiting ON printer_jobs(device_id, confirmed_at, created_at);
    `,
  },
  {
    // An order carries its own Idempotency-Key (one write per placement instead of two),
    // and unpaid orders are found by (status, expires_at) instead of one job row each.
    version: 6,
    sql: `
      ALTER TABLE orders ADD COLUMN idempotency_key TEXT;
      ALTER TABLE orders ADD COLUMN fingerprint TEXT;
      UPDATE orders SET idempotency_key = i.key, fingerprint = i.fingerprint
        FROM idempotency i WHERE i.response = orders.id;
      CREATE UNIQUE INDEX orders_idempotency ON orders(idempotency_key) WHERE idempotency_key IS NOT NULL;
      DROP TABLE idempotency;
      DROP INDEX orders_status;
      CREATE INDEX orders_status_expiry ON orders(status, expires_at);
    `,
  },
  {
    // One-time kitchen socket tickets: only a hash is kept, and each is deleted when used.
    version: 22,
    sql: `
      CREATE TABLE socket_tickets (
        hash TEXT PRIMARY KEY,
        principal TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX socket_tickets_expiry ON socket_tickets(expires_at);
      `,
  },
  {
    // A guest's unpaid orders are counted at each placement (a per-guest cap), and the
    // unpaid orders holding limited stock they let lapse today are strikes (one day kept).
    version: 23,
    sql: `
      CREATE INDEX orders_member_status ON orders(member_id, status);
      CREATE TABLE guest_strikes (
        member_id TEXT NOT NULL,
        business_day TEXT NOT NULL,
        lapses INTEGER NOT NULL,
        PRIMARY KEY (member_id, business_day)
      );
      `,
  },
  {
    // Retention (domain/retention.ts): indexes its deletes use, and its daily job, due at
    // once so a store that already holds years of rows starts pruning on its next alarm.
    version: 26,
    sql: `
      CREATE INDEX kitchen_tickets_created ON kitchen_tickets(created_at);
      CREATE INDEX kitchen_events_created ON kitchen_events(created_at);
      CREATE INDEX printer_jobs_created ON printer_jobs(created_at);
      CREATE INDEX outbox_order ON outbox(order_id);
      CREATE INDEX table_sessions_closed ON table_sessions(status, closed_at);
      INSERT INTO jobs (kind, ref, due_at)
        VALUES ('retention', 'prune', CAST(strftime('%s', 'now') AS INTEGER) * 1000) ON CONFLICT DO NOTHING;
    `,
  },
  {
    // Store health (alerts): one row per placement, kept for the health window only.
    version: 35,
    sql: `
      CREATE TABLE placement_samples (
        at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        ms INTEGER NOT NULL
      );
      CREATE INDEX placement_samples_at ON placement_samples(at);
    `,
  },
  {
    // Low-stock warnings: a level per item, the business day it last warned (one warning per
    // crossing; a restock above the level clears it) and the name it warned with.
    version: 38,
    sql: `
      ALTER TABLE stock ADD COLUMN low_level INTEGER;
      ALTER TABLE stock ADD COLUMN low_warned_day TEXT;
      ALTER TABLE stock ADD COLUMN name TEXT;
    `,
  },
  {
    // Delivery platforms' orders (Meituan, Ele.me): which platform and its order id, one order
    // per platform order (a replayed push finds it).
    version: 44,
    sql: `
      ALTER TABLE orders ADD COLUMN channel TEXT;
      ALTER TABLE orders ADD COLUMN external_id TEXT;
      CREATE UNIQUE INDEX orders_channel_external ON orders(channel, external_id) WHERE channel IS NOT NULL;
    `,
  },
  {
    // Only table orders have a session: a pickup or delivery order no longer writes an index
    // entry for its null, one b-tree page fewer in each such placement's commit (SCALE.md).
    version: 45,
    sql: `
      DROP INDEX orders_session;
      CREATE INDEX orders_session ON orders(session_id) WHERE session_id IS NOT NULL;
    `,
  },
  {
    // An index no placement needs, a b-tree page in the commit of every event it appends
    // (SCALE.md): an order's outbox rows are found through the unsent index (retention) or in
    // one pass over the outbox (erasure, which is rare).
    version: 46,
    sql: `
      DROP INDEX outbox_order;
    `,
  },
  {
    // The outbox without AUTOINCREMENT, whose sqlite_sequence row was one more page in the commit
    // of every event appended (SCALE.md). An event id is (store, seq), and consumers drop an id
    // they have seen, so a seq must never be handed out twice: the table keeps its newest row
    // from now on (outbox.ts, retention.ts), and a new row's seq is one above it. The highest seq
    // AUTOINCREMENT ever gave is carried over as a sent marker row if that event is already gone.
    version: 47,
    sql: `
      CREATE TABLE outbox_next (
        seq INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        order_id TEXT,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        sent_at INTEGER
      );
      INSERT INTO outbox_next (seq, type, order_id, payload, created_at, sent_at)
        SELECT seq, type, order_id, payload, created_at, sent_at FROM outbox;
      INSERT INTO outbox_next (seq, type, order_id, payload, created_at, sent_at)
        SELECT seq, 'outbox.marker', NULL, '{}', 0, 0 FROM sqlite_sequence
        WHERE name = 'outbox' AND seq > (SELECT coalesce(max(seq), 0) FROM outbox);
      DROP TABLE outbox;
      ALTER TABLE outbox_next RENAME TO outbox;
      CREATE INDEX outbox_unsent ON outbox(sent_at, seq);
    `,
  },
  {
    // The outbox flush is no longer a job row (jobs.ts): its unsent events are its record. A row
    // left from before is dropped; the alarm already set for it flushes whatever waits.
    version: 48,
    sql: `
      DELETE FROM jobs WHERE kind = 'outbox';
    `,
  },
  {
    // The health window's samples keyed by (at, n) in one b-tree: the rowid table and its index on
    // `at` were two pages in every alarm of a quiet store, and every read and prune is by `at`.
    version: 49,
    sql: `
      CREATE TABLE placement_samples_next (
        at INTEGER NOT NULL,
        n INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        ms INTEGER NOT NULL,
        PRIMARY KEY (at, n)
      ) WITHOUT ROWID;
      INSERT INTO placement_samples_next (at, n, outcome, ms) SELECT at, rowid, outcome, ms FROM placement_samples;
      DROP TABLE placement_samples;
      ALTER TABLE placement_samples_next RENAME TO placement_samples;
    `,
  },
  {
    // An order event whose action moves no KPI figure (a kitchen step) says so, and the events
    // consumer re-derives no business day for it (outbox.ts). Older rows default to moving them.
    version: 50,
    sql: `
      ALTER TABLE outbox ADD COLUMN figures_unchanged INTEGER NOT NULL DEFAULT 0;
    `,
  },
];

/** Applies pending migrations; call inside blockConcurrencyWhile. */
export function migrate(sql: SqlStorage, storage: DurableObjectStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const done = new Set(
    sql
      .exec<{ version: number }>('SELECT version FROM _migrations')
      .toArray()
      .map((r) => r.version),
  );
  for (const m of storeMigrations) {
    if (done.has(m.version)) continue;
    storage.transactionSync(() => {
      sql.exec(m.sql);
      sql.exec('INSERT INTO _migrations (version, applied_at) VALUES (?, ?)', m.version, Date.now());
    });
  }
}
