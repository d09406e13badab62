import { and, eq } from 'drizzle-orm';
import { perkClaims } from '../../schema/d1/tables';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { db } from '../lib/db';
import type { MemberRef } from '../members/members.service';
import { phoneLookupHash } from '../members/phone';
import { loyaltyRules } from './loyalty-rules.service';

/**
 * The new-member gift pack, once per person: the claim is keyed by a keyed hash of the
 * WeChat identity (unionid if known, else openid), which survives erasure without being
 * personal data, so deleting and re-registering does not earn a second pack.
 */
export async function grantGiftPack(
  env: Env,
  m: MemberRef & { openid: string; unionid: string | null },
  now = Date.now(),
) {
  const rules = await loyaltyRules(env, m.brandId, now);
  if (rules.newMemberPack.templateIds.length === 0) return [];
  const personKey = await phoneLookupHash(env, `wechat:${m.unionid ?? m.openid}`);
  const d = db(env);
  const claim = await d
    .insert(perkClaims)
    .values({ brandId: m.brandId, perk: 'gift_pack', personKey, memberId: m.id, createdAt: now })
    .onConflictDoNothing()
    .run();
  if (claim.meta.changes !== 1) {
    // Claimed before: by this member (a retry finishes the pack), or by an earlier account of the same person.
    const owner = await d
      .select({ memberId: perkClaims.memberId })
      .from(perkClaims)
      .where(
        and(eq(perkClaims.brandId, m.brandId), eq(perkClaims.perk, 'gift_pack'), eq(perkClaims.personKey, personKey)),
      )
      .get();
    if (owner?.memberId !== m.id) return [];
  }
  const issued = [];
  for (const templateId of rules.newMemberPack.templateIds) {
    issued.push(
      await issueCoupon(
        env,
        {
          brandId: m.brandId,
          memberId: m.id,
          templateId,
          issueKey: `gift_pack:${m.id}:${templateId}`,
          source: 'gift_pack',
        },
        now,
      ),
    );
  }
  return issued;
}
