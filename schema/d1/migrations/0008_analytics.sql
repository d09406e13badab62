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
CREATE INDEX `table_seatings_store_day` ON `table_seatings` (`store_id`,`day`);