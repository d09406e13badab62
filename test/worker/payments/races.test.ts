/*
 * Two requests at once on the same money: a line refunded twice, the points share passed
 * twice. Each race has exactly one winner.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers, teaEgg } from '../../support/factories';
import { call } from '../../support/http';
import { givePoints, paidOrder } from '../../support/loyalty';

describe('refunding one line twice at once', () => {
  it('two managers refund the same line at the same moment: one refund, the others refused', async () => {
    const { storeId, admin } = await openStore();
    const guest = await newMember();
    const order = await paidOrder(storeId, guest.token, [teaEgg(2), potstickers(2)]);
    const line = order.lines[0]!;
    const refundLine = (key: string) =>
      call(`/v1/orders/${order.id}/refunds`, {
        method: 'POST',
        token: admin,
        headers: { 'Idempotency-Key': key },
        body: { lines: [{ index: line.index, quantity: line.quantity }], reason: 'cold' },
      });
    const answers = await Promise.all(
      ['one', 'two', 'three', 'four', 'five', 'six'].map((m) => refundLine(`manager-${m}-key`)),
    );
    // One wins; the others lose the race at the line (409) or, arriving later, see it refunded (422).
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.json.code).toMatch(/^(refund\.lines_taken|validation\.failed)$/);
    }
    const { results } = await env.DB.prepare(
      "SELECT amount, lines FROM refunds WHERE order_id = ? AND status != 'failed'",
    )
      .bind(order.id)
      .all<{ amount: number; lines: string }>();
    expect(results).toHaveLength(1);
    expect(results[0]!.amount).toBe(line.total);
    // The other line is still refundable.
    const other = await call(`/v1/orders/${order.id}/refunds`, {
      method: 'POST',
      token: admin,
      body: { lines: [{ index: order.lines[1]!.index }], reason: 'cold too' },
    });
    expect(other.status, other.text).toBe(201);
  });
});

describe('paying with points twice at once', () => {
  it('two points payments racing on one order never pass the share cap together', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    await givePoints(guest, 100_000);
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(2)] },
    });
    expect(placed.status, placed.text).toBe(201);
    const cap = Math.floor(placed.json.total / 2);
    const payHalf = () =>
      call(`/v1/orders/${placed.json.id}/payments`, {
        method: 'POST',
        token: guest.token,
        body: { method: 'sandbox', points: cap, amount: cap },
      });
    const answers = await Promise.all([payHalf(), payHalf()]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)!.json).toMatchObject({ code: 'points.cap_reached' });
    const byPoints = await env.DB.prepare(
      "SELECT COALESCE(SUM(amount), 0) AS cents FROM payments WHERE order_id = ? AND method = 'points' AND status IN ('pending', 'succeeded')",
    )
      .bind(placed.json.id)
      .first<{ cents: number }>();
    expect(byPoints!.cents).toBe(cap);
  });
});
