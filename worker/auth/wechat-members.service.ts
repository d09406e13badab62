import { and, asc, eq, isNull } from 'drizzle-orm';
import { brands, members } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';

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
 * `members.openid` holds the mini program's openid. A member who has signed in only through
 * the H5 app holds a placeholder that is no mini-program openid: `oa:{openid}` (the Official
 * Account's openid, WeChat web authorization) or `phone:{memberId}` (phone code sign-in).
 */
export const officialAccountOpenid = (openid: string) => `oa:${openid}`;
export const phoneOnlyOpenid = (memberId: string) => `phone:${memberId}`;

/** The brand's live member with this unionid: the same person through any of the brand's WeChat apps. */
export async function memberByUnionid(env: Env, brandId: string, unionid: string) {
  return db(env)
    .select()
    .from(members)
    .where(and(eq(members.brandId, brandId), eq(members.unionid, unionid), isNull(members.deletedAt)))
    .orderBy(asc(members.createdAt))
    .limit(1)
    .get();
}

/**
 * Finds the member for a WeChat identity or registers one. The unionid (the same person in
 * the mini program and the Official Account) finds them first, so a guest who used the
 * mini program is the same member in the H5 app and the other way round; a member known
 * only by an Official Account placeholder takes the mini program's openid when they first
 * sign in there. Otherwise a single upsert keyed on (brand, openid) makes concurrent first
 * logins converge on one member.
 */
export async function upsertWechatMember(
  env: Env,
  brandId: string,
  session: { openid: string; unionid?: string },
  now = Date.now(),
) {
  if (!(await findBrand(env, brandId))) throw notFound('brand', brandId);
  if (session.unionid) {
    const known = await memberByUnionid(env, brandId, session.unionid);
    if (known) {
      const adoptOpenid = known.openid.startsWith('oa:') && !session.openid.startsWith('oa:');
      const row = await db(env)
        .update(members)
        .set({ lastLoginAt: now, ...(adoptOpenid ? { openid: session.openid } : {}) })
        .where(eq(members.id, known.id))
        .returning()
        .get()
        .catch(() => null);
      return { member: row ?? known, isNew: false };
    }
  }
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

/** The brand's id when it exists. */
export async function findBrand(env: Env, brandId: string) {
  return db(env).select({ id: brands.id }).from(brands).where(eq(brands.id, brandId)).get();
}

export async function findMember(env: Env, brandId: string, memberId: string) {
  return db(env)
    .select()
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.brandId, brandId)))
    .get();
}

/**
 * Local development's demo guest (`/v1/auth/dev` with `register`): the member `subject` names,
 * registered on first use so member routes know them. Its openid is a placeholder no
 * WeChat app issues. An id taken by another brand's member is 409 `member.id_taken`.
 */
export async function registerDevMember(env: Env, brandId: string, subject: string, now = Date.now()) {
  if (!(await findBrand(env, brandId))) throw notFound('brand', brandId);
  const inserted = await db(env)
    .insert(members)
    .values({ id: subject, brandId, openid: `dev:${subject}`, createdAt: now, lastLoginAt: now })
    .onConflictDoNothing()
    .returning({ id: members.id })
    .get();
  const row = await findMember(env, brandId, subject);
  if (!row) throw new ApiError(409, 'member.id_taken', `The member id ${subject} belongs to another brand.`);
  return { member: row, isNew: inserted !== undefined };
}
