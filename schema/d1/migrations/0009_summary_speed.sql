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
CREATE INDEX `members_brand_live_created` ON `members` (`brand_id`,`created_at`) WHERE deleted_at IS NULL;