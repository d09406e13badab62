CREATE TABLE `coupon_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`name` text NOT NULL,
	`rule` text NOT NULL,
	`validity` text NOT NULL,
	`total_stock` integer,
	`issued` integer DEFAULT 0 NOT NULL,
	`per_member_limit` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `coupon_templates_brand` ON `coupon_templates` (`brand_id`);--> statement-breakpoint
CREATE TABLE `game_plays` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`game` text NOT NULL,
	`day` text NOT NULL,
	`n` integer NOT NULL,
	`outcome` text NOT NULL,
	`points` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `game_plays_slot` ON `game_plays` (`member_id`,`game`,`day`,`n`);--> statement-breakpoint
CREATE TABLE `loyalty_rules` (
	`brand_id` text PRIMARY KEY NOT NULL,
	`rules` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `member_loyalty` (
	`member_id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`tier_id` text NOT NULL,
	`tier_since` integer NOT NULL,
	`tier_review_at` integer NOT NULL,
	`version` text NOT NULL,
	`referral_code` text NOT NULL,
	`referred_by` text,
	`device_hash` text,
	`checkin_streak` integer DEFAULT 0 NOT NULL,
	`last_checkin_day` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_loyalty_code` ON `member_loyalty` (`brand_id`,`referral_code`);--> statement-breakpoint
CREATE INDEX `member_loyalty_review` ON `member_loyalty` (`tier_review_at`);--> statement-breakpoint
CREATE INDEX `member_loyalty_referrer` ON `member_loyalty` (`referred_by`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`store_id` text,
	`category` text NOT NULL,
	`template` text NOT NULL,
	`data` text NOT NULL,
	`key` text NOT NULL,
	`campaign_id` text,
	`status` text NOT NULL,
	`result` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_key` ON `notifications` (`key`);--> statement-breakpoint
CREATE INDEX `notifications_member` ON `notifications` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_campaign` ON `notifications` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `perk_claims` (
	`brand_id` text NOT NULL,
	`perk` text NOT NULL,
	`person_key` text NOT NULL,
	`member_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`brand_id`, `perk`, `person_key`)
);
--> statement-breakpoint
CREATE TABLE `points_catalog` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`cost` integer NOT NULL,
	`template_id` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `points_catalog_brand` ON `points_catalog` (`brand_id`);--> statement-breakpoint
CREATE TABLE `points_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`amount` integer NOT NULL,
	`order_id` text,
	`detail` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `points_ledger_kind_ref` ON `points_ledger` (`kind`,`ref`);--> statement-breakpoint
CREATE INDEX `points_ledger_member` ON `points_ledger` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `points_ledger_order` ON `points_ledger` (`order_id`);--> statement-breakpoint
CREATE TABLE `points_lots` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`order_id` text,
	`amount` integer NOT NULL,
	`remaining` integer NOT NULL,
	`available_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `points_lots_member` ON `points_lots` (`member_id`,`expires_at`);--> statement-breakpoint
CREATE INDEX `points_lots_expiry` ON `points_lots` (`expires_at`);--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`inviter_id` text NOT NULL,
	`invitee_id` text NOT NULL,
	`status` text NOT NULL,
	`order_id` text,
	`created_at` integer NOT NULL,
	`rewarded_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_invitee` ON `referrals` (`invitee_id`);--> statement-breakpoint
CREATE INDEX `referrals_inviter` ON `referrals` (`inviter_id`,`status`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`order_id` text NOT NULL,
	`store_id` text NOT NULL,
	`rating` integer NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reviews_order` ON `reviews` (`order_id`);--> statement-breakpoint
CREATE INDEX `reviews_store` ON `reviews` (`store_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `tier_history` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`member_id` text NOT NULL,
	`from_tier` text NOT NULL,
	`to_tier` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tier_history_member` ON `tier_history` (`member_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `member_coupons` ADD `issue_key` text;--> statement-breakpoint
ALTER TABLE `member_coupons` ADD `source` text;--> statement-breakpoint
CREATE UNIQUE INDEX `member_coupons_issue_key` ON `member_coupons` (`issue_key`);--> statement-breakpoint
CREATE INDEX `member_coupons_template` ON `member_coupons` (`template_id`,`member_id`);