import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers } from '../support/factories';
import { call, tokenFor } from '../support/http';

/** Every route that opens an order by id, with a body it accepts. */
const orderPaths = (id: string): [string, string, unknown?][] => [
  ['GET', `/v1/orders/${id}`],
  ['POST', `/v1/orders/${id}/cancel`, { reason: 'not mine' }],
  ['POST', `/v1/orders/${id}/reorder`],
  ['GET', `/v1/orders/${id}/payments`],
  ['POST', `/v1/orders/${id}/payments`, { method: 'sandbox' }],
];
/** Staff and admin only. */
const storePaths = (id: string): [string, string, unknown?][] => [
  ['POST', `/v1/orders/${id}/refunds`, { reason: 'not mine' }],
  ['POST', `/v1/orders/${id}/reprint`, { station: 'receipt' }],
];

async function placed() {
  const { storeId, staff, admin } = await openStore();
  const owner = await newMember();
  const res = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: owner.token,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  expect(res.status, res.text).toBe(201);
  return { storeId, staff, admin, owner, orderId: res.json.id as string };
}

async function expectNotFound(token: string, paths: [string, string, unknown?][]) {
  for (const [method, path, body] of paths) {
    const res = await call(path, { method, token, body });
    expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
    expect(res.json.code, `${method} ${path}`).toBe('order.not_found');
  }
}

describe('an order is its owner’s, its store’s and its brand’s; to anyone else it does not exist', () => {
  it('another member, staff of another store and an admin of another brand all get 404 order.not_found', async () => {
    const { orderId } = await placed();
    await expectNotFound((await newMember()).token, orderPaths(orderId));
    const otherStaff = await tokenFor('staff', { storeId: 'sto_demo_jingan', staffRole: 'manager' });
    await expectNotFound(otherStaff, [...orderPaths(orderId), ...storePaths(orderId)]);
    const otherBrand = await tokenFor('admin', { brandId: 'brd_other' });
    await expectNotFound(otherBrand, [...orderPaths(orderId), ...storePaths(orderId)]);
  });

  it('an id naming no order, or a store that does not exist, is the same 404', async () => {
    const admin = await tokenFor('admin');
    for (const id of ['ord_nonsense', 'ord_0123456789ab_sto_nowhere']) {
      await expectNotFound(admin, [...orderPaths(id), ...storePaths(id)]);
    }
  });

  it('the owner, staff of the store and an admin of the brand all see it', async () => {
    const { orderId, owner, staff, admin } = await placed();
    for (const token of [owner.token, staff, admin]) {
      const res = await call(`/v1/orders/${orderId}`, { token });
      expect(res.status, res.text).toBe(200);
      expect(res.json.id).toBe(orderId);
    }
    expect((await call(`/v1/orders/${orderId}/payments`, { token: staff })).status).toBe(200);
  });
});
