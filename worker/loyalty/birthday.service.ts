import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { birthdayWeek } from '../../domain/loyalty/perks';
import { tierById } from '../../domain/loyalty/rules';
import { memberLoyalty, members } from '../../schema/d1/tables';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { db } from '../lib/db';
import { notify } from '../notify/pushes.service';
import { loyaltyRules } from './loyalty-rules.service';

/**
 * Birthday gifts for members whose birthday week (brand time) is now: the tier's gift
 * coupon, once per member per year, and a push. Run daily; a second run issues nothing.
 */
export async function birthdayGifts(env: Env, brandId: string, now = Date.now()) {
  const rules = await loyaltyRules(env, brandId, now);
  const results = await db(env)
    .select({ id: members.id, birthday: members.birthday, tierId: memberLoyalty.tierId })
    .from(members)
    .innerJoin(memberLoyalty, eq(memberLoyalty.memberId, members.id))
    .where(and(eq(members.brandId, brandId), isNotNull(members.birthday), isNull(members.deletedAt)));
  let issued = 0;
  for (const m of results) {
    const week = birthdayWeek(m.birthday, now, rules.timeZone);
    const gift = tierById(rules, m.tierId).benefits.birthdayGiftTemplateId;
    if (!week || !gift) continue;
    const r = await issueCoupon(
      env,
      { brandId, memberId: m.id, templateId: gift, issueKey: `birthday:${m.id}:${week.year}`, source: 'birthday' },
      now,
    );
    if (!r.issued) continue;
    issued++;
    await notify(
      env,
      {
        brandId,
        memberId: m.id,
        category: 'transactional',
        template: 'birthday_gift',
        data: { gift: 'Birthday gift' },
        page: 'pages/coupons/index',
        key: `birthday:${m.id}:${week.year}`,
      },
      now,
    );
  }
  return { issued };
}
