import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';
import * as tables from '../../schema/d1/tables';

/** Drizzle over D1 with the schema tables: the store's one way to reach brand-wide data. */
export type StoreD1 = DrizzleD1Database<typeof tables>;

/** One handle per object, made in its constructor. */
export const storeD1 = (db: D1Database): StoreD1 => drizzle(db, { schema: tables });
