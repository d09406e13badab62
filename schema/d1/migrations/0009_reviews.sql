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
ALTER TABLE `reviews` ADD `staff_id` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `server_rating` integer;--> statement-breakpoint
ALTER TABLE `reviews` ADD `photos` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `reviews` ADD `complaint` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `reviews_brand` ON `reviews` (`brand_id`,`created_at`);