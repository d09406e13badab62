import { and, eq, sql } from 'drizzle-orm';
import { staff } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

/** Active managers of a store: who its alerts, low-stock warnings and review follow-ups go to. */
export async function storeManagers(env: Env, brandId: string, storeId: string): Promise<{ id: string }[]> {
  return db(env)
    .select({ id: staff.id })
    .from(staff)
    .where(
      and(
        eq(staff.brandId, brandId),
        eq(staff.role, 'manager'),
        eq(staff.active, true),
        sql`exists (select 1 from json_each(${staff.storeIds}) where json_each.value = ${storeId})`,
      ),
    );
}
