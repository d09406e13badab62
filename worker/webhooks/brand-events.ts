import type { BrandEvent } from '../../domain/webhooks/events';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';

/*
 * The brand events partners can subscribe to, shaped once here: what they carry is what a
 * partner needs to act (an id to fetch more with, when, where), not the guest's personal data.
 */

/** How a member first signed in, from the identity their row was made with. */
export const joinedVia = (openid: string) =>
  openid.startsWith('phone:')
    ? 'phone'
    : openid.startsWith('oa:')
      ? 'wechat_web'
      : openid.startsWith('dev:')
        ? 'dev'
        : 'wechat';

/** A guest became a member (first sign-in). No phone, no name: it says who and how, not how to reach them. */
export function memberCreated(m: { id: string; brandId: string; createdAt: number; openid: string }): BrandEvent {
  const via = joinedVia(m.openid);
  return {
    type: 'member.created',
    brandId: m.brandId,
    key: m.id,
    occurredAt: m.createdAt,
    data: { member: { id: m.id, createdAt: isoInZone(m.createdAt, BRAND_TIME_ZONE), via } },
  };
}

/** A guest reviewed an order. */
export function reviewCreated(r: {
  id: string;
  brandId: string;
  storeId: string;
  orderId: string;
  memberId: string;
  rating: number;
  text: string;
  complaint: boolean;
  createdAt: number;
}): BrandEvent {
  return {
    type: 'review.created',
    brandId: r.brandId,
    key: r.id,
    occurredAt: r.createdAt,
    storeId: r.storeId,
    data: {
      review: {
        id: r.id,
        orderId: r.orderId,
        memberId: r.memberId,
        rating: r.rating,
        text: r.text,
        complaint: r.complaint,
        createdAt: isoInZone(r.createdAt, BRAND_TIME_ZONE),
      },
    },
  };
}
