/** Every D1 table, one file per domain under tables/ (drizzle's schema for queries and migrations). */

export * from './tables/accounts.tables';
export * from './tables/alerts.tables';
export * from './tables/analytics.tables';
export * from './tables/archive.tables';
export * from './tables/campaigns.tables';
export * from './tables/catalog.tables';
export * from './tables/channels.tables';
export * from './tables/coupons.tables';
export * from './tables/delivery.tables';
export * from './tables/experiments.tables';
export * from './tables/games.tables';
export * from './tables/invoices.tables';
export * from './tables/loyalty.tables';
export * from './tables/media.tables';
export * from './tables/members.tables';
export * from './tables/notify.tables';
export * from './tables/orders.tables';
export * from './tables/partner-keys.tables';
export * from './tables/payments.tables';
export * from './tables/promotions.tables';
export * from './tables/queues.tables';
export * from './tables/reviews.tables';
export * from './tables/riders.tables';
export * from './tables/seed.tables';
export * from './tables/stores.tables';
export * from './tables/webhooks.tables';
