import { sql } from 'drizzle-orm';
import { toHex } from '../../domain/encoding';
import { type ImageType, type MediaKind, mediaKey } from '../../domain/media/images';
import { mediaObjects } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

/** Content-addressed keys never change what they hold: caches may keep them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Stores an image under its content hash and records it. The same bytes give the same key,
 * so a repeated upload rewrites the same object; one that was released is in use again.
 */
export async function putImage(
  env: Env,
  kind: MediaKind,
  image: { bytes: Uint8Array; type: ImageType },
  now = Date.now(),
): Promise<string> {
  const hash = toHex(await crypto.subtle.digest('SHA-256', image.bytes));
  const key = mediaKey(kind, hash, image.type.ext);
  await env.MEDIA.put(key, image.bytes, {
    httpMetadata: { contentType: image.type.contentType, cacheControl: IMMUTABLE },
  });
  const row = {
    key,
    kind: kind === 'i' ? ('item' as const) : ('review' as const),
    contentType: image.type.contentType,
    bytes: image.bytes.byteLength,
    createdAt: now,
    releasedAt: null,
  };
  await db(env)
    .insert(mediaObjects)
    .values(row)
    .onConflictDoUpdate({ target: mediaObjects.key, set: { releasedAt: sql`null` } });
  return key;
}
