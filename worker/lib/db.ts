import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';
import * as tables from '../../schema/d1/tables';
import type { Env } from '../env';

export type Db = DrizzleD1Database<typeof tables>;

const handles = new WeakMap<D1Database, Db>();

/**
 * The drizzle handle over D1, one per binding: making one walks every table of the schema,
 * which a push delivery or a campaign slice would otherwise pay on every message.
 */
export function db(env: Pick<Env, 'DB'>): Db {
  let handle = handles.get(env.DB);
  if (!handle) {
    handle = drizzle(env.DB, { schema: tables });
    handles.set(env.DB, handle);
  }
  return handle;
}

/** Parses a JSON column written by our own code; a corrupt value degrades to the fallback. */
export function json<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
