import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { log } from '../../domain/log';
import { keyOfUrl, mediaUrl } from '../../domain/media/images';
import { items, mediaObjects, menuSnapshots } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

/** Whether any item of any brand (the same picture is one object) or any published menu shows the URL. */
async function references(env: Env, url: string) {
  const d = db(env);
  const [item, menu] = await Promise.all([
    d.select({ id: items.id }).from(items).where(eq(items.imageUrl, url)).limit(1).get(),
    d
      .select({ id: menuSnapshots.storeId })
      .from(menuSnapshots)
      .where(sql`instr(${menuSnapshots.body}, ${`"${url}"`}) > 0`)
      .limit(1)
      .get(),
  ]);
  return { byItem: item !== undefined, byMenu: menu !== undefined };
}

async function deleteObject(env: Env, key: string) {
  await env.MEDIA.delete(key);
  await db(env).delete(mediaObjects).where(eq(mediaObjects.key, key));
}

/**
 * An image an item stopped using: deleted when nothing shows it any more; kept, marked
 * released, while a published menu still does (guests would see a broken picture until the
 * next publish), and swept after that publish. URLs that are not ours are left alone.
 */
export async function releaseItemImage(env: Env, url: string | null | undefined, now = Date.now()) {
  const key = keyOfUrl(url, 'i');
  if (!key) return;
  const used = await references(env, url!);
  if (used.byItem) return;
  if (used.byMenu) {
    await db(env).update(mediaObjects).set({ releasedAt: now }).where(eq(mediaObjects.key, key));
    return;
  }
  await deleteObject(env, key);
}

/** After a publish: deletes the released images no item and no published menu shows any more. */
export async function sweepReleasedImages(env: Env, limit = 200) {
  const rows = await db(env)
    .select({ key: mediaObjects.key })
    .from(mediaObjects)
    .where(and(eq(mediaObjects.kind, 'item'), isNotNull(mediaObjects.releasedAt)))
    .limit(limit);
  let deleted = 0;
  for (const { key } of rows) {
    const used = await references(env, mediaUrl(key));
    if (used.byItem) {
      await db(env).update(mediaObjects).set({ releasedAt: null }).where(eq(mediaObjects.key, key));
    } else if (!used.byMenu) {
      await deleteObject(env, key);
      deleted++;
    }
  }
  if (deleted) log.info('media.swept', { deleted });
  return deleted;
}
