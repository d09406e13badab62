import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env';
import { assertStoreScope } from '../http/auth';
import { findStore } from './stores.service';

/** Loads a store and applies the one scoping rule for the calling token. */
export async function loadScopedStore(c: Context<AppEnv>, storeId: string) {
  const store = await findStore(c.env, storeId);
  assertStoreScope(c.get('principal'), store);
  return store;
}
