import type { Env } from '../env';
import { notify } from '../notify/pushes.service';

/**
 * After a member's order completes, one invitation to review it. It is a marketing push:
 * the notify consumer sends it only with the member's consent, outside the store's quiet
 * hours (it waits them out) and within the daily cap. Keyed by the order, so a replayed
 * completion event invites nobody twice.
 */
export async function inviteReview(
  env: Env,
  e: {
    brandId: string;
    storeId: string;
    occurredAt: number;
    order: { id: string; ticketNo: string; memberId?: string | null };
  },
) {
  if (!e.order.memberId) return;
  await notify(
    env,
    {
      brandId: e.brandId,
      memberId: e.order.memberId,
      storeId: e.storeId,
      category: 'marketing',
      template: 'review_invite',
      data: { ticket: e.order.ticketNo, prompt: '用餐还满意吗？评价一下吧' },
      page: `/orders/${e.order.id}`,
      key: `review-invite:${e.order.id}`,
    },
    e.occurredAt,
  );
}
