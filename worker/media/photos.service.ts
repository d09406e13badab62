import { and, asc, count, eq, gt } from 'drizzle-orm';
import { mediaUrl } from '../../domain/media/images';
import { DAY } from '../../domain/time';
import { memberPhotos } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db } from '../lib/db';
import { putImage } from './media-store';

/** Review photos one member may upload in any 24 hours (a review holds a few; this is abuse). */
export const PHOTOS_PER_DAY = 30;

/**
 * Stores a member's review photo and answers its URL (`/media/r/<hash>.<ext>`), which a
 * review then names. The same photo again is the same URL and does not count twice; past
 * the daily cap it is 429 `media.photo_quota` with the wait in Retry-After.
 */
export async function uploadMemberPhoto(
  env: Env,
  member: { id: string; brandId: string },
  image: Parameters<typeof putImage>[2],
  now = Date.now(),
) {
  const d = db(env);
  const answer = (key: string) => ({
    url: mediaUrl(key),
    contentType: image.type.contentType,
    bytes: image.bytes.byteLength,
  });
  const recent = and(eq(memberPhotos.memberId, member.id), gt(memberPhotos.createdAt, now - DAY));
  const [{ n } = { n: 0 }] = await d.select({ n: count() }).from(memberPhotos).where(recent);
  if (n >= PHOTOS_PER_DAY) {
    const oldest = await d
      .select({ at: memberPhotos.createdAt })
      .from(memberPhotos)
      .where(recent)
      .orderBy(asc(memberPhotos.createdAt))
      .limit(1)
      .get();
    const wait = Math.max(1, Math.ceil(((oldest?.at ?? now) + DAY - now) / 1000));
    throw new ApiError(429, 'media.photo_quota', `At most ${PHOTOS_PER_DAY} photos a day; try again later.`, {
      headers: { 'Retry-After': String(wait) },
    });
  }
  const key = await putImage(env, 'r', image, now);
  await d
    .insert(memberPhotos)
    .values({ memberId: member.id, key, brandId: member.brandId, createdAt: now })
    .onConflictDoNothing();
  return answer(key);
}
