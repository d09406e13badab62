CREATE TABLE `secret_word_redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`word_id` text NOT NULL,
	`member_id` text NOT NULL,
	`store_id` text NOT NULL,
	`redeemed_by` text NOT NULL,
	`coupon_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `secret_word_redemptions_once` ON `secret_word_redemptions` (`word_id`,`member_id`);--> statement-breakpoint
CREATE INDEX `secret_word_redemptions_store` ON `secret_word_redemptions` (`store_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `secret_words` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`word` text NOT NULL,
	`word_key` text NOT NULL,
	`item_id` text NOT NULL,
	`template_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`store_ids` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `secret_words_key` ON `secret_words` (`brand_id`,`word_key`);--> statement-breakpoint
CREATE TABLE `wheel_prizes` (
	`id` text PRIMARY KEY NOT NULL,
	`wheel_id` text NOT NULL,
	`brand_id` text NOT NULL,
	`position` integer NOT NULL,
	`label` text NOT NULL,
	`kind` text NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`template_id` text,
	`weight` integer NOT NULL,
	`stock` integer,
	`awarded` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "wheel_prizes_within_stock" CHECK("wheel_prizes"."stock" IS NULL OR "wheel_prizes"."awarded" <= "wheel_prizes"."stock")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wheel_prizes_position` ON `wheel_prizes` (`wheel_id`,`position`);--> statement-breakpoint
CREATE TABLE `wheel_share_opens` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`wheel_id` text NOT NULL,
	`sharer_id` text NOT NULL,
	`day` text NOT NULL,
	`opener_id` text NOT NULL,
	`open_key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wheel_share_opens_opener` ON `wheel_share_opens` (`wheel_id`,`sharer_id`,`day`,`opener_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `wheel_share_opens_key` ON `wheel_share_opens` (`wheel_id`,`sharer_id`,`day`,`open_key`);--> statement-breakpoint
CREATE TABLE `wheel_spins` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`wheel_id` text NOT NULL,
	`member_id` text NOT NULL,
	`day` text NOT NULL,
	`n` integer NOT NULL,
	`idem_key` text NOT NULL,
	`prize_id` text NOT NULL,
	`kind` text NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`coupon_id` text,
	`cost_points` integer DEFAULT 0 NOT NULL,
	`draw` real NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "wheel_spins_coupon_issued" CHECK("wheel_spins"."kind" <> 'coupon' OR "wheel_spins"."coupon_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wheel_spins_slot` ON `wheel_spins` (`wheel_id`,`member_id`,`day`,`n`);--> statement-breakpoint
CREATE UNIQUE INDEX `wheel_spins_idem` ON `wheel_spins` (`member_id`,`idem_key`);--> statement-breakpoint
CREATE INDEX `wheel_spins_wheel` ON `wheel_spins` (`wheel_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `wheels` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`name` text NOT NULL,
	`cost_points` integer DEFAULT 0 NOT NULL,
	`daily_limit` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`active` integer DEFAULT true NOT NULL,
	`shares_for_free_spin` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wheels_brand` ON `wheels` (`brand_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `referral_cash` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`inviter_id` text NOT NULL,
	`invitee_id` text NOT NULL,
	`amount` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`unlocked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_cash_invitee` ON `referral_cash` (`invitee_id`);--> statement-breakpoint
CREATE INDEX `referral_cash_inviter` ON `referral_cash` (`inviter_id`,`status`);