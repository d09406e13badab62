CREATE TABLE `staff_notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`store_id` text,
	`alert_id` text,
	`template` text NOT NULL,
	`data` text NOT NULL,
	`key` text NOT NULL,
	`status` text NOT NULL,
	`result` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`read_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_notifications_key` ON `staff_notifications` (`key`);--> statement-breakpoint
CREATE INDEX `staff_notifications_staff` ON `staff_notifications` (`staff_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `staff_push_targets` (
	`staff_id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`openid` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `store_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`value` real NOT NULL,
	`threshold` real NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`opened_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`resolved_at` integer,
	`notified_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `store_alerts_one_open` ON `store_alerts` (`store_id`,`kind`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `store_alerts_store` ON `store_alerts` (`store_id`,`status`,`opened_at`);--> statement-breakpoint
CREATE INDEX `store_alerts_brand` ON `store_alerts` (`brand_id`,`status`,`opened_at`);--> statement-breakpoint
CREATE TABLE `analytics_brand_days` (
	`brand_id` text NOT NULL,
	`day` text NOT NULL,
	`new_members` integer DEFAULT 0 NOT NULL,
	`points_issued` integer DEFAULT 0 NOT NULL,
	`points_used` integer DEFAULT 0 NOT NULL,
	`points_expired` integer DEFAULT 0 NOT NULL,
	`coupons_issued` integer DEFAULT 0 NOT NULL,
	`coupons_used` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`brand_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `analytics_member_days` (
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`store_id` text NOT NULL,
	`day` text NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`revenue` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`member_id`, `store_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `analytics_member_days_brand_day` ON `analytics_member_days` (`brand_id`,`day`,`member_id`);--> statement-breakpoint
CREATE INDEX `analytics_member_days_store_day` ON `analytics_member_days` (`store_id`,`day`,`member_id`);--> statement-breakpoint
CREATE TABLE `analytics_member_windows` (
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`day` text NOT NULL,
	`buyers` integer DEFAULT 0 NOT NULL,
	`repeaters` integer DEFAULT 0 NOT NULL,
	`regulars` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`brand_id`, `store_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `analytics_rollups` (
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`day` text NOT NULL,
	`dim` text NOT NULL,
	`key` text NOT NULL,
	`name` text,
	`orders` integer DEFAULT 0 NOT NULL,
	`cancelled` integer DEFAULT 0 NOT NULL,
	`quantity` integer DEFAULT 0 NOT NULL,
	`revenue` integer DEFAULT 0 NOT NULL,
	`refunds` integer DEFAULT 0 NOT NULL,
	`refund_quantity` integer DEFAULT 0 NOT NULL,
	`discounts` integer DEFAULT 0 NOT NULL,
	`guests` integer DEFAULT 0 NOT NULL,
	`seatings` integer DEFAULT 0 NOT NULL,
	`turn_minutes` integer DEFAULT 0 NOT NULL,
	`tables` integer DEFAULT 0 NOT NULL,
	`member_orders` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `day`, `dim`, `key`)
);
--> statement-breakpoint
CREATE INDEX `analytics_rollups_brand_day` ON `analytics_rollups` (`brand_id`,`dim`,`day`);--> statement-breakpoint
CREATE INDEX `analytics_rollups_day_totals` ON `analytics_rollups` (`brand_id`,`dim`,`day`,`store_id`,`revenue`,`refunds`,`orders`,`guests`,`discounts`,`seatings`,`turn_minutes`,`tables`) WHERE dim = 'day';--> statement-breakpoint
CREATE TABLE `table_seatings` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`table_id` text NOT NULL,
	`day` text NOT NULL,
	`diners` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`closed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `table_seatings_store_day` ON `table_seatings` (`store_id`,`day`);--> statement-breakpoint
ALTER TABLE `order_history` ADD `business_day` text;--> statement-breakpoint
ALTER TABLE `order_history` ADD `local_hour` integer;--> statement-breakpoint
CREATE INDEX `order_history_store_day` ON `order_history` (`store_id`,`business_day`);--> statement-breakpoint
CREATE INDEX `member_coupons_brand_issued` ON `member_coupons` (`brand_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `member_coupons_brand_used` ON `member_coupons` (`brand_id`,`used_at`);--> statement-breakpoint
CREATE INDEX `points_ledger_brand_created` ON `points_ledger` (`brand_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `members_brand_unionid` ON `members` (`brand_id`,`unionid`);--> statement-breakpoint
CREATE INDEX `members_brand_created` ON `members` (`brand_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `members_brand_live_created` ON `members` (`brand_id`,`created_at`) WHERE deleted_at IS NULL;