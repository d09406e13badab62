import { and, eq, isNull } from 'drizzle-orm';
import { log } from '../../domain/log';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { members } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { enforceLimit } from '../http/rate-limit';
import { issueToken } from '../http/tokens';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { seal } from '../lib/seal';
import { welcomeMember } from '../loyalty/welcome.service';
import type { MemberRow } from '../members/members.service';
import { normalizePhone, phoneLookupHash } from '../members/phone';
import { consumePhoneCode, sendPhoneCode } from '../members/phone-codes.service';
import { memberCreated } from '../webhooks/brand-events';
import { announceBrandEvent } from '../webhooks/fan-out.service';
import { findBrand, officialAccountOpenid, phoneOnlyOpenid, upsertWechatMember } from './wechat-members.service';
import type { WechatWebIdentity } from './wechat-web.adapter';

/*
 * Guest sign-in for the H5 app: WeChat web authorization inside WeChat's browser, a texted
 * code anywhere else. Both end like the mini program's login: a member (found or
 * registered), the welcome, and a member token.
 */

async function assertBrand(env: Env, brandId: string) {
  if (!(await findBrand(env, brandId))) throw notFound('brand', brandId);
}

/**
 * The token and summary a sign-in answers. Every sign-in retries the welcome (it is keyed,
 * so it completes once): a failure there must not block signing in. `person` is who the
 * member is for once-per-person perks when it is not their WeChat identity.
 */
export async function signedIn(env: Env, member: MemberRow, isNew: boolean, requestId?: string, person?: string) {
  const who = person ? { ...member, openid: person, unionid: null } : member;
  await welcomeMember(env, who).catch((e) => log.error('welcome failed', { requestId, memberId: member.id, error: e }));
  if (isNew) await announceBrandEvent(env, memberCreated(member));
  const token = await issueToken(env, { role: 'member', subject: member.id, brandId: member.brandId, storeIds: [] });
  return {
    token,
    member: {
      id: member.id,
      nickname: member.nickname,
      isNew,
      createdAt: isoInZone(member.createdAt, BRAND_TIME_ZONE),
    },
  };
}

/** The member behind an Official Account identity: by unionid first (the mini program's member), else by openid. */
export function wechatWebMember(env: Env, brandId: string, id: WechatWebIdentity, now = Date.now()) {
  return upsertWechatMember(env, brandId, { openid: officialAccountOpenid(id.openid), unionid: id.unionid }, now);
}

const signInSlot = (brandId: string, phoneHash: string) => ({ key: `signin:${brandId}:${phoneHash}`, brandId });

/**
 * Texts a sign-in code. The same answer whether or not the number is a member's; limited per
 * phone (shared with phone binding: each text costs money) and per IP.
 */
export async function requestSignInCode(env: Env, brandId: string, input: string, ip?: string, now = Date.now()) {
  const phone = normalizePhone(input);
  await assertBrand(env, brandId);
  const phoneHash = await phoneLookupHash(env, phone);
  if (ip) await enforceLimit(env, 'sms', `phone-signin:ip:${ip}`);
  await enforceLimit(env, 'sms', `phone-code:phone:${phoneHash}`);
  return sendPhoneCode(env, signInSlot(brandId, phoneHash), phone, phoneHash, now);
}

/**
 * Signs in with the texted code: the brand's member with this phone, or a new member holding
 * it. Checks are limited per IP and per phone, and each code dies after five wrong tries.
 */
export async function signInWithPhone(
  env: Env,
  brandId: string,
  input: { phone: string; code: string },
  ip?: string,
  now = Date.now(),
) {
  const phone = normalizePhone(input.phone);
  await assertBrand(env, brandId);
  const phoneHash = await phoneLookupHash(env, phone);
  if (ip) await enforceLimit(env, 'auth', `phone-signin:ip:${ip}`);
  await enforceLimit(env, 'auth', `phone-code:phone:${phoneHash}`);
  await consumePhoneCode(env, signInSlot(brandId, phoneHash).key, phoneHash, input.code, now);
  const found = await memberByPhone(env, brandId, phoneHash);
  if (found) {
    await db(env).update(members).set({ lastLoginAt: now }).where(eq(members.id, found.id));
    return { member: found, isNew: false, phoneHash };
  }
  const id = newId('mem');
  // Two first sign-ins racing on one phone: the unique (brand, phone) index lets one insert win.
  await db(env)
    .insert(members)
    .values({
      id,
      brandId,
      openid: phoneOnlyOpenid(id),
      phoneSealed: await seal(env, phone),
      phoneHash,
      createdAt: now,
      lastLoginAt: now,
    })
    .onConflictDoNothing();
  const member = await memberByPhone(env, brandId, phoneHash);
  if (!member) throw new Error('phone sign-in: member neither inserted nor found');
  return { member, isNew: member.id === id, phoneHash };
}

function memberByPhone(env: Env, brandId: string, phoneHash: string) {
  return db(env)
    .select()
    .from(members)
    .where(and(eq(members.brandId, brandId), eq(members.phoneHash, phoneHash), isNull(members.deletedAt)))
    .get();
}
