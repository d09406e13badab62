import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers, unique } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { deliver, outboxMessages } from '../support/outbox-delivery';

const refundsOf = async (orderId: string) =>
  (await env.DB.prepare('SELECT amount FROM refunds WHERE order_id = ?').bind(orderId).all<{ amount: number }>())
    .results;

const act = (orderId: string, action: string, token: string) =>
  call(`/v1/orders/${orderId}/${action}`, { method: 'POST', token, body: {} });

/** A pickup order the guest has paid for through the sandbox provider. */
async function paidOrder(storeId: string, guest: string) {
  const placed = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: guest,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  expect(placed.status, placed.text).toBe(201);
  const started = await call(`/v1/orders/${placed.json.id}/payments`, {
    method: 'POST',
    token: guest,
    body: { method: 'sandbox' },
  });
  expect(started.status, started.text).toBe(201);
  await call(`/v1/payments/sandbox/${started.json.payments[0].id}/complete`, { method: 'POST' });
  return placed.json as { id: string; total: number };
}

async function storeWithClerk() {
  const store = await openStore();
  const clerk = await tokenFor('staff', { storeId: store.storeId, subject: unique('stf'), staffRole: 'clerk' });
  const manager = await tokenFor('staff', { storeId: store.storeId, subject: unique('stf'), staffRole: 'manager' });
  return { ...store, clerk, manager };
}

describe('a clerk cannot refund by any path', () => {
  it('cancelling a paid, accepted or preparing order is refused, and nothing is refunded', async () => {
    const { storeId, clerk } = await storeWithClerk();
    const guest = await newMember();
    const order = await paidOrder(storeId, guest.token);
    const steps: [string | null, string][] = [
      [null, 'paid'],
      ['accept', 'accepted'],
      ['start', 'preparing'],
    ];
    for (const [step, status] of steps) {
      if (step) expect((await act(order.id, step, clerk)).status).toBe(200);
      const cancel = await act(order.id, 'cancel', clerk);
      expect(cancel.status, `${status}: ${cancel.text}`).toBe(403);
      expect(cancel.json.code).toBe('order.refund_needs_manager');
      expect((await call(`/v1/orders/${order.id}`, { token: clerk })).json.status).toBe(status);
    }
    await deliver(await outboxMessages(storeId));
    expect(await refundsOf(order.id)).toEqual([]);
  });

  it("approving a guest's cancel request is refused to a clerk; a manager approves it and the guest is refunded", async () => {
    const { storeId, clerk, manager } = await storeWithClerk();
    const guest = await newMember();
    const order = await paidOrder(storeId, guest.token);
    expect((await act(order.id, 'cancel', guest.token)).json.status).toBe('cancel_requested');
    const byClerk = await act(order.id, 'approve-cancel', clerk);
    expect(byClerk.status).toBe(403);
    expect(byClerk.json.code).toBe('order.refund_needs_manager');
    await deliver(await outboxMessages(storeId));
    expect(await refundsOf(order.id)).toEqual([]);

    const byManager = await act(order.id, 'approve-cancel', manager);
    expect(byManager.status, byManager.text).toBe(200);
    expect(byManager.json.status).toBe('cancelled');
    await deliver(await outboxMessages(storeId));
    expect(await refundsOf(order.id)).toEqual([{ amount: order.total }]);
  });

  it('a manager cancels a paid order (the guest is refunded); a clerk still cancels an unpaid one', async () => {
    const { storeId, clerk, manager } = await storeWithClerk();
    const guest = await newMember();
    const paid = await paidOrder(storeId, guest.token);
    const cancelled = await act(paid.id, 'cancel', manager);
    expect(cancelled.status, cancelled.text).toBe(200);
    await deliver(await outboxMessages(storeId));
    expect(await refundsOf(paid.id)).toEqual([{ amount: paid.total }]);

    const unpaid = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    const byClerk = await act(unpaid.json.id, 'cancel', clerk);
    expect(byClerk.status, byClerk.text).toBe(200);
    expect(byClerk.json.status).toBe('cancelled');
    // A clerk's view offers no cancel on a paid order; a manager's does.
    const other = await paidOrder(storeId, guest.token);
    expect((await call(`/v1/orders/${other.id}`, { token: clerk })).json.allowedActions).not.toContain('cancel');
    expect((await call(`/v1/orders/${other.id}`, { token: manager })).json.allowedActions).toContain('cancel');
  });
});
