import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { findMember } from '../auth/wechat-members.service';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { pointsBalance, tierStanding } from '../loyalty/profile.service';

/** A member as a partner sees them (see `PartnerMember`); erased or another brand's is 404. */
export async function partnerMember(env: Env, brandId: string, memberId: string, now = Date.now()) {
  const m = await findMember(env, brandId, memberId);
  if (!m || m.deletedAt !== null) throw notFound('member', memberId);
  const [tier, points] = await Promise.all([tierStanding(env, m, now), pointsBalance(env, m, now)]);
  return {
    id: m.id,
    createdAt: isoInZone(m.createdAt, BRAND_TIME_ZONE),
    tier: { id: tier.id, name: tier.name },
    points: { available: points.available, pending: points.pending },
  };
}
