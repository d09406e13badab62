CREATE TABLE `analytics_pending_days` (
	`store_id` text NOT NULL,
	`day` text NOT NULL,
	`brand_id` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`store_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `analytics_pending_days_since` ON `analytics_pending_days` (`since`);