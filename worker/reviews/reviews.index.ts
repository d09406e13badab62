import { principalOf, requireRole } from '../http/auth';
import { managersOnly } from '../http/managers-only';
import { createRouter } from '../http/router';
import { answerReview, resolveReview } from './follow-ups.service';
import * as r from './reviews.routes';
import { keywordCounts, listReviews, readReview } from './reviews-admin.service';

/**
 * Mounted BEFORE the admin router: store managers read and answer their stores' reviews,
 * so this router authorizes by itself.
 */
export const reviewsRouter = createRouter();

reviewsRouter.use('/v1/admin/reviews', requireRole('admin', 'staff'), managersOnly('Reviews'));
reviewsRouter.use('/v1/admin/reviews/*', requireRole('admin', 'staff'), managersOnly('Reviews'));

reviewsRouter
  .openapi(r.keywordCountsRoute, async (c) =>
    c.json(await keywordCounts(c.env, principalOf(c), c.req.valid('query')), 200),
  )
  .openapi(r.listReviewsRoute, async (c) => c.json(await listReviews(c.env, principalOf(c), c.req.valid('query')), 200))
  .openapi(r.getReviewRoute, async (c) =>
    c.json(await readReview(c.env, principalOf(c), c.req.valid('param').reviewId), 200),
  )
  .openapi(r.answerReviewRoute, async (c) =>
    c.json(await answerReview(c.env, principalOf(c), c.req.valid('param').reviewId, c.req.valid('json').text), 200),
  )
  .openapi(r.resolveReviewRoute, async (c) =>
    c.json(await resolveReview(c.env, principalOf(c), c.req.valid('param').reviewId, c.req.valid('json')), 200),
  );
