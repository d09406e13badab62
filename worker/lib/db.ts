import { drizzle } from 'drizzle-orm/d1';
import * as tables from '../../schema/d1/tables';
import type { Env } from '../env';

export type Db = ReturnType<typeof db>;

/** The drizzle handle over D1. Cheap to create; one per call site is fine. */
export function db(env: Pick<Env, 'DB'>) {
  return drizzle(env.DB, { schema: tables });
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
