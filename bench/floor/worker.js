// The least any order placement can cost on this runtime, one piece at a time. Each rung does
// what the one before it did and one thing more that every placement needs:
//   /healthz          nothing (Tiffin's /healthz)
//   /v1/verify        read the JSON body, verify the guest's ES256 token (a new guest each time)
//   /v1/rpc           + an RPC to the store's Durable Object with the request, answered as JSON
//   /v1/sql           + a SQLite transaction in the object: take stock, write the order and its outbox row
//   /v1/d1            + read the guest from D1 in the object (a new guest: nothing to batch with)
//   /v1/d1w           + write the guest's history row to D1 before answering
//   /v1/shard         the same read and write through one MemberShard object, which batches
//                     every store's reads into one D1 statement and writes into another
// No validation library, no router, no middleware: only what the platform charges.
import { DurableObject } from 'cloudflare:workers';

let publicKey;
const bytes = (b64url) => Uint8Array.from(atob(b64url.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** The token's claims, if its ES256 signature holds (the key comes base64url-encoded in FLOOR_PUBLIC_JWK). */
async function verifyEs256(token, env) {
  publicKey ??= await crypto.subtle.importKey(
    'jwk',
    JSON.parse(new TextDecoder().decode(bytes(env.FLOOR_PUBLIC_JWK))),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const [h, p, s] = token.split('.');
  const ok = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    publicKey,
    bytes(s),
    new TextEncoder().encode(`${h}.${p}`),
  );
  if (!ok) throw new Error('bad token');
  return JSON.parse(new TextDecoder().decode(bytes(p)));
}

export class FloorStore extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS stock (item TEXT PRIMARY KEY, left INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, member TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
      INSERT OR IGNORE INTO stock VALUES ('itm_potstickers', 1000000000);`);
  }

  async place(rung, member, lines) {
    let tier = null;
    const shard = rung === 'shard' ? this.env.SHARD.get(this.env.SHARD.idFromName('members-0')) : null;
    if (shard) tier = await shard.read(member);
    if (rung === 'd1' || rung === 'd1w') {
      tier = (await this.env.DB.prepare('SELECT tier FROM members WHERE id = ?').bind(member).first('tier')) ?? 'new';
    }
    const id = `ord_${crypto.randomUUID()}`;
    const order = { id, member, lines, tier, status: 'pending_payment', at: Date.now() };
    if (rung !== 'rpc') {
      const body = JSON.stringify(order);
      this.ctx.storage.transactionSync(() => {
        for (const l of lines)
          this.ctx.storage.sql.exec('UPDATE stock SET left = left - ? WHERE item = ?', l.quantity, l.itemId);
        this.ctx.storage.sql.exec('INSERT INTO orders VALUES (?, ?, ?, ?)', id, member, body, order.at);
        this.ctx.storage.sql.exec('INSERT INTO outbox (body) VALUES (?)', body);
      });
    }
    if (shard) await shard.write(id, member, JSON.stringify(order), order.at);
    if (rung === 'd1w') {
      await this.env.DB.prepare('INSERT INTO history (id, member, body, at) VALUES (?, ?, ?, ?)')
        .bind(id, member, JSON.stringify(order), order.at)
        .run();
    }
    return order;
  }
}

/** Batches members' D1 reads and history writes across every store that calls it. */
export class MemberShard extends DurableObject {
  reads = new Map();
  readRunning = false;
  writes = [];
  writeRunning = false;

  read(member) {
    let w = this.reads.get(member);
    if (!w) {
      const waiter = {};
      waiter.promise = new Promise((resolve, reject) => {
        waiter.resolve = resolve;
        waiter.reject = reject;
      });
      w = waiter;
      this.reads.set(member, w);
    }
    if (!this.readRunning) void this.drainReads();
    return w.promise;
  }

  async drainReads() {
    this.readRunning = true;
    try {
      while (this.reads.size > 0) {
        const batch = [...this.reads].slice(0, 100);
        for (const [id] of batch) this.reads.delete(id);
        try {
          const { results } = await this.env.DB.prepare(
            'SELECT ids.value AS id, m.tier AS tier FROM json_each(?) AS ids LEFT JOIN members m ON m.id = ids.value',
          )
            .bind(JSON.stringify(batch.map(([id]) => id)))
            .all();
          const found = new Map(results.map((r) => [r.id, r.tier]));
          for (const [id, w] of batch) w.resolve(found.get(id) ?? 'new');
        } catch (e) {
          for (const [, w] of batch) w.reject(e);
        }
      }
    } finally {
      this.readRunning = false;
    }
  }

  write(id, member, body, at) {
    const done = new Promise((res) => this.writes.push({ id, member, body, at, res }));
    if (!this.writeRunning) void this.drainWrites();
    return done;
  }

  async drainWrites() {
    this.writeRunning = true;
    try {
      while (this.writes.length > 0) {
        const batch = this.writes.splice(0, 100);
        await this.env.DB.prepare(
          'INSERT INTO history (id, member, body, at) SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)',
        )
          .bind(JSON.stringify(batch.map((w) => [w.id, w.member, w.body, w.at])))
          .run();
        for (const w of batch) w.res();
      }
    } finally {
      this.writeRunning = false;
    }
  }
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/healthz') return new Response('ok');
    if (pathname === '/v1/setup' && request.method === 'POST') {
      await env.DB.batch([
        env.DB.prepare('CREATE TABLE IF NOT EXISTS members (id TEXT PRIMARY KEY, tier TEXT NOT NULL)'),
        env.DB.prepare(
          'CREATE TABLE IF NOT EXISTS history (id TEXT PRIMARY KEY, member TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL)',
        ),
        env.DB.prepare('CREATE INDEX IF NOT EXISTS history_member ON history (member, at)'),
      ]);
      return new Response('ok');
    }
    const rung = pathname.slice('/v1/'.length);
    if (!['verify', 'rpc', 'sql', 'd1', 'd1w', 'shard'].includes(rung) || request.method !== 'POST') {
      return new Response('not found', { status: 404 });
    }
    const body = await request.json();
    const claims = await verifyEs256(request.headers.get('authorization').slice('Bearer '.length), env);
    if (rung === 'verify') return Response.json({ member: claims.sub, lines: body.lines }, { status: 201 });
    const store = env.STORE.get(env.STORE.idFromName(body.storeId));
    const order = await store.place(rung, claims.sub, body.lines);
    return Response.json(order, { status: 201 });
  },
};
