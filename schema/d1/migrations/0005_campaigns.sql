CREATE TABLE `bargain_helps` (
	`bargain_id` text NOT NULL,
	`helper_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`device_hash` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`bargain_id`, `helper_id`)
);
--> statement-breakpoint
CREATE INDEX `bargain_helps_helper` ON `bargain_helps` (`helper_id`,`campaign_id`);--> statement-breakpoint
CREATE TABLE `bargains` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`helpers` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bargains_member` ON `bargains` (`member_id`,`campaign_id`);--> statement-breakpoint
CREATE TABLE `campaign_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`period` text NOT NULL,
	`targeted` integer NOT NULL,
	`messages` integer NOT NULL,
	`started_at` integer NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `campaign_runs_campaign` ON `campaign_runs` (`campaign_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `campaign_targets` (
	`campaign_id` text NOT NULL,
	`member_id` text NOT NULL,
	`period` text NOT NULL,
	`grp` text NOT NULL,
	`status` text NOT NULL,
	`coupon_id` text,
	`reason` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `member_id`, `period`)
);
--> statement-breakpoint
CREATE INDEX `campaign_targets_member` ON `campaign_targets` (`member_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`template_id` text,
	`config` text DEFAULT '{}' NOT NULL,
	`push` text,
	`holdout_percent` integer DEFAULT 0 NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `campaigns_brand` ON `campaigns` (`brand_id`,`status`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`queue` text NOT NULL,
	`body` text NOT NULL,
	`attempts` integer NOT NULL,
	`created_at` integer NOT NULL,
	`redriven_at` integer
);
--> statement-breakpoint
CREATE INDEX `dead_letters_queue` ON `dead_letters` (`queue`,`redriven_at`);--> statement-breakpoint
CREATE TABLE `group_buys` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`brand_id` text NOT NULL,
	`leader_id` text NOT NULL,
	`size` integer NOT NULL,
	`joined` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`settled_at` integer
);
--> statement-breakpoint
CREATE INDEX `group_buys_open` ON `group_buys` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `group_buys_campaign` ON `group_buys` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` text NOT NULL,
	`member_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`order_id` text NOT NULL,
	`device_hash` text,
	`joined_at` integer NOT NULL,
	PRIMARY KEY(`group_id`, `member_id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_members_order` ON `group_members` (`order_id`);--> statement-breakpoint
CREATE INDEX `group_members_member` ON `group_members` (`member_id`,`campaign_id`);--> statement-breakpoint
CREATE TABLE `issue_caps` (
	`key` text PRIMARY KEY NOT NULL,
	`issued` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `member_segments` (
	`member_id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`r` integer NOT NULL,
	`f` integer NOT NULL,
	`m` integer NOT NULL,
	`segment` text NOT NULL,
	`last_order_at` integer,
	`orders` integer NOT NULL,
	`spend` integer NOT NULL,
	`computed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `member_segments_segment` ON `member_segments` (`brand_id`,`segment`);--> statement-breakpoint
CREATE TABLE `partner_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`redeemed_by` text,
	`coupon_id` text,
	`redeemed_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `partner_codes_campaign` ON `partner_codes` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `weather_checks` (
	`brand_id` text NOT NULL,
	`city` text NOT NULL,
	`day` text NOT NULL,
	`kind` text,
	`forecast` text NOT NULL,
	`checked_at` integer NOT NULL,
	PRIMARY KEY(`brand_id`, `city`, `day`)
);
