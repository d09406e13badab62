import { z } from '@hono/zod-openapi';
import { MAX_REVIEW_PHOTOS, REVIEW_PHOTO_URL } from '../../domain/reviews/review-rules';
import { IsoTime } from './common.schemas';

/* Reviews (issue #18): what a guest says about an order, and the manager's follow-up. */

const Id = z.string().trim().min(1).max(64);
const Stars = z.number().int().min(1).max(5).openapi({ description: '1 (worst) to 5 (best)' });
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .openapi({ example: '2026-11-30', description: 'store-local date' });

export const ReviewPhoto = z
  .string()
  .regex(REVIEW_PHOTO_URL, 'a review photo path /media/r/<32 hex>.(jpg|png|webp)')
  .openapi({
    example: '/media/r/0123456789abcdef0123456789abcdef.jpg',
    description: 'a photo uploaded for the review',
  });

export const ReviewInput = z
  .strictObject({
    orderId: Id,
    rating: Stars,
    text: z.string().max(500).optional(),
    dishes: z
      .array(z.strictObject({ itemId: Id, rating: Stars }))
      .max(50)
      .optional()
      .openapi({ description: 'ratings of dishes of the order, each dish once' }),
    server: z
      .strictObject({
        rating: Stars,
        staffId: Id.optional().openapi({ description: "the server, a staff member of the order's store" }),
      })
      .optional(),
    photos: z.array(ReviewPhoto).max(MAX_REVIEW_PHOTOS).optional(),
    complaint: z.boolean().optional().openapi({ description: 'the guest files it as a complaint' }),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.dishes?.forEach((d, i) => {
      if (seen.has(d.itemId)) ctx.addIssue({ code: 'custom', path: ['dishes', i, 'itemId'], message: 'rated twice' });
      seen.add(d.itemId);
    });
  })
  .openapi('ReviewInput');

const FollowUpStatus = z.enum(['open', 'answered', 'resolved']);

export const ReviewFollowUp = z
  .object({
    reason: z.enum(['low_rating', 'complaint']),
    status: FollowUpStatus,
    dueAt: IsoTime,
    overdue: z.boolean().openapi({ description: 'due, and the guest not yet answered' }),
    answer: z.string().nullable(),
    answeredAt: IsoTime.nullable(),
    resolution: z.string().nullable(),
    resolvedAt: IsoTime.nullable(),
    couponId: z.string().nullable().openapi({ description: 'the make-good coupon issued on resolving' }),
  })
  .openapi('ReviewFollowUp');

export const ReviewResult = z
  .object({
    id: z.string(),
    orderId: z.string(),
    rating: z.number().int(),
    points: z.number().int(),
    keywords: z.array(z.string()).openapi({ description: 'complaint keywords found in the text' }),
    followUp: z
      .object({ reason: z.enum(['low_rating', 'complaint']), dueAt: IsoTime })
      .nullable()
      .openapi({ description: "set when the store's manager will follow up" }),
  })
  .openapi('ReviewResult');

export const StaffReview = z
  .object({
    id: z.string().openapi({ example: 'rev_3f9c0a1b2c3d4e5f6a7b' }),
    orderId: z.string(),
    storeId: z.string(),
    memberId: z.string(),
    rating: z.number().int(),
    text: z.string(),
    dishes: z.array(z.object({ itemId: z.string(), rating: z.number().int() })),
    server: z.object({ staffId: z.string().nullable(), rating: z.number().int() }).nullable(),
    photos: z.array(z.string()),
    complaint: z.boolean(),
    keywords: z.array(z.object({ keyword: z.string(), itemId: z.string().nullable() })),
    createdAt: IsoTime,
    followUp: ReviewFollowUp.nullable(),
  })
  .openapi('StaffReview');

export const StaffReviewList = z
  .object({
    items: z.array(StaffReview),
    nextBefore: z.string().nullable().openapi({ description: 'pass as `before` for the next page; null at the end' }),
  })
  .openapi('StaffReviewList');

const StoreIds = z
  .union([Id, z.array(Id).max(100)])
  .optional()
  .openapi({ description: 'repeatable; default: every store the caller may see' });

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ReviewQuery = z.object({
  storeId: StoreIds,
  rating: z.coerce.number().int().min(1).max(5).optional().openapi({ description: "the order's stars, exactly" }),
  maxRating: z.coerce.number().int().min(1).max(5).optional().openapi({ description: 'at most this many stars' }),
  hasComplaint: flag.optional(),
  keyword: z.string().trim().min(1).max(40).optional().openapi({ description: 'the text contains it' }),
  from: Day.optional(),
  to: Day.optional().openapi({ description: 'store-local date, inclusive' }),
  followUp: z.enum(['open', 'answered', 'resolved', 'overdue', 'none']).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  before: z
    .string()
    .regex(/^\d{1,15}\.[\w-]{1,64}$/, 'a cursor from nextBefore')
    .optional()
    .openapi({ description: 'page cursor (`nextBefore`)' }),
});

export const ReviewAnswerInput = z
  .strictObject({ text: z.string().trim().min(1).max(500) })
  .openapi('ReviewAnswerInput');

export const ReviewResolveInput = z
  .strictObject({
    resolution: z.string().trim().max(500).optional(),
    couponTemplateId: Id.optional().openapi({ description: 'a make-good coupon from this template, for the guest' }),
  })
  .openapi('ReviewResolveInput');

export const KeywordQuery = z.object({
  storeId: StoreIds,
  from: Day.optional().openapi({ description: 'weeks starting on or after (store-local Monday)' }),
  to: Day.optional(),
  itemId: Id.optional(),
});

export const KeywordCounts = z
  .object({
    items: z.array(
      z.object({
        storeId: z.string(),
        week: z.string().openapi({ description: 'the store-local Monday of the week' }),
        itemId: z.string().nullable().openapi({ description: 'the dish; null: the order as a whole' }),
        keyword: z.string().openapi({ example: '太咸' }),
        count: z.number().int(),
      }),
    ),
  })
  .openapi('ReviewKeywordCounts');
