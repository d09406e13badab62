CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text,
	`member_id` text NOT NULL,
	`source` text NOT NULL,
	`source_id` text NOT NULL,
	`kind` text NOT NULL,
	`reverses_id` text,
	`replaces_id` text,
	`buyer_type` text NOT NULL,
	`title` text NOT NULL,
	`tax_number` text,
	`email` text NOT NULL,
	`amount` integer NOT NULL,
	`tax_amount` integer NOT NULL,
	`tax_rate_bp` integer NOT NULL,
	`tax_code` text NOT NULL,
	`goods_name` text NOT NULL,
	`status` text NOT NULL,
	`serial_no` text,
	`invoice_number` text,
	`pdf_url` text,
	`fail_cause` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`issued_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_source_original` ON `invoices` (`source`,`source_id`) WHERE kind = 'blue' AND replaces_id IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_reverses` ON `invoices` (`reverses_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_replaces` ON `invoices` (`replaces_id`);--> statement-breakpoint
CREATE INDEX `invoices_member` ON `invoices` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `invoices_store` ON `invoices` (`store_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `invoices_source` ON `invoices` (`source`,`source_id`);--> statement-breakpoint
CREATE INDEX `invoices_pending` ON `invoices` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `media_objects` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	`released_at` integer
);
--> statement-breakpoint
CREATE INDEX `media_objects_released` ON `media_objects` (`released_at`);--> statement-breakpoint
CREATE TABLE `member_photos` (
	`member_id` text NOT NULL,
	`key` text NOT NULL,
	`brand_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`member_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `member_photos_recent` ON `member_photos` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `promotion_uses` (
	`promotion_id` text NOT NULL,
	`order_id` text NOT NULL,
	`member_id` text,
	`store_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`promotion_id`, `order_id`)
);
--> statement-breakpoint
CREATE INDEX `promotion_uses_member` ON `promotion_uses` (`promotion_id`,`member_id`);--> statement-breakpoint
CREATE INDEX `promotion_uses_order` ON `promotion_uses` (`order_id`);--> statement-breakpoint
CREATE TABLE `dish_ratings` (
	`store_id` text NOT NULL,
	`item_id` text NOT NULL,
	`rating_sum` integer NOT NULL,
	`rating_count` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `item_id`)
);
--> statement-breakpoint
CREATE TABLE `review_dishes` (
	`review_id` text NOT NULL,
	`item_id` text NOT NULL,
	`store_id` text NOT NULL,
	`rating` integer NOT NULL,
	PRIMARY KEY(`review_id`, `item_id`)
);
--> statement-breakpoint
CREATE TABLE `review_follow_ups` (
	`review_id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`due_at` integer NOT NULL,
	`answer` text,
	`answered_at` integer,
	`answered_by` text,
	`resolution` text,
	`resolved_at` integer,
	`resolved_by` text,
	`coupon_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `review_follow_ups_store` ON `review_follow_ups` (`store_id`,`status`,`due_at`);--> statement-breakpoint
CREATE TABLE `review_keywords` (
	`review_id` text NOT NULL,
	`keyword` text NOT NULL,
	`item_id` text DEFAULT '' NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`week` text NOT NULL,
	PRIMARY KEY(`review_id`, `keyword`, `item_id`)
);
--> statement-breakpoint
CREATE INDEX `review_keywords_store_week` ON `review_keywords` (`store_id`,`week`);--> statement-breakpoint
CREATE TABLE `demo_seed` (
	`brand_id` text PRIMARY KEY NOT NULL,
	`seeded_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `reviews` ADD `staff_id` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `server_rating` integer;--> statement-breakpoint
ALTER TABLE `reviews` ADD `photos` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `reviews` ADD `complaint` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `reviews_brand` ON `reviews` (`brand_id`,`created_at`);