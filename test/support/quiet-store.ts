import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { newMember, openStore, placePickup } from './factories';

/**
 * A store that has taken an order and whose alarm has run since (a new store's first alarm
 * also prunes, at once), so the alarm set next is the outbox's: a store a few minutes into lunch.
 */
export async function quietStore() {
  const opened = await openStore();
  const guest = await newMember();
  await placePickup(opened.storeId);
  await sentByTheAlarm(opened.storeId);
  return { ...opened, guest };
}

/**
 * Runs the store's alarm now (unless the runtime is already running it: it was due at once)
 * until nothing waits in its outbox.
 */
export async function sentByTheAlarm(storeId: string) {
  const stub = env.STORE.getByName(storeId);
  const waiting = () =>
    runInDurableObject(
      stub,
      (_i: StoreDO, state) =>
        state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').one().n,
    );
  for (let tries = 0; tries < 20; tries++) {
    await runDurableObjectAlarm(stub);
    if ((await waiting()) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the alarm never sent what waits in the outbox');
}
