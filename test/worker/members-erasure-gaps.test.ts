import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { StoreDO } from '../../durable-objects/store/store.do';
import worker from '../../worker/index';
import { postWallet } from '../../worker/payments/wallet.service';
import { openStore, potstickers, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { deliver, outboxMessages } from '../support/outbox-delivery';

const sealed = /v1\.[\w-]+\.[\w-]+/;

describe('erasure reaches every copy', () => {
  it('a batch of late events from 120 erased members writes none of their notes or addresses', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const now = Date.now();
    const ids = Array.from({ length: 120 }, (_, i) => `mem_${run}_${i}`);
    // 120 members who erased their data while their orders' events were still queued.
    await env.DB.batch(
      ids.map((id) =>
        env.DB.prepare(
          `INSERT INTO members (id, brand_id, openid, created_at, last_login_at, deleted_at)
           VALUES (?, 'brd_demo', ?, ?, ?, ?)`,
        ).bind(id, `erased:${id}`, now, now, now),
      ),
    );
    const messages = ids.map((memberId, i) => ({
      id: `late_${run}_${i}`,
      timestamp: new Date(now),
      attempts: 1,
      body: {
        eventId: `sto_${run}:${i + 1}`,
        storeId: `sto_${run}`,
        brandId: 'brd_demo',
        seq: i + 1,
        type: 'order.placed',
        occurredAt: now,
        order: {
          id: `ord_${run}_${i}`,
          memberId,
          ticketNo: `A${i}`,
          mode: 'delivery',
          status: 'pending_payment',
          total: 1800,
          createdAt: new Date(now).toISOString(),
          note: `ring twice, flat ${i}`,
          delivery: { sealedAddress: `v1.addr${i}.x`, sealedPhone: `v1.phone${i}.x`, fee: 500 },
        },
      },
    }));
    const batch = createMessageBatch('tiffin-events', messages);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).retryMessages).toEqual([]);

    const rows = await env.DB.prepare('SELECT id, total, body FROM order_history WHERE id LIKE ?')
      .bind(`ord_${run}_%`)
      .all<{ id: string; total: number; body: string }>();
    expect(rows.results).toHaveLength(120);
    for (const r of rows.results) {
      expect(r.body, r.id).not.toContain('ring twice');
      expect(r.body, r.id).not.toMatch(sealed);
      expect(r.total).toBe(1800);
    }
  });

  it("an erased member's dead-lettered events and the store's kitchen log forget their note and address", async () => {
    const m = await wechatMember();
    await postWallet(env, { memberId: m.memberId, brandId: 'brd_demo' }, 'topup', `t_${m.memberId}`, 10_000);
    const { storeId } = await openStore();
    const note = `peanut allergy, room ${crypto.randomUUID().slice(0, 6)}`;
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: m.token,
      body: {
        mode: 'delivery',
        address: {
          text: '上海市黄浦区南京东路 200 号',
          lat: 31.2404,
          lng: 121.4737,
          contactName: '王',
          contactPhone: '13812345678',
        },
        lines: [potstickers(1)],
        note,
      },
    });
    expect(placed.status, placed.text).toBe(201);
    const paid = await call(`/v1/orders/${placed.json.id}/payments`, {
      method: 'POST',
      token: m.token,
      body: { method: 'balance' },
    });
    expect(paid.status, paid.text).toBe(201);
    // The order's events exhausted their retries: the events dead-letter queue keeps them.
    const events = await outboxMessages(storeId);
    const dead = createMessageBatch(
      'tiffin-events-dlq',
      events.map((e) => ({ ...e, id: `dl_${placed.json.id}_${e.id}`, timestamp: new Date(), attempts: 5 })),
    );
    const ctx = createExecutionContext();
    await worker.queue(dead, env, ctx);
    await getQueueResult(dead, ctx);
    await deliver(events);
    const before = await env.DB.prepare('SELECT body FROM dead_letters WHERE id LIKE ?')
      .bind(`dlq_dl_${placed.json.id}_%`)
      .all<{ body: string }>();
    expect(before.results.length).toBe(events.length);
    expect(JSON.stringify(before.results)).toContain('peanut allergy');
    const inStore = () =>
      runInDurableObject(env.STORE.getByName(storeId), (_i: StoreDO, state) =>
        JSON.stringify([
          ...state.storage.sql.exec('SELECT * FROM kitchen_tickets WHERE order_id = ?', placed.json.id).toArray(),
          ...state.storage.sql.exec('SELECT * FROM kitchen_events WHERE order_id = ?', placed.json.id).toArray(),
          ...state.storage.sql.exec('SELECT * FROM outbox WHERE order_id = ?', placed.json.id).toArray(),
        ]),
      );
    expect(await inStore()).toContain('peanut allergy');

    expect((await call('/v1/members/me', { method: 'DELETE', token: m.token })).status).toBe(200);

    // The store's tickets, the kitchen log its displays and printers replay, and its outbox.
    const store = await inStore();
    expect(store).toContain(placed.json.id);
    expect.soft(store).not.toContain('peanut allergy');
    expect.soft(store).not.toMatch(sealed);
    const after = await env.DB.prepare('SELECT body FROM dead_letters WHERE id LIKE ?')
      .bind(`dlq_dl_${placed.json.id}_%`)
      .all<{ body: string }>();
    expect(after.results.length).toBe(events.length);
    for (const r of after.results) {
      expect(r.body).not.toContain('peanut allergy');
      expect(r.body).not.toMatch(sealed);
      // Still the same event, amounts included, so an admin can re-drive it.
      expect(JSON.parse(r.body)).toMatchObject({ storeId, order: { id: placed.json.id, total: placed.json.total } });
    }
  });
});
