import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { newMember, openStore, potstickers } from './factories';
import { call } from './http';

/**
 * A store that has taken an order and whose alarm has run since (a new store's first alarm
 * also prunes, at once), so the alarm set next is the outbox's: a store a few minutes into lunch.
 */
export async function quietStore() {
  const opened = await openStore();
  const guest = await newMember();
  const first = await call(`/v1/stores/${opened.storeId}/orders`, {
    method: 'POST',
    token: (await newMember()).token,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  expect(first.status, first.text).toBe(201);
  // Run now unless it already ran on its own (it was due at once).
  await runDurableObjectAlarm(env.STORE.getByName(opened.storeId));
  return { ...opened, guest };
}
