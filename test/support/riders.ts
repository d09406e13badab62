import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { newMember, openStore, potstickers } from './factories';
import { call, tokenFor } from './http';

export const deliveryAddress = {
  text: '上海市黄浦区南京东路 200 号 5 楼',
  lat: 31.2404,
  lng: 121.4737,
  contactName: '王先生',
  contactPhone: '13812345678',
};

/** A fresh store with its manager's and a clerk's tokens. */
export async function riderStore() {
  const store = await openStore();
  const manager = await tokenFor('staff', { storeId: store.storeId, staffRole: 'manager', subject: 'stf_mgr_riders' });
  const clerk = await tokenFor('staff', { storeId: store.storeId, staffRole: 'clerk', subject: 'stf_clerk_riders' });
  return { ...store, manager, staff: clerk };
}

/** A rider added by the manager, with their sign-in key. */
export async function hireRider(storeId: string, manager: string, name = '王师傅', phone = '13900001111') {
  const added = await call(`/v1/stores/${storeId}/riders`, { method: 'POST', token: manager, body: { name, phone } });
  expect(added.status, added.text).toBe(201);
  const link = await call(`/v1/stores/${storeId}/riders/${added.json.id}/sign-in-link`, {
    method: 'POST',
    token: manager,
  });
  expect(link.status, link.text).toBe(201);
  return { id: added.json.id as string, key: link.json.key as string, link: link.json.link as string };
}

/** A paid delivery order placed by a guest. */
export async function paidDelivery(storeId: string, extra: Record<string, unknown> = {}) {
  const guest = await newMember();
  const placed = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: guest.token,
    body: { mode: 'delivery', address: deliveryAddress, lines: [potstickers(1)], ...extra },
  });
  expect(placed.status, placed.text).toBe(201);
  const id = placed.json.id as string;
  await env.STORE.getByName(storeId).act({ orderId: id, action: 'pay', actor: 'system' });
  return { id, guest };
}
