CREATE TABLE `delivery_outcomes` (
	`order_id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`day` text NOT NULL,
	`provider` text NOT NULL,
	`rider_id` text,
	`rider_name` text,
	`promised_by` integer NOT NULL,
	`delivered_at` integer NOT NULL,
	`on_time` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `delivery_outcomes_store_day` ON `delivery_outcomes` (`store_id`,`day`);--> statement-breakpoint
CREATE TABLE `rider_assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`store_id` text NOT NULL,
	`rider_id` text NOT NULL,
	`assigned_by` text NOT NULL,
	`assigned_at` integer NOT NULL,
	`ended_at` integer,
	`ended_reason` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rider_assignments_open_order` ON `rider_assignments` (`order_id`) WHERE "rider_assignments"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX `rider_assignments_order` ON `rider_assignments` (`order_id`);--> statement-breakpoint
CREATE INDEX `rider_assignments_rider` ON `rider_assignments` (`rider_id`,`ended_at`);--> statement-breakpoint
CREATE TABLE `riders` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`name` text NOT NULL,
	`phone` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`key_hash` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `riders_key_hash_unique` ON `riders` (`key_hash`);--> statement-breakpoint
CREATE INDEX `riders_store` ON `riders` (`store_id`,`created_at`);