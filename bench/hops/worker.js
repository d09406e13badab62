// What an await between objects costs on this runtime, with nothing of Tiffin's in it
// (`npm run bench:hops`). Every rung writes an order in a SQLite transaction in the store's
// object, as a placement does; the rungs differ only in what the object awaits around it:
//   /sql             nothing
//   /sql-timer       a timer of 0 ms first
//   /sql-read        an RPC to a second object first (a member shard's read, answered at once)
//   /sql-read-write  that read, the transaction, then a second RPC (the shard's history write)
import { DurableObject } from 'cloudflare:workers';

export class HopStore extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, member TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS orders_member ON orders (member, at);
      CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, sent_at INTEGER);
      CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (sent_at, seq);`);
  }

  shard() {
    return this.env.SHARD.getByName('members-0');
  }

  write(member, body) {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      sql.exec('SELECT id FROM orders WHERE member = ?', member).toArray();
      sql.exec('INSERT INTO orders VALUES (?, ?, ?, ?)', crypto.randomUUID(), member, body, Date.now());
      sql.exec('INSERT INTO outbox (body) VALUES (?)', body);
    });
  }

  async place(rung, member, body) {
    if (rung === 'sql-timer') await new Promise((r) => setTimeout(r, 0));
    const pricing = rung.startsWith('sql-read') ? await this.shard().read(member) : null;
    this.write(member, body);
    if (rung === 'sql-read-write') await this.shard().write(member, body);
    return { member, pricing };
  }
}

export class HopShard extends DurableObject {
  read(member) {
    return { member, coupons: [], tierId: null };
  }

  write(_member, body) {
    return body.length;
  }
}

const RUNGS = ['sql', 'sql-timer', 'sql-read', 'sql-read-write'];

export default {
  async fetch(request, env) {
    const rung = new URL(request.url).pathname.slice(1);
    if (rung === 'healthz') return new Response('ok');
    if (!RUNGS.includes(rung) || request.method !== 'POST') return new Response('not found', { status: 404 });
    const body = await request.json();
    const store = env.STORE.getByName(body.storeId);
    return Response.json(await store.place(rung, body.member, JSON.stringify(body)), { status: 201 });
  },
};
