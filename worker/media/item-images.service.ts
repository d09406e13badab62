import { and, eq } from 'drizzle-orm';
import { mediaUrl } from '../../domain/media/images';
import { items } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { db } from '../lib/db';
import { getItem } from '../menu/catalog.service';
import { releaseItemImage } from './image-release.service';
import { putImage } from './media-store';

async function itemRow(env: Env, brandId: string, itemId: string) {
  const row = await db(env)
    .select({ id: items.id, imageUrl: items.imageUrl })
    .from(items)
    .where(and(eq(items.id, itemId), eq(items.brandId, brandId)))
    .get();
  if (!row) throw notFound('item', itemId);
  return row;
}

/** 404 before anything is read or stored, when the brand has no such item. */
export const assertItem = (env: Env, brandId: string, itemId: string) => itemRow(env, brandId, itemId);

async function setImageUrl(env: Env, itemId: string, url: string | null, now: number) {
  await db(env).update(items).set({ imageUrl: url, updatedAt: now }).where(eq(items.id, itemId));
}

/**
 * Gives an item an uploaded image: stored under its hash, the item's `imageUrl` set to
 * `/media/i/<hash>.<ext>` (guests see it after the next publish), the old image released.
 */
export async function setItemImage(
  env: Env,
  brandId: string,
  itemId: string,
  image: Parameters<typeof putImage>[2],
  now = Date.now(),
) {
  const before = await itemRow(env, brandId, itemId);
  const url = mediaUrl(await putImage(env, 'i', image, now));
  await setImageUrl(env, itemId, url, now);
  if (before.imageUrl !== url) await releaseItemImage(env, before.imageUrl, now);
  return getItem(env, brandId, itemId);
}

/** Takes the image off an item and releases it. */
export async function removeItemImage(env: Env, brandId: string, itemId: string, now = Date.now()) {
  const before = await itemRow(env, brandId, itemId);
  await setImageUrl(env, itemId, null, now);
  await releaseItemImage(env, before.imageUrl, now);
}
