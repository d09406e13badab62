import { createRoute, z } from '@hono/zod-openapi';
import {
  KeywordCounts,
  KeywordQuery,
  ReviewAnswerInput,
  ReviewQuery,
  ReviewResolveInput,
  StaffReview,
  StaffReviewList,
} from '../../schema/api/reviews.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Reviews'];
const security = bearer;

const access =
  'Brand admins see every store of their brand; a store manager sees their own stores; clerks get 403. ' +
  'A `storeId` the caller may not see is 404 `store.not_found`, a review of such a store 404 `review.not_found`.';
const params = z.object({ reviewId: idParam('reviewId', 'rev_3f9c0a1b2c3d4e5f6a7b') });

export const keywordCountsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/reviews/keywords',
  operationId: 'reviews.keywords',
  tags,
  security,
  summary: 'Complaint keywords ("太咸", "分量少", "慢", "凉了"…) counted per store, week and dish',
  description: `${access} A review counts once per keyword and dish; weeks start on the store-local Monday.`,
  request: { query: KeywordQuery },
  responses: { 200: jsonOk(KeywordCounts), ...readErrors },
});

export const listReviewsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/reviews',
  operationId: 'reviews.list',
  tags,
  security,
  summary: 'Reviews, newest first, filtered by store, stars, complaint, words, dates and follow-up state',
  description: `${access} Dates are store-local (the zone of the first store in scope).`,
  request: { query: ReviewQuery },
  responses: { 200: jsonOk(StaffReviewList), ...readErrors },
});

export const getReviewRoute = createRoute({
  method: 'get',
  path: '/v1/admin/reviews/{reviewId}',
  operationId: 'reviews.get',
  tags,
  security,
  summary: 'One review with its dish ratings, keywords and follow-up',
  description: access,
  request: { params },
  responses: { 200: jsonOk(StaffReview), ...readErrors },
});

export const answerReviewRoute = createRoute({
  method: 'post',
  path: '/v1/admin/reviews/{reviewId}/answer',
  operationId: 'reviews.answer',
  tags,
  security,
  summary: 'Answer the guest of a followed-up review; the guest is notified once',
  description:
    `${access} A review without a follow-up is 409 \`review.no_follow_up\`. Sending the same answer again is a ` +
    'safe retry; a different one is 409 `review.already_answered`.',
  request: { params, body: jsonBody(ReviewAnswerInput) },
  responses: { 200: jsonOk(StaffReview, 'The review, answered'), ...writeErrors },
});

export const resolveReviewRoute = createRoute({
  method: 'post',
  path: '/v1/admin/reviews/{reviewId}/resolve',
  operationId: 'reviews.resolve',
  tags,
  security,
  summary: 'Resolve a follow-up, optionally with a make-good coupon for the guest (issued once)',
  description:
    `${access} Resolving twice is 409 \`review.already_resolved\`; an unknown coupon template is 422; a coupon ` +
    'the template cannot issue (no stock, the guest at its limit) is 409 `review.coupon_not_issued`.',
  request: { params, body: jsonBody(ReviewResolveInput) },
  responses: { 200: jsonOk(StaffReview, 'The review, resolved'), ...writeErrors },
});
