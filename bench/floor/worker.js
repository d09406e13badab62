// The least any order placement can cost on this runtime, one piece at a time. Each rung does
// what the one before it did and one thing more that every placement needs:
//   /healthz          nothing (Tiffin's /healthz)
//   /v1/verify        read the JSON body, verify the guest's ES256 token (a new guest each time)
//   /v1/rpc           + an RPC to the store's Durable Object with the request, answered as JSON
//   /v1/sql           + a SQLite transaction in the object: take stock, write the order and its outbox row
//   /v1/d1            + read the guest from D1 in the object (a new guest: nothing to batch with)
//   /v1/d1w           + write the guest's history row to D1 before answering
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
    if (rung === 'd1w') {
      await this.env.DB.prepare('INSERT INTO history (id, member, body, at) VALUES (?, ?, ?, ?)')
        .bind(id, member, JSON.stringify(order), order.at)
        .run();
    }
    return order;
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
    if (!['verify', 'rpc', 'sql', 'd1', 'd1w'].includes(rung) || request.method !== 'POST') {
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
