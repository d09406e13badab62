CREATE TABLE `experiment_assignments` (
	`experiment_id` text NOT NULL,
	`member_id` text NOT NULL,
	`brand_id` text NOT NULL,
	`variant` text NOT NULL,
	`exposed_at` integer NOT NULL,
	`converted_at` integer,
	`conversion_order_id` text,
	PRIMARY KEY(`experiment_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `experiment_assignments_member` ON `experiment_assignments` (`member_id`,`exposed_at`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`variants` text NOT NULL,
	`conversion` text NOT NULL,
	`campaign_id` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`salt` text NOT NULL,
	`started_at` integer,
	`stopped_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `experiments_key` ON `experiments` (`brand_id`,`key`);--> statement-breakpoint
CREATE INDEX `experiments_status` ON `experiments` (`brand_id`,`status`);--> statement-breakpoint
CREATE INDEX `wheel_spins_member` ON `wheel_spins` (`member_id`,`wheel_id`,`created_at`);