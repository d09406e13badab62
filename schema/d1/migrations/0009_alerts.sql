CREATE TABLE `staff_notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`store_id` text,
	`alert_id` text,
	`template` text NOT NULL,
	`data` text NOT NULL,
	`key` text NOT NULL,
	`status` text NOT NULL,
	`result` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`read_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_notifications_key` ON `staff_notifications` (`key`);--> statement-breakpoint
CREATE INDEX `staff_notifications_staff` ON `staff_notifications` (`staff_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `staff_push_targets` (
	`staff_id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`openid` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `store_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`store_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`value` real NOT NULL,
	`threshold` real NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`opened_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`resolved_at` integer,
	`notified_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `store_alerts_one_open` ON `store_alerts` (`store_id`,`kind`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `store_alerts_store` ON `store_alerts` (`store_id`,`status`,`opened_at`);--> statement-breakpoint
CREATE INDEX `store_alerts_brand` ON `store_alerts` (`brand_id`,`status`,`opened_at`);