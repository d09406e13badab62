import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';

/**
 * Marketing campaigns (brand data): what triggers them (`kind` + `config`), the coupon
 * template they issue, the push they send, and the share held out to measure lift.
 */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', {
      enum: [
        'manual',
        'drop',
        'partner',
        'recall',
        'weather',
        'night_owl',
        'geofence',
        'birthday',
        'member_day',
        'segment',
        'group_buy',
        'bargain',
      ],
    }).notNull(),
    status: text('status', { enum: ['active', 'paused', 'ended'] }).notNull(),
    templateId: text('template_id'),
    /** JSON: the kind's settings (recall steps, weather templates, drop quantity and time…). */
    config: text('config').notNull().default('{}'),
    /** JSON `{ template, fields, page }` of the marketing push, or null for none. */
    push: text('push'),
    holdoutPercent: integer('holdout_percent').notNull().default(0),
    /** JSON filter tree (`domain/campaigns/audience.ts`) over profiles and segments, or null for everyone the kind picks. */
    audience: text('audience'),
    startsAt: integer('starts_at'),
    endsAt: integer('ends_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('campaigns_brand').on(t.brandId, t.status)],
);

/**
 * Who a campaign reached, once per (campaign, member, period): the issuance record that
 * makes every rule idempotent, and the target/holdout split that measures the lift.
 */
export const campaignTargets = sqliteTable(
  'campaign_targets',
  {
    campaignId: text('campaign_id').notNull(),
    memberId: text('member_id').notNull(),
    /** The rule's period: a day, an inactivity episode, a year, a city-day. */
    period: text('period').notNull(),
    grp: text('grp', { enum: ['target', 'holdout'] }).notNull(),
    status: text('status', { enum: ['issued', 'held_out', 'refused'] }).notNull(),
    couponId: text('coupon_id'),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.memberId, t.period] }),
    index('campaign_targets_member').on(t.memberId),
    index('campaign_targets_period').on(t.campaignId, t.period),
  ],
);

/** Counters that cap issuance beyond a template's stock: a daily drop's quantity. */
export const issueCaps = sqliteTable('issue_caps', {
  key: text('key').primaryKey(),
  issued: integer('issued').notNull().default(0),
});

/** Partner exchange codes: stored as hashes, each redeemable once. */
export const partnerCodes = sqliteTable(
  'partner_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    brandId: text('brand_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    batchId: text('batch_id').notNull(),
    redeemedBy: text('redeemed_by'),
    couponId: text('coupon_id'),
    redeemedAt: integer('redeemed_at'),
    createdAt: createdAt(),
  },
  (t) => [index('partner_codes_campaign').on(t.campaignId)],
);

/** RFM scores and segment per member, recomputed nightly. */
export const memberSegments = sqliteTable(
  'member_segments',
  {
    memberId: text('member_id').primaryKey(),
    brandId: text('brand_id').notNull(),
    r: integer('r').notNull(),
    f: integer('f').notNull(),
    m: integer('m').notNull(),
    segment: text('segment').notNull(),
    lastOrderAt: integer('last_order_at'),
    orders: integer('orders').notNull(),
    spend: integer('spend').notNull(),
    computedAt: integer('computed_at').notNull(),
  },
  (t) => [index('member_segments_segment').on(t.brandId, t.segment)],
);

/** One weather check per city per day: the forecast and what it triggered. */
export const weatherChecks = sqliteTable(
  'weather_checks',
  {
    brandId: text('brand_id').notNull(),
    city: text('city').notNull(),
    day: text('day').notNull(),
    kind: text('kind'),
    forecast: text('forecast').notNull(),
    checkedAt: integer('checked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.city, t.day] })],
);

/** Each cron or admin run of a campaign: how many it targeted, held out, and queued. */
export const campaignRuns = sqliteTable(
  'campaign_runs',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    period: text('period').notNull(),
    targeted: integer('targeted').notNull(),
    messages: integer('messages').notNull(),
    startedAt: integer('started_at').notNull(),
    /** JSON: per-batch issued/refused counts and D1 rows written, filled by the consumer. */
    detail: text('detail').notNull().default('{}'),
  },
  (t) => [
    index('campaign_runs_campaign').on(t.campaignId, t.startedAt),
    index('campaign_runs_started').on(t.startedAt),
  ],
);

/** Group buys: a leader opens, friends join within the time limit, the group fills or fails. */
export const groupBuys = sqliteTable(
  'group_buys',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    brandId: text('brand_id').notNull(),
    leaderId: text('leader_id').notNull(),
    size: integer('size').notNull(),
    joined: integer('joined').notNull().default(0),
    status: text('status', { enum: ['open', 'filled', 'failed'] }).notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: createdAt(),
    settledAt: integer('settled_at'),
  },
  (t) => [index('group_buys_open').on(t.status, t.expiresAt), index('group_buys_campaign').on(t.campaignId)],
);

export const groupMembers = sqliteTable(
  'group_members',
  {
    groupId: text('group_id').notNull(),
    memberId: text('member_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    /** The member's paid order for the group item: refunded in full if the group fails. */
    orderId: text('order_id').notNull(),
    deviceHash: text('device_hash'),
    joinedAt: integer('joined_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.memberId] }),
    uniqueIndex('group_members_order').on(t.orderId),
    index('group_members_member').on(t.memberId, t.campaignId),
  ],
);

/** Bargain ladders: a member shares, friends help, each rung reached issues its reward. */
export const bargains = sqliteTable(
  'bargains',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    helpers: integer('helpers').notNull().default(0),
    status: text('status', { enum: ['open', 'done', 'expired'] }).notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('bargains_member').on(t.memberId, t.campaignId)],
);

export const bargainHelps = sqliteTable(
  'bargain_helps',
  {
    bargainId: text('bargain_id').notNull(),
    helperId: text('helper_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    deviceHash: text('device_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.bargainId, t.helperId] }),
    index('bargain_helps_helper').on(t.helperId, t.campaignId),
  ],
);
