CREATE TABLE `member_profiles` (
	`member_id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`scenes` text DEFAULT '[]' NOT NULL,
	`spending_level` text,
	`health_leaning` text,
	`detail` text DEFAULT '{}' NOT NULL,
	`exclusions` text DEFAULT '{"tags":[],"scenes":[]}' NOT NULL,
	`last_order_at` integer,
	`computed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `member_profiles_brand` ON `member_profiles` (`brand_id`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `audience` text;