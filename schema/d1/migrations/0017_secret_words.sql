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
CREATE UNIQUE INDEX `secret_words_key` ON `secret_words` (`brand_id`,`word_key`);