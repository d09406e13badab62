import type { z } from '@hono/zod-openapi';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import type { AdminNotice } from '../../schema/api/alerts.schemas';
import { adminNotices } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';

type NoticeRow = typeof adminNotices.$inferSelect;

export interface NoticeRequest {
  brandId: string;
  kind: z.infer<typeof AdminNotice>['kind'];
  subjectId: string;
  title: string;
  detail: string;
  /** Unique per notice: posting it again (a retried job) changes nothing. */
  key: string;
}

function noticeView(r: NoticeRow): z.infer<typeof AdminNotice> {
  return {
    id: r.id,
    kind: r.kind as NoticeRequest['kind'],
    subjectId: r.subjectId,
    title: r.title,
    detail: r.detail,
    createdAt: isoInZone(r.createdAt, BRAND_TIME_ZONE),
    readAt: r.readAt === null ? null : isoInZone(r.readAt, BRAND_TIME_ZONE),
    readBy: r.readBy,
  };
}

/** Tells the brand's admins (the console shows it until one of them marks it read). */
export async function postNotice(env: Env, n: NoticeRequest, now = Date.now()): Promise<void> {
  await db(env)
    .insert(adminNotices)
    .values({ id: newId('ntc'), ...n, createdAt: now })
    .onConflictDoNothing({ target: adminNotices.key })
    .run();
}

export async function listNotices(env: Env, brandId: string, q: { unread?: 'true' | 'false'; limit: number }) {
  const rows = await db(env)
    .select()
    .from(adminNotices)
    .where(and(eq(adminNotices.brandId, brandId), q.unread === 'true' ? isNull(adminNotices.readAt) : undefined))
    .orderBy(desc(adminNotices.createdAt), desc(adminNotices.id))
    .limit(q.limit)
    .all();
  return rows.map(noticeView);
}

/** Marks a notice read for every admin of the brand; marking it again keeps the first reader. */
export async function markNoticeRead(env: Env, brandId: string, noticeId: string, adminId: string, now = Date.now()) {
  const d = db(env);
  const where = and(eq(adminNotices.id, noticeId), eq(adminNotices.brandId, brandId));
  await d
    .update(adminNotices)
    .set({ readAt: now, readBy: adminId })
    .where(and(where, isNull(adminNotices.readAt)))
    .run();
  const row = await d.select().from(adminNotices).where(where).get();
  if (!row) throw notFound('notice', noticeId);
  return noticeView(row);
}
