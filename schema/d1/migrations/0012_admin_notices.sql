CREATE TABLE `admin_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`title` text NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`key` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	`read_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admin_notices_key` ON `admin_notices` (`key`);--> statement-breakpoint
CREATE INDEX `admin_notices_brand` ON `admin_notices` (`brand_id`,`created_at`);