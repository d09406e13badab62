import { and, eq } from 'drizzle-orm';
import { brands, members } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';
import type { WechatSession } from './wechat.adapter';

/**
 * The brand a WeChat login may join, checked before WeChat is called: it must exist
 * (404 `brand.not_found`), and a brand that names its mini program (`settings.wechatAppId`)
 * must name ours, since an openid only means something inside the app that issued it
 * (403 `auth.wechat_app_mismatch`).
 */
export async function assertLoginBrand(env: Env, brandId: string) {
  const brand = await db(env).select({ settings: brands.settings }).from(brands).where(eq(brands.id, brandId)).get();
  if (!brand) throw notFound('brand', brandId);
  const appId = json<{ wechatAppId?: unknown }>(brand.settings, {}).wechatAppId;
  if (typeof appId === 'string' && appId !== env.WECHAT_APPID) {
    throw new ApiError(403, 'auth.wechat_app_mismatch', 'This brand signs in through another mini program.');
  }
}

/**
 * Finds the member for a WeChat identity or registers one. A single upsert keyed on
 * (brand, openid) makes concurrent first logins converge on one member.
 */
export async function upsertWechatMember(env: Env, brandId: string, session: WechatSession, now = Date.now()) {
  const brand = await db(env).select({ id: brands.id }).from(brands).where(eq(brands.id, brandId)).get();
  if (!brand) throw notFound('brand', brandId);
  const candidate = newId('mem');
  const row = await db(env)
    .insert(members)
    .values({
      id: candidate,
      brandId,
      openid: session.openid,
      unionid: session.unionid ?? null,
      createdAt: now,
      lastLoginAt: now,
    })
    .onConflictDoUpdate({
      target: [members.brandId, members.openid],
      set: { lastLoginAt: now, ...(session.unionid ? { unionid: session.unionid } : {}) },
    })
    .returning()
    .get();
  return { member: row, isNew: row.id === candidate };
}

export async function findMember(env: Env, brandId: string, memberId: string) {
  return db(env)
    .select()
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.brandId, brandId)))
    .get();
}
